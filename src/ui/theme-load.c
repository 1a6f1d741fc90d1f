/* SPDX-License-Identifier: MIT */
/* Theme files: finding NAME.yaml in the lookup directories and loading it
 * with libyaml into a struct theme, following inherit:, with
 * "file:line:col: message" errors. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include <yaml.h>

#include "milvusadm/theme.h"
#include "milvusadm/xalloc.h"
#include "milvusadm/yamldoc.h"
#include "theme-int.h"

/* One load, with the inherit chain so far for cycle detection. */
struct theme_loader {
	const char *const *dirs;
	char chain[THEME_MAX_INHERIT + 1][THEME_NAME_MAX];
	long chain_dir[THEME_MAX_INHERIT + 1];
	int depth;
	char *err;
	size_t errlen;
};

/* One file being read: its name for errors and the roles it writes. */
struct theme_file {
	struct theme_loader *ld;
	const char *file;
	yaml_document_t *doc;
	struct theme *t;
	yaml_node_t *fg_node[THEME_NROLES];
	yaml_node_t *bg_node[THEME_NROLES];
};

static struct theme *theme_load_at(struct theme_loader *, const char *, long,
    const yaml_mark_t *, const char *);

static int __attribute__((format(printf, 3, 4)))
theme_error(struct theme_file *f, const yaml_node_t *at, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (at != NULL)
		snprintf(f->ld->err, f->ld->errlen, "%s:%lu:%lu: %s", f->file,
		    (unsigned long)at->start_mark.line + 1,
		    (unsigned long)at->start_mark.column + 1, msg);
	else
		snprintf(f->ld->err, f->ld->errlen, "%s: %s", f->file, msg);
	return -1;
}

/* A short, printable copy of untrusted text for an error message. */
static const char *
theme_quote(const char *s, char *buf, size_t len)
{
	size_t i, o = 0;

	for (i = 0; s[i] != '\0' && o + 4 < len; i++)
		buf[o++] = (unsigned char)s[i] < 0x20 ? '?' : s[i];
	if (s[i] != '\0' && len >= 4) {
		o = o > len - 4 ? len - 4 : o;
		memcpy(buf + o, "...", 3);
		o += 3;
	}
	buf[o] = '\0';
	return buf;
}

static const char *
theme_scalar(const yaml_node_t *n)
{
	return (const char *)n->data.scalar.value;
}

/* A scalar written as nothing at all: `fg: #ff0000` is a comment in YAML. */
static int
theme_is_empty(const yaml_node_t *n)
{
	return n->type == YAML_SCALAR_NODE && n->data.scalar.length == 0 &&
	    n->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
}

/* The keys of mapping m must be scalars and unique. */
static int
theme_check_keys(struct theme_file *f, yaml_node_t *m)
{
	yaml_node_pair_t *p, *q;
	yaml_node_t *k, *k2;
	char qb[48];

	/* Bounded before the quadratic duplicate check below. */
	if (m->data.mapping.pairs.top - m->data.mapping.pairs.start >
	    THEME_MAX_PALETTE + THEME_NROLES)
		return theme_error(f, m, "more than %d keys in one mapping",
		    THEME_MAX_PALETTE + THEME_NROLES);
	for (p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
		k = yaml_document_get_node(f->doc, p->key);
		if (k == NULL || k->type != YAML_SCALAR_NODE)
			return theme_error(f, k, "keys must be plain names");
		if (strlen(theme_scalar(k)) != k->data.scalar.length)
			return theme_error(f, k, "key holds a NUL byte");
		for (q = m->data.mapping.pairs.start; q < p; q++) {
			k2 = yaml_document_get_node(f->doc, q->key);
			if (strcmp(theme_scalar(k), theme_scalar(k2)) == 0)
				return theme_error(f, k, "duplicate key '%s'",
				    theme_quote(theme_scalar(k), qb, sizeof qb));
		}
	}
	return 0;
}

static int
theme_bool(struct theme_file *f, yaml_node_t *k, yaml_node_t *v, bool *out)
{
	static const char *const yes[] = { "true", "yes", "on" };
	static const char *const no[] = { "false", "no", "off" };
	size_t i;

	if (v->type == YAML_SCALAR_NODE) {
		for (i = 0; i < 3; i++) {
			if (strcasecmp(theme_scalar(v), yes[i]) == 0) {
				*out = true;
				return 0;
			}
			if (strcasecmp(theme_scalar(v), no[i]) == 0) {
				*out = false;
				return 0;
			}
		}
	}
	return theme_error(f, v, "'%s' must be true or false", theme_scalar(k));
}

