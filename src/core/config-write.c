/* SPDX-License-Identifier: MIT */
/* Writing the lab profile into the YAML config by editing the text, so that
 * everything outside the marked block stays byte for byte. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <yaml.h>

#include "milvusadm/buf.h"
#include "milvusadm/config.h"
#include "milvusadm/xalloc.h"
#include "milvusadm/fsutil.h"
#include "config-internal.h"

#define MARK_BEGIN "# >>> milvusadm lab profile (managed by 'milvusadm lab up') >>>"
#define MARK_END   "# <<< milvusadm lab profile (managed by 'milvusadm lab up') <<<"
#define DEFAULT_INDENT 4

/* One textual change: replace del bytes at off with ins. */
struct edit {
	size_t	 off;
	size_t	 del;
	char	*ins;
};

struct editor {
	const char	*path;
	const char	*text;
	size_t		 len;
	yaml_document_t	*doc;
	struct edit	 edits[4];
	size_t		 n_edits;
	char		*err;
	size_t		 errlen;
};

static void
edit_add(struct editor *ed, size_t off, size_t del, char *ins)
{
	struct edit *e = &ed->edits[ed->n_edits++];

	e->off = off;
	e->del = del;
	e->ins = ins;
}

static int
edit_cmp(const void *a, const void *b)
{
	const struct edit *ea = a, *eb = b;

	return ea->off < eb->off ? 1 : ea->off > eb->off ? -1 : 0;
}

/* Apply the edits back to front so that earlier offsets stay valid. */
static char *
edit_apply(struct editor *ed, size_t *outlen)
{
	struct buf b = BUF_INIT;
	size_t i, pos;

	qsort(ed->edits, ed->n_edits, sizeof ed->edits[0], edit_cmp);
	/* Build front to back from the sorted (descending) list. */
	pos = 0;
	for (i = ed->n_edits; i > 0; i--) {
		struct edit *e = &ed->edits[i - 1];

		buf_add(&b, ed->text + pos, e->off - pos);
		buf_adds(&b, e->ins);
		pos = e->off + e->del;
	}
	buf_add(&b, ed->text + pos, ed->len - pos);
	return buf_detach(&b, outlen);
}

static void
yaml_quote(struct buf *b, const char *s)
{
	buf_addc(b, '"');
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			buf_printf(b, "\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			buf_printf(b, "\\x%02x", c);
		else
			buf_addc(b, (char)c);
	}
	buf_addc(b, '"');
}

static char *
block_text(const struct profile_write *pw, int indent)
{
	struct buf b = BUF_INIT;
	const char *const *e;

	buf_printf(&b, "%*s%s\n", indent, "", MARK_BEGIN);
	buf_printf(&b, "%*s%s:\n", indent, "", pw->name);
	buf_printf(&b, "%*s  etcd:\n", indent, "");
	buf_printf(&b, "%*s    endpoints: [", indent, "");
	for (e = pw->etcd_endpoints; *e != NULL; e++) {
		if (e != pw->etcd_endpoints)
			buf_adds(&b, ", ");
		yaml_quote(&b, *e);
	}
	buf_adds(&b, "]\n");
	if (pw->etcd_root_path != NULL) {
		buf_printf(&b, "%*s    root_path: ", indent, "");
		yaml_quote(&b, pw->etcd_root_path);
		buf_addc(&b, '\n');
	}
	if (pw->milvus_uri != NULL || pw->metrics_port > 0)
		buf_printf(&b, "%*s  milvus:\n", indent, "");
	if (pw->milvus_uri != NULL) {
		buf_printf(&b, "%*s    uri: ", indent, "");
		yaml_quote(&b, pw->milvus_uri);
		buf_addc(&b, '\n');
	}
	if (pw->metrics_port > 0)
		buf_printf(&b, "%*s    metrics_port: %lld\n", indent, "",
		    (long long)pw->metrics_port);
	if (pw->backup_url != NULL) {
		buf_printf(&b, "%*s  backup:\n%*s    url: ", indent, "", indent, "");
		yaml_quote(&b, pw->backup_url);
		buf_addc(&b, '\n');
		if (pw->backup_storage_path != NULL) {
			buf_printf(&b, "%*s    storage_path: ", indent, "");
			yaml_quote(&b, pw->backup_storage_path);
			buf_addc(&b, '\n');
		}
	}
	if (pw->drill_backend != NULL) {
		buf_printf(&b, "%*s  drill:\n%*s    backend: ", indent, "", indent, "");
		yaml_quote(&b, pw->drill_backend);
		buf_addc(&b, '\n');
	}
	buf_printf(&b, "%*s%s\n", indent, "", MARK_END);
	return buf_detach(&b, NULL);
}