/* A colour text (palette name or literal) for a role's fg or bg. */
static int
theme_colour_text(struct theme_file *f, yaml_node_t *k, yaml_node_t *v,
    char *out)
{
	char qb[48];

	if (v->type != YAML_SCALAR_NODE)
		return theme_error(f, v, "'%s' must be a colour name",
		    theme_scalar(k));
	if (theme_is_empty(v))
		return theme_error(f, v,
		    "'%s' is empty (quote hex colours: \"#rrggbb\")",
		    theme_scalar(k));
	if (v->data.scalar.length >= THEME_NAME_MAX ||
	    strlen(theme_scalar(v)) != v->data.scalar.length)
		return theme_error(f, v, "unknown colour '%s'",
		    theme_quote(theme_scalar(v), qb, sizeof qb));
	memcpy(out, theme_scalar(v), v->data.scalar.length + 1);
	return 0;
}

static int
theme_parse_style(struct theme_file *f, int role, yaml_node_t *key,
    yaml_node_t *v)
{
	static const struct {
		const char *name;
		unsigned flag;
	} flags[] = {
		{ "bold", THEME_BOLD },
		{ "underline", THEME_UNDERLINE },
		{ "reverse", THEME_REVERSE },
		{ "dim", THEME_DIM_ATTR },
	};
	struct theme_role_def *d = &f->t->roles[role];
	yaml_node_pair_t *p;
	yaml_node_t *k, *val;
	const char *kname;
	char qb[48];
	size_t i;
	bool b = false;

	/* A role replaces the inherited one whole: what is written is what
	 * is shown, with no attributes leaking in from the parent. */
	memset(d, 0, sizeof *d);
	f->fg_node[role] = f->bg_node[role] = NULL;
	if (v->type == YAML_SCALAR_NODE) {
		/* Shorthand: `ok: green` is `ok: { fg: green }`. */
		f->fg_node[role] = v;
		return theme_colour_text(f, key, v, d->fg);
	}
	if (v->type != YAML_MAPPING_NODE)
		return theme_error(f, v, "role '%s' must be a colour or a mapping",
		    theme_role_name((enum theme_role)role));
	if (theme_check_keys(f, v) != 0)
		return -1;
	for (p = v->data.mapping.pairs.start; p < v->data.mapping.pairs.top; p++) {
		k = yaml_document_get_node(f->doc, p->key);
		val = yaml_document_get_node(f->doc, p->value);
		kname = theme_scalar(k);
		if (strcmp(kname, "fg") == 0) {
			if (theme_colour_text(f, k, val, d->fg) != 0)
				return -1;
			f->fg_node[role] = val;
			continue;
		}
		if (strcmp(kname, "bg") == 0) {
			if (theme_colour_text(f, k, val, d->bg) != 0)
				return -1;
			f->bg_node[role] = val;
			continue;
		}
		for (i = 0; i < sizeof flags / sizeof flags[0]; i++) {
			if (strcmp(kname, flags[i].name) == 0)
				break;
		}
		if (i == sizeof flags / sizeof flags[0])
			return theme_error(f, k, "unknown style key '%s'",
			    theme_quote(kname, qb, sizeof qb));
		if (theme_bool(f, k, val, &b) != 0)
			return -1;
		if (b)
			d->attrs |= flags[i].flag;
	}
	return 0;
}

static int
theme_parse_roles(struct theme_file *f, yaml_node_t *m)
{
	yaml_node_pair_t *p;
	yaml_node_t *k, *v;
	char qb[48];
	int role;

	if (m->type != YAML_MAPPING_NODE)
		return theme_error(f, m, "'roles' must be a mapping");
	if (theme_check_keys(f, m) != 0)
		return -1;
	for (p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
		k = yaml_document_get_node(f->doc, p->key);
		v = yaml_document_get_node(f->doc, p->value);
		if ((role = theme_role_find(theme_scalar(k))) < 0)
			return theme_error(f, k, "unknown role '%s'",
			    theme_quote(theme_scalar(k), qb, sizeof qb));
		if (theme_parse_style(f, role, k, v) != 0)
			return -1;
	}
	return 0;
}

/* A literal colour for palette entry name. */
static int
theme_palette_literal(struct theme_file *f, const char *name, yaml_node_t *v,
    struct theme_colour *c)
{
	char qb[48], msg[160];

	if (v->type != YAML_SCALAR_NODE)
		return theme_error(f, v, "palette colour '%s' must be a string",
		    theme_quote(name, qb, sizeof qb));
	if (theme_is_empty(v))
		return theme_error(f, v, "palette colour '%s' is empty "
		    "(quote hex colours: \"#rrggbb\")",
		    theme_quote(name, qb, sizeof qb));
	if (v->data.scalar.length >= THEME_NAME_MAX ||
	    strlen(theme_scalar(v)) != v->data.scalar.length)
		return theme_error(f, v, "unknown colour '%s'",
		    theme_quote(theme_scalar(v), qb, sizeof qb));
	if (theme_colour_parse_err(theme_scalar(v), c, msg, sizeof msg) != 0)
		return theme_error(f, v, "%s", msg);
	return 0;
}

/* A palette value: a colour, or { colour: C, ansi: BASIC } where BASIC is
 * what to show at 8 and 16 colours. */
static int
theme_palette_value(struct theme_file *f, const char *name, yaml_node_t *v,
    struct theme_colour *c, int *ansi)
{
	struct theme_colour a;
	yaml_node_pair_t *p;
	yaml_node_t *k, *val, *colour = NULL;
	char qb[48];

	*ansi = -1;
	if (v->type != YAML_MAPPING_NODE)
		return theme_palette_literal(f, name, v, c);
	if (theme_check_keys(f, v) != 0)
		return -1;
	for (p = v->data.mapping.pairs.start; p < v->data.mapping.pairs.top; p++) {
		k = yaml_document_get_node(f->doc, p->key);
		val = yaml_document_get_node(f->doc, p->value);
		if (strcmp(theme_scalar(k), "colour") == 0)
			colour = val;
		else if (strcmp(theme_scalar(k), "ansi") == 0) {
			if (theme_palette_literal(f, name, val, &a) != 0)
				return -1;
			if (a.kind != THEME_COLOUR_INDEX || a.value > 15)
				return theme_error(f, val, "'ansi' must be one of "
				    "the 16 standard colours");
			*ansi = (int)a.value;
		} else
			return theme_error(f, k, "unknown palette key '%s'",
			    theme_quote(theme_scalar(k), qb, sizeof qb));
	}
	if (colour == NULL)
		return theme_error(f, v, "palette colour '%s' needs 'colour'",
		    theme_quote(name, qb, sizeof qb));
	return theme_palette_literal(f, name, colour, c);
}

static int
theme_parse_palette(struct theme_file *f, yaml_node_t *m)
{
	struct theme *t = f->t;
	struct theme_colour c;
	yaml_node_pair_t *p;
	yaml_node_t *k, *v;
	const char *name;
	char qb[48];
	size_t i;
	int ansi;

	if (m->type != YAML_MAPPING_NODE)
		return theme_error(f, m, "'palette' must be a mapping");
	if (theme_check_keys(f, m) != 0)
		return -1;
	for (p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top; p++) {
		k = yaml_document_get_node(f->doc, p->key);
		v = yaml_document_get_node(f->doc, p->value);
		name = theme_scalar(k);
		if (k->data.scalar.length == 0 ||
		    k->data.scalar.length >= THEME_NAME_MAX)
			return theme_error(f, k, "bad palette name '%s'",
			    theme_quote(name, qb, sizeof qb));
		if (theme_palette_value(f, name, v, &c, &ansi) != 0)
			return -1;
		for (i = 0; i < t->npal; i++) {
			if (strcmp(t->pal[i].name, name) == 0)
				break;
		}
		if (i == t->npal) {
			if (t->npal >= THEME_MAX_PALETTE)
				return theme_error(f, k, "more than %d palette "
				    "colours", THEME_MAX_PALETTE);
			t->pal = xreallocarray(t->pal, t->npal + 1,
			    sizeof *t->pal);
			t->npal++;
			snprintf(t->pal[i].name, sizeof t->pal[i].name, "%s", name);
		}
		t->pal[i].c = c;
		t->pal[i].ansi = ansi;
	}
	return 0;
}

/* Bind every role against the merged palette: roles this file wrote report
 * errors at their position; inherited ones were checked in their file. */