static int
edit_error(struct editor *ed, const yaml_node_t *n, const char *msg)
{
	if (n != NULL)
		snprintf(ed->err, ed->errlen, "%s:%lu:%lu: %s", ed->path,
		    (unsigned long)n->start_mark.line + 1,
		    (unsigned long)n->start_mark.column + 1, msg);
	else
		snprintf(ed->err, ed->errlen, "%s: %s", ed->path, msg);
	return -1;
}

static bool
node_is_null(const yaml_node_t *n)
{
	const char *v;

	if (n->type != YAML_SCALAR_NODE ||
	    n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	v = (const char *)n->data.scalar.value;
	return *v == '\0' || strcmp(v, "~") == 0 || strcasecmp(v, "null") == 0;
}

static const yaml_node_t *
map_get(yaml_document_t *doc, const yaml_node_t *m, const char *name,
    const yaml_node_t **keyp)
{
	const yaml_node_pair_t *p;
	const yaml_node_t *k;

	for (p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
		k = yaml_document_get_node(doc, p->key);
		if (k != NULL && k->type == YAML_SCALAR_NODE &&
		    strcmp((const char *)k->data.scalar.value, name) == 0) {
			if (keyp != NULL)
				*keyp = k;
			return yaml_document_get_node(doc, p->value);
		}
	}
	return NULL;
}

/* The end of the last thing written inside the mapping that starts at
 * start: the end of its last scalar, alias or flow collection. The document
 * API cannot say this (block collections end where the next token starts,
 * possibly lines later, and aliases carry their anchor's position), so replay
 * the events. */
static int
content_end(struct editor *ed, size_t start, yaml_mark_t *end)
{
	yaml_parser_t parser;
	yaml_event_t ev;
	bool flow[64];
	int depth = 0, inside = -1, rc = -1;
	bool found = false;

	if (!yaml_parser_initialize(&parser))
		return -1;
	yaml_parser_set_input_string(&parser, (const unsigned char *)ed->text,
	    ed->len);
	for (;;) {
		if (!yaml_parser_parse(&parser, &ev))
			break;
		switch (ev.type) {
		case YAML_MAPPING_START_EVENT:
		case YAML_SEQUENCE_START_EVENT:
			if (inside < 0 && ev.type == YAML_MAPPING_START_EVENT &&
			    ev.start_mark.index == start)
				inside = depth;
			if (depth < 64)
				flow[depth] = ev.type == YAML_MAPPING_START_EVENT ?
				    ev.data.mapping_start.style == YAML_FLOW_MAPPING_STYLE :
				    ev.data.sequence_start.style == YAML_FLOW_SEQUENCE_STYLE;
			depth++;
			break;
		case YAML_MAPPING_END_EVENT:
		case YAML_SEQUENCE_END_EVENT:
			depth--;
			if (depth == inside) {
				rc = found ? 0 : -1;
				yaml_event_delete(&ev);
				goto out;
			}
			if (inside >= 0 && depth < 64 && flow[depth] &&
			    (!found || ev.end_mark.index > end->index)) {
				*end = ev.end_mark;
				found = true;
			}
			break;
		case YAML_SCALAR_EVENT:
		case YAML_ALIAS_EVENT:
			if (inside >= 0 && (!found || ev.end_mark.index > end->index)) {
				*end = ev.end_mark;
				found = true;
			}
			break;
		case YAML_STREAM_END_EVENT:
			yaml_event_delete(&ev);
			goto out;
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
out:
	yaml_parser_delete(&parser);
	return rc;
}

/* The offset just after the line holding the byte before mark. */
static size_t
line_after(struct editor *ed, yaml_mark_t mark, bool *need_nl)
{
	size_t off = mark.index;

	*need_nl = false;
	/* A block scalar already ends at the start of a line. */
	if (mark.column == 0 && off > 0)
		return off;
	while (off < ed->len && ed->text[off] != '\n')
		off++;
	if (off < ed->len)
		return off + 1;
	*need_nl = true;
	return ed->len;
}

/* Find the marked block holding profile name: 1 found, 0 not, -1 broken. */
static int
find_block(struct editor *ed, const char *name, size_t *start, size_t *end,
    int *indent)
{
	size_t pos = 0, ls, le, b, nl = strlen(name);
	const char *t = ed->text;
	bool inside = false, keyed = false, named = false;

	while (pos < ed->len) {
		ls = pos;
		le = ls;
		while (le < ed->len && t[le] != '\n')
			le++;
		pos = le < ed->len ? le + 1 : le;
		b = ls;
		while (b < le && (t[b] == ' ' || t[b] == '\t'))
			b++;
		if (!inside) {
			if (le - b == strlen(MARK_BEGIN) &&
			    memcmp(t + b, MARK_BEGIN, le - b) == 0) {
				inside = true;
				keyed = named = false;
				*start = ls;
				*indent = (int)(b - ls);
			}
			continue;
		}
		if (le - b == strlen(MARK_END) && memcmp(t + b, MARK_END, le - b) == 0) {
			inside = false;
			if (named) {
				*end = pos;
				return 1;
			}
			continue;
		}
		/* The first line of content in the block is "<name>:". */
		if (!keyed && b < le && t[b] != '#') {
			keyed = true;
			named = le - b > nl && memcmp(t + b, name, nl) == 0 &&
			    t[b + nl] == ':';
		}
	}
	if (inside && named) {
		snprintf(ed->err, ed->errlen, "%s: lab profile '%s' has no end marker",
		    ed->path, name);
		return -1;
	}
	return 0;
}

/* Move off past the end marker when it falls inside a marked block, so that a
 * new block never lands in another one. */
static size_t
skip_blocks(struct editor *ed, size_t off)
{
	const char *t = ed->text, *p, *e;
	size_t bs, be;

	p = t;
	while ((p = memmem(p, ed->len - (size_t)(p - t), MARK_BEGIN,
	    strlen(MARK_BEGIN))) != NULL) {
		bs = (size_t)(p - t);
		e = memmem(p, ed->len - bs, MARK_END, strlen(MARK_END));
		if (e == NULL)
			break;
		be = (size_t)(e - t) + strlen(MARK_END);
		while (be < ed->len && t[be] != '\n')
			be++;
		if (be < ed->len)
			be++;
		if (off > bs && off < be)
			return be;
		p = t + be;
	}
	return off;
}

static int
plan_default(struct editor *ed, const yaml_node_t *root,
    const struct profile_write *pw, size_t profiles_line, struct buf *prefix)
{
	const yaml_node_t *def;

	def = root != NULL ? map_get(ed->doc, root, "default_profile", NULL) : NULL;
	if (def == NULL) {
		if (prefix != NULL)
			buf_printf(prefix, "default_profile: %s\n", pw->name);
		else
			edit_add(ed, profiles_line, 0,
			    xasprintf("default_profile: %s\n", pw->name));
	} else if (node_is_null(def)) {
		size_t s = def->start_mark.index, e = def->end_mark.index;

		edit_add(ed, s, e - s, xasprintf("%s%s", s == e ? " " : "",
		    pw->name));
	}
	return 0;
}

static int
plan(struct editor *ed, const struct profile_write *pw)
{
	const yaml_node_t *root, *prof, *pkey = NULL, *first;
	yaml_mark_t mark = { 0, 0, 0 };
	struct buf tail = BUF_INIT;
	char *blk;
	size_t bstart = 0, bend = 0, off;
	bool need_nl;
	int indent = DEFAULT_INDENT, rc;

	root = yaml_document_get_root_node(ed->doc);
	if (root != NULL && node_is_null(root) && root->start_mark.index ==
	    root->end_mark.index)
		root = NULL;
	if (root != NULL && root->type != YAML_MAPPING_NODE)
		return edit_error(ed, root, "the top level must be a mapping");
	if (root != NULL && (root->data.mapping.style == YAML_FLOW_MAPPING_STYLE ||
	    root->start_mark.column != 0))
		return edit_error(ed, root,
		    "the top level must be a block mapping starting in column 1");
	prof = root != NULL ? map_get(ed->doc, root, "profiles", &pkey) : NULL;

	if ((rc = find_block(ed, pw->name, &bstart, &bend, &indent)) < 0)
		return -1;
	if (rc == 1) {
		if (prof == NULL || prof->type != YAML_MAPPING_NODE ||
		    bstart < pkey->start_mark.index)
			return edit_error(ed, NULL,
			    "the milvusadm lab profile markers are outside 'profiles'");
		edit_add(ed, bstart, bend - bstart, block_text(pw, indent));
		return plan_default(ed, root, pw, pkey->start_mark.index, NULL);
	}

	if (prof == NULL) {
		if (ed->len == 0)
			buf_adds(&tail, "# milvusadm configuration, see milvusadm.conf(5)\n");
		else if (ed->text[ed->len - 1] != '\n')
			buf_addc(&tail, '\n');
		plan_default(ed, root, pw, 0, &tail);
		buf_adds(&tail, "profiles:\n");
		blk = block_text(pw, DEFAULT_INDENT);
		buf_adds(&tail, blk);
		free(blk);
		edit_add(ed, ed->len, 0, buf_detach(&tail, NULL));
		return 0;
	}
	if (node_is_null(prof)) {
		/* "profiles:" with nothing (or "~") after it. */
		off = prof->start_mark.index;
		edit_add(ed, off, prof->end_mark.index - off, xstrdup(""));
		off = line_after(ed, pkey->end_mark, &need_nl);
		blk = block_text(pw, DEFAULT_INDENT);
		edit_add(ed, off, 0, xasprintf("%s%s", need_nl ? "\n" : "", blk));
		free(blk);
		return plan_default(ed, root, pw, pkey->start_mark.index, NULL);
	}
	if (prof->type != YAML_MAPPING_NODE)
		return edit_error(ed, prof, "'profiles' must be a mapping");
	if (prof->data.mapping.style == YAML_FLOW_MAPPING_STYLE)
		return edit_error(ed, prof,
		    "'profiles' is in flow style ({...}); write it as a block mapping "
		    "so that milvusadm can add its lab profile");
	if (map_get(ed->doc, prof, pw->name, NULL) != NULL) {
		char msg[256];

		snprintf(msg, sizeof msg, "profile '%s' exists and is not managed "
		    "by milvusadm; rename or remove it first", pw->name);
		return edit_error(ed, map_get(ed->doc, prof, pw->name, &first) != NULL ?
		    first : NULL, msg);
	}
	first = yaml_document_get_node(ed->doc, prof->data.mapping.pairs.start->key);
	indent = (int)first->start_mark.column;
	if (content_end(ed, prof->start_mark.index, &mark) != 0)
		return edit_error(ed, prof, "cannot find the end of 'profiles'");
	off = line_after(ed, mark, &need_nl);
	if (!need_nl)
		off = skip_blocks(ed, off);
	blk = block_text(pw, indent);
	edit_add(ed, off, 0, xasprintf("%s%s", need_nl ? "\n" : "", blk));
	free(blk);
	return plan_default(ed, root, pw, pkey->start_mark.index, NULL);
}

static int
write_atomic(const char *path, const char *data, size_t len, char *err,
    size_t errlen)
{
	struct stat st;
	char *tmp, *dir, *slash;
	size_t off = 0;
	ssize_t n;
	int fd, dfd;

	if (fs_mkdirs_for(path, NULL, 0) != 0) {
		snprintf(err, errlen, "%s: cannot create its directory: %s", path,
		    strerror(errno));
		return -1;
	}
	tmp = xasprintf("%s.tmp-XXXXXX", path);
	if ((fd = mkstemp(tmp)) < 0) {
		snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
		free(tmp);
		return -1;
	}
	/* mkstemp makes it 0600, right for a new file; keep an existing mode. */
	if (stat(path, &st) == 0)
		(void)fchmod(fd, st.st_mode & 07777);
	while (off < len) {
		n = write(fd, data + off, len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			goto fail;
		off += (size_t)n;
	}
	if (fsync(fd) != 0)
		goto fail;
	if (close(fd) != 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) != 0)
		goto fail;
	free(tmp);
	/* Make the rename itself durable. */
	dir = xstrdup(path);
	slash = strrchr(dir, '/');
	if (slash != NULL) {
		slash[slash == dir ? 1 : 0] = '\0';
		if ((dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) >= 0) {
			(void)fsync(dfd);
			close(dfd);
		}
	}
	free(dir);
	return 0;

fail:
	snprintf(err, errlen, "%s: %s", path, strerror(errno));
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	free(tmp);
	return -1;
}

int
config_write_profile(const char *path, const struct profile_write *pw,
    char *err, size_t errlen)
{
	struct editor ed;
	yaml_document_t doc;
	struct config *before, *after;
	char *def = NULL, *target = NULL, *text = NULL, *out = NULL;
	char tmperr[512];
	size_t len, outlen, i;
	struct stat st;
	int rc = -1;

	if (pw == NULL || pw->name == NULL || pw->etcd_endpoints == NULL) {
		snprintf(err, errlen, "profile to write is incomplete");
		return -1;
	}
	if (*pw->name == '\0' || strlen(pw->name) > 64 || strspn(pw->name,
	    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-") !=
	    strlen(pw->name)) {
		snprintf(err, errlen, "profile name '%.64s' is not valid", pw->name);
		return -1;
	}
	if (path == NULL)
		path = def = config_default_path();
	/* Edit the file a symlink points to rather than replacing the link. */
	if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode) &&
	    (target = realpath(path, NULL)) != NULL)
		path = target;

	if (config_read_file(path, &text, &len, err, errlen) < 0)
		goto out;
	if (text == NULL)
		text = xstrdup("");
	if (yamldoc_load(path, text, len, &doc, err, errlen) != 0)
		goto out;
	memset(&ed, 0, sizeof ed);
	ed.path = path;
	ed.text = text;
	ed.len = len;
	ed.doc = &doc;
	ed.err = err;
	ed.errlen = errlen;
	if (plan(&ed, pw) != 0) {
		for (i = 0; i < ed.n_edits; i++)
			free(ed.edits[i].ins);
		yaml_document_delete(&doc);
		goto out;
	}
	yaml_document_delete(&doc);
	out = edit_apply(&ed, &outlen);
	for (i = 0; i < ed.n_edits; i++)
		free(ed.edits[i].ins);

	/* Never write something that loads worse than what was there. */
	before = config_load_string(path, text, len, tmperr, sizeof tmperr);
	after = config_load_string(path, out, outlen, tmperr, sizeof tmperr);
	if (before != NULL && (after == NULL ||
	    config_profile(after, pw->name) == NULL)) {
		snprintf(err, errlen, "%s: the edited file would not load: %s", path,
		    after == NULL ? tmperr : "profile missing");
		config_free(before);
		config_free(after);
		goto out;
	}
	config_free(before);
	config_free(after);
	if (before == NULL) {
		/* The file had errors of its own: at least keep it valid YAML. */
		if (yamldoc_load(path, out, outlen, &doc, err, errlen) != 0)
			goto out;
		yaml_document_delete(&doc);
	}
	rc = write_atomic(path, out, outlen, err, errlen);
out:
	free(out);
	free(text);
	free(target);
	free(def);
	return rc;
}