static int
theme_bind_roles(struct theme_file *f)
{
	struct theme_role_def *d;
	char msg[160];
	int i;

	for (i = 0; i < THEME_NROLES; i++) {
		d = &f->t->roles[i];
		if (theme_bind(f->t, d->fg, &d->fgc, &d->fg_ansi) != 0) {
			theme_colour_parse_err(d->fg, &d->fgc, msg, sizeof msg);
			return theme_error(f, f->fg_node[i], "%s", msg);
		}
		if (theme_bind(f->t, d->bg, &d->bgc, &d->bg_ansi) != 0) {
			theme_colour_parse_err(d->bg, &d->bgc, msg, sizeof msg);
			return theme_error(f, f->bg_node[i], "%s", msg);
		}
	}
	return 0;
}

/* The base to build on: the parent named by inherit:, or the built-in roles. */
static struct theme *
theme_parent(struct theme_file *f, const char *name, long dir, yaml_node_t *v)
{
	struct theme_loader *ld = f->ld;
	struct theme *parent, *t;
	char qb[48];

	if (v == NULL)
		return theme_new_base(name);
	if (v->type != YAML_SCALAR_NODE) {
		theme_error(f, v, "'inherit' must be a theme name");
		return NULL;
	}
	if (!theme_name_valid(theme_scalar(v)) ||
	    strlen(theme_scalar(v)) != v->data.scalar.length) {
		theme_error(f, v, "theme name '%s' is not valid",
		    theme_quote(theme_scalar(v), qb, sizeof qb));
		return NULL;
	}
	if (ld->dirs == NULL) {
		theme_error(f, v, "theme '%s' not found", theme_scalar(v));
		return NULL;
	}
	if (ld->depth >= THEME_MAX_INHERIT) {
		theme_error(f, v, "inherit chain deeper than %d",
		    THEME_MAX_INHERIT);
		return NULL;
	}
	/* Inheriting one's own name means the next one down the list. */
	parent = theme_load_at(ld, theme_scalar(v),
	    strcmp(theme_scalar(v), name) == 0 ? dir + 1 : 0,
	    &v->start_mark, f->file);
	if (parent == NULL)
		return NULL;
	t = xcalloc(1, sizeof *t);
	theme_copy(t, parent);
	theme_free(parent);
	snprintf(t->name, sizeof t->name, "%s", name);
	free(t->description);
	t->description = xstrdup("");
	return t;
}

static struct theme *
theme_parse(struct theme_loader *ld, const char *file, const char *name,
    long dir, const char *text, size_t len)
{
	static const char *const top[] = { "description", "inherit", "palette",
	    "roles" };
	struct theme_file f;
	yaml_document_t doc;
	yaml_node_t *root, *k, *v, *vals[4] = { NULL, NULL, NULL, NULL };
	yaml_node_pair_t *p;
	char qb[48];
	size_t i;

	memset(&f, 0, sizeof f);
	f.ld = ld;
	f.file = file;
	f.doc = &doc;
	if (yamldoc_load(file, text, len, &doc, ld->err, ld->errlen) != 0)
		return NULL;
	if ((root = yaml_document_get_root_node(&doc)) != NULL) {
		if (root->type != YAML_MAPPING_NODE) {
			theme_error(&f, root, "a theme must be a mapping");
			goto fail;
		}
		if (theme_check_keys(&f, root) != 0)
			goto fail;
		for (p = root->data.mapping.pairs.start;
		    p < root->data.mapping.pairs.top; p++) {
			k = yaml_document_get_node(&doc, p->key);
			v = yaml_document_get_node(&doc, p->value);
			for (i = 0; i < 4; i++) {
				if (strcmp(theme_scalar(k), top[i]) == 0)
					break;
			}
			if (i == 4) {
				theme_error(&f, k, "unknown top-level key '%s'",
				    theme_quote(theme_scalar(k), qb, sizeof qb));
				goto fail;
			}
			vals[i] = v;
		}
	}
	if ((f.t = theme_parent(&f, name, dir, vals[1])) == NULL)
		goto fail;
	if (vals[0] != NULL) {
		if (vals[0]->type != YAML_SCALAR_NODE) {
			theme_error(&f, vals[0], "'description' must be a string");
			goto fail;
		}
		free(f.t->description);
		f.t->description = xstrdup(theme_scalar(vals[0]));
	}
	if (vals[2] != NULL && theme_parse_palette(&f, vals[2]) != 0)
		goto fail;
	if (vals[3] != NULL && theme_parse_roles(&f, vals[3]) != 0)
		goto fail;
	if (theme_bind_roles(&f) != 0)
		goto fail;
	yaml_document_delete(&doc);
	return f.t;

fail:
	theme_free(f.t);
	yaml_document_delete(&doc);
	return NULL;
}

/* Read path whole: 0, 1 if it does not exist, -1 with err. */
static int
theme_read_file(const char *path, char **text, size_t *len, char *err,
    size_t errlen)
{
	struct stat st;
	FILE *fp;
	size_t n;

	*text = NULL;
	*len = 0;
	if ((fp = fopen(path, "re")) == NULL) {
		if (errno == ENOENT || errno == ENOTDIR)
			return 1;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fileno(fp), &st) != 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", path);
		fclose(fp);
		return -1;
	}
	if (st.st_size > THEME_MAX_SIZE) {
		snprintf(err, errlen, "%s: larger than %d bytes", path,
		    THEME_MAX_SIZE);
		fclose(fp);
		return -1;
	}
	*text = xmalloc((size_t)st.st_size + 1);
	n = fread(*text, 1, (size_t)st.st_size, fp);
	if (ferror(fp)) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		free(*text);
		*text = NULL;
		fclose(fp);
		return -1;
	}
	fclose(fp);
	(*text)[n] = '\0';
	*len = n;
	return 0;
}

/* Load name from the first of dirs[from..] holding it; at/from_file place
 * the error when it is an inherit: that cannot be satisfied. */
static struct theme *
theme_load_at(struct theme_loader *ld, const char *name, long from,
    const yaml_mark_t *at, const char *from_file)
{
	struct theme *t = NULL;
	char *path, *text;
	size_t len, n;
	long i;
	int j, rc;

	for (n = 0; ld->dirs[n] != NULL; n++)
		;
	for (i = from; i >= 0 && (size_t)i < n; i++) {
		path = xasprintf("%s/%s.yaml", ld->dirs[i], name);
		rc = theme_read_file(path, &text, &len, ld->err, ld->errlen);
		if (rc == 1) {
			free(path);
			continue;
		}
		if (rc < 0) {
			free(path);
			return NULL;
		}
		for (j = 0; j < ld->depth; j++) {
			if (strcmp(ld->chain[j], name) == 0 &&
			    ld->chain_dir[j] == i)
				break;
		}
		if (j < ld->depth) {
			snprintf(ld->err, ld->errlen,
			    "%s:%lu:%lu: theme '%s' inherits itself", from_file,
			    (unsigned long)at->line + 1,
			    (unsigned long)at->column + 1, name);
		} else {
			snprintf(ld->chain[ld->depth], THEME_NAME_MAX, "%s", name);
			ld->chain_dir[ld->depth++] = i;
			t = theme_parse(ld, path, name, i, text, len);
			ld->depth--;
		}
		free(text);
		free(path);
		return t;
	}
	if (at != NULL)
		snprintf(ld->err, ld->errlen, "%s:%lu:%lu: theme '%s' not found",
		    from_file, (unsigned long)at->line + 1,
		    (unsigned long)at->column + 1, name);
	else
		snprintf(ld->err, ld->errlen, "theme '%s' not found", name);
	return NULL;
}

struct theme *
theme_load(const char *name, const char *const *dirs, char *err, size_t errlen)
{
	static const char *const none[] = { NULL };
	struct theme_loader ld;
	char qb[48];

	memset(&ld, 0, sizeof ld);
	ld.dirs = dirs != NULL ? dirs : none;
	ld.err = err;
	ld.errlen = errlen;
	if (!theme_name_valid(name)) {
		snprintf(err, errlen, "theme name '%s' is not valid",
		    theme_quote(name, qb, sizeof qb));
		return NULL;
	}
	return theme_load_at(&ld, name, 0, NULL, NULL);
}

struct theme *
theme_load_string(const char *file, const char *text, size_t len,
    const char *const *dirs, char *err, size_t errlen)
{
	static const char *const none[] = { NULL };
	struct theme_loader ld;
	char name[THEME_NAME_MAX];
	const char *base = strrchr(file, '/');
	size_t n;

	memset(&ld, 0, sizeof ld);
	ld.dirs = dirs != NULL ? dirs : none;
	ld.err = err;
	ld.errlen = errlen;
	base = base != NULL ? base + 1 : file;
	n = strlen(base);
	if (n > 5 && strcmp(base + n - 5, ".yaml") == 0)
		n -= 5;
	if (n >= sizeof name)
		n = sizeof name - 1;
	memcpy(name, base, n);
	name[n] = '\0';
	/* Not from a directory: an inherit of its own name searches them all. */
	return theme_parse(&ld, file, name, -1, text, len);
}
