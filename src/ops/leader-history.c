/* SPDX-License-Identifier: MIT */
/* The tool's own leader history per profile (leader_history.h): a small TSV
 * file replaced whole (fs_write_atomic) each time it changes. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/buf.h"
#include "milvusadm/cluster.h"
#include "milvusadm/config.h"
#include "milvusadm/fsutil.h"
#include "milvusadm/leader_history.h"
#include "milvusadm/xalloc.h"
#include "state-int.h"

#define LH_HEADER	"# milvusadm leader history 1\n"
#define LH_FIELDS	8

char *
leader_history_path(const char *profile)
{
	char *dir = config_state_dir(), *path;
	struct buf b = BUF_INIT;

	if (dir == NULL)
		return NULL;
	fs_name_part(&b, profile != NULL && *profile != '\0' ? profile : "default");
	path = xasprintf("%s/leaders/%s.tsv", dir, b.data);
	buf_release(&b);
	free(dir);
	return path;
}

static bool
lh_is_leader(const struct event *e)
{
	return e->kind == EV_LEADER_CHANGED || e->kind == EV_LEADER_LOST;
}

void
leader_history_free(struct event *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(v[i].role);
		free(v[i].text);
	}
	free(v);
}

/* Cluster text in a TSV field: tabs, newlines and other controls become '?'. */
static void
lh_add_field(struct buf *b, const char *s, size_t max)
{
	size_t i;

	for (i = 0; s != NULL && s[i] != '\0' && i < max; i++) {
		unsigned char ch = (unsigned char)s[i];

		buf_printf(b, "%c", ch < 0x20 || ch == 0x7f ? '?' : ch);
	}
}

char *
leader_history_format(const char *root, const struct event *v, size_t n)
{
	struct buf b = BUF_INIT;
	size_t i;

	buf_adds(&b, LH_HEADER);
	buf_adds(&b, "root\t");
	lh_add_field(&b, root, 256);
	buf_adds(&b, "\n");
	for (i = 0; i < n; i++) {
		const struct event *e = &v[i];

		buf_printf(&b, "%lld\t%lld\t%s\t%s\t", (long long)e->revision,
		    (long long)(e->wall_ms > 0 ? e->wall_ms : 0),
		    event_time_source_name(e->wall_ms > 0 ? e->time_source : EVT_UNKNOWN),
		    event_kind_name(e->kind));
		lh_add_field(&b, e->role, 64);
		buf_printf(&b, "\t%lld\t%lld\t", (long long)e->server_id, (long long)e->old_id);
		lh_add_field(&b, e->text, 512);
		buf_adds(&b, "\n");
	}
	return buf_detach(&b, NULL);
}

static int
lh_int(const char *s, long long *out)
{
	char *end;

	errno = 0;
	*out = strtoll(s, &end, 10);
	return end == s || *end != '\0' || errno != 0 ? -1 : 0;
}

/* One record line split in place (f[] point into line); -1 when malformed. */
static int
lh_parse_line(char *line, struct event *e)
{
	char *f[LH_FIELDS], *p = line;
	long long rev, ms, sid, oid;
	int k, kind;

	for (k = 0; k < LH_FIELDS; k++) {
		f[k] = p;
		if (k == LH_FIELDS - 1)
			break;
		if ((p = strchr(p, '\t')) == NULL)
			return -1;
		*p++ = '\0';
	}
	if (lh_int(f[0], &rev) != 0 || rev <= 0 || lh_int(f[1], &ms) != 0 || ms < 0 ||
	    (kind = event_kind_parse(f[3])) < 0 ||
	    (kind != EV_LEADER_CHANGED && kind != EV_LEADER_LOST) || *f[4] == '\0' ||
	    lh_int(f[5], &sid) != 0 || lh_int(f[6], &oid) != 0)
		return -1;
	memset(e, 0, sizeof *e);
	e->revision = rev;
	e->wall_ms = ms;
	e->time_source = ms <= 0 ? EVT_UNKNOWN : strcmp(f[2], "process_start") == 0 ?
	    EVT_PROCESS_START : EVT_OBSERVED;
	e->kind = (enum event_kind)kind;
	e->role = xstrndup(f[4], 64);
	e->server_id = sid;
	e->old_id = oid;
	e->old_health = e->health = -1;
	e->text = xstrndup(f[7], 512);
	e->local = true;
	return 0;
}

struct event *
leader_history_parse(const char *text, size_t len, const char *root, size_t *n)
{
	struct event *v = NULL;
	char *copy, *line, *next;
	bool ours = false;
	size_t nv = 0;

	*n = 0;
	if (len < sizeof LH_HEADER - 1 || memcmp(text, LH_HEADER, sizeof LH_HEADER - 1) != 0)
		return NULL;
	copy = xstrndup(text + sizeof LH_HEADER - 1, len - (sizeof LH_HEADER - 1));
	for (line = copy; line != NULL && *line != '\0'; line = next) {
		struct event e;

		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		if (strncmp(line, "root\t", 5) == 0) {
			/* Records follow their root line; another root's are not
			 * this cluster's. */
			ours = strcmp(line + 5, root) == 0;
			continue;
		}
		if (!ours || nv >= LEADER_HISTORY_MAX * 2 || lh_parse_line(line, &e) != 0)
			continue;
		v = xreallocarray(v, nv + 1, sizeof *v);
		v[nv++] = e;
	}
	free(copy);
	*n = nv;
	return v;
}

static void
lh_copy(struct event *dst, const struct event *src)
{
	*dst = *src;
	dst->role = src->role != NULL ? xstrndup(src->role, 64) : NULL;
	dst->text = xstrndup(src->text != NULL ? src->text : "", 512);
}

static int
lh_cmp(const void *a, const void *b)
{
	const struct event *x = a, *y = b;
	int c;

	if (x->revision != y->revision)
		return x->revision < y->revision ? -1 : 1;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if ((c = strcmp(x->role, y->role)) != 0)
		return c;
	return x->server_id < y->server_id ? -1 : x->server_id > y->server_id;
}

struct event *
leader_history_collect(const struct events *ev, const struct event *old, size_t n_old,
    bool complete, size_t *n)
{
	size_t i, nv = 0, total = events_count(ev), out = 0;
	int64_t first = 0;
	struct event *v = xcalloc(total + n_old + 1, sizeof *v);

	/* What the ring covers: with events dropped from it, older revisions
	 * cannot be checked against etcd any more and are kept as they are. */
	if (complete && events_dropped(ev) > 0 && total > 0)
		first = events_get(ev, 0)->revision;
	for (i = 0; i < total; i++) {
		const struct event *e = events_get(ev, i);

		if (lh_is_leader(e) && e->role != NULL && e->revision > 0)
			lh_copy(&v[nv++], e);
	}
	for (i = 0; i < n_old; i++) {
		if (complete && old[i].revision >= first)
			continue;	/* etcd holds it (matched above) or denies it */
		lh_copy(&v[nv++], &old[i]);
	}
	if (nv > 1)
		qsort(v, nv, sizeof *v, lh_cmp);
	/* Duplicates (the ring and the file) next to each other: keep one,
	 * with a time if either had one. */
	for (i = 0; i < nv; i++) {
		if (out > 0 && lh_cmp(&v[out - 1], &v[i]) == 0) {
			if (v[out - 1].wall_ms <= 0 && v[i].wall_ms > 0) {
				v[out - 1].wall_ms = v[i].wall_ms;
				v[out - 1].time_source = v[i].time_source;
			}
			free(v[i].role);
			free(v[i].text);
			continue;
		}
		v[out++] = v[i];
	}
	if (out > LEADER_HISTORY_MAX) {
		size_t cut = out - LEADER_HISTORY_MAX;

		for (i = 0; i < cut; i++) {
			free(v[i].role);
			free(v[i].text);
		}
		memmove(v, v + cut, LEADER_HISTORY_MAX * sizeof *v);
		out = LEADER_HISTORY_MAX;
	}
	*n = out;
	return v;
}

static struct event *
lh_load(const char *path, const char *root, size_t *n)
{
	char err[256];
	size_t len;
	char *text = fs_read_all(path, LEADER_HISTORY_MAX_BYTES, &len, err, sizeof err);
	struct event *v;

	*n = 0;
	if (text == NULL)
		return NULL;	/* none yet (or unreadable: rewritten below) */
	v = leader_history_parse(text, len, root, n);
	free(text);
	return v;
}

static int
lh_write(const char *path, const char *root, const struct event *v, size_t n, char *err,
    size_t errlen)
{
	char *text = leader_history_format(root, v, n);
	int rc = fs_mkdirs_for(path, err, errlen);

	if (rc == 0)
		rc = fs_write_atomic(path, text, strlen(text), err, errlen);
	free(text);
	return rc;
}

static bool
lh_is_local(const struct event *e, void *arg)
{
	(void)arg;
	return e->local;
}

int
leader_history_sync(struct state *st, int history_rc, char *err, size_t errlen)
{
	struct cluster *c = st->cluster;
	char *path = leader_history_path(st->profile_name);
	struct event *old, *keep;
	size_t n_old = 0, n_keep;
	int rc;

	old = path != NULL ? lh_load(path, st->root, &n_old) : NULL;
	/* Complete history (0): the file only dates what etcd replayed. Compacted
	 * (1): etcd cannot confirm or deny older changes; the file's are shown,
	 * marked local, unless they are newer than etcd itself. */
	if (history_rc == 1) {
		size_t i, k = 0;

		for (i = 0; i < n_old; i++) {
			if (old[i].revision <= c->sessions_revision)
				old[k++] = old[i];
			else {
				free(old[i].role);
				free(old[i].text);
			}
		}
		n_old = k;
	}
	/* After a compaction the replay is a resync into an empty model: its
	 * joins and "none -> X" changes are the current state, seen at once at
	 * the current revision, not things that happened then. They go; what
	 * is left is the tool's own record. */
	if (history_rc == 1)
		events_retain(c->events, lh_is_local, NULL);
	events_merge(c->events, old, n_old, history_rc == 1);
	cluster_date_events(c);
	if (path == NULL) {
		leader_history_free(old, n_old);
		snprintf(err, errlen, "no state directory (set HOME or XDG_STATE_HOME): "
		    "leader history not kept");
		return -1;
	}
	keep = leader_history_collect(c->events, old, n_old, history_rc == 0, &n_keep);
	rc = lh_write(path, st->root, keep, n_keep, err, errlen);
	leader_history_free(keep, n_keep);
	leader_history_free(old, n_old);
	free(path);
	return rc;
}

int
leader_history_note(struct state *st, const struct event *e, char *err, size_t errlen)
{
	char *path;
	struct event *old, *keep;
	struct events *one;
	size_t n_old = 0, n_keep;
	int rc;

	if (!lh_is_leader(e) || e->role == NULL || e->revision <= 0)
		return 0;
	if ((path = leader_history_path(st->profile_name)) == NULL) {
		snprintf(err, errlen, "no state directory: leader history not kept");
		return -1;
	}
	old = lh_load(path, st->root, &n_old);
	one = events_new(1);
	events_add(one, e->wall_ms, e->revision, e->kind, e->role, e->server_id, e->old_id,
	    "%s", e->text != NULL ? e->text : "");
	keep = leader_history_collect(one, old, n_old, false, &n_keep);
	rc = lh_write(path, st->root, keep, n_keep, err, errlen);
	events_free(one);
	leader_history_free(keep, n_keep);
	leader_history_free(old, n_old);
	free(path);
	return rc;
}

static void
lh_listen(const struct event *e, void *arg)
{
	struct state *st = arg;
	char err[256];

	/* A write that fails now is tried again with the next change; the
	 * TUI said at attach time when there is no state directory. */
	(void)leader_history_note(st, e, err, sizeof err);
}

int
leader_history_attach(struct state *st, char *err, size_t errlen)
{
	struct cluster *c = st->cluster;
	char *path = leader_history_path(st->profile_name);
	struct event *old;
	size_t n_old = 0;

	if (path == NULL) {
		snprintf(err, errlen, "no state directory (set HOME or XDG_STATE_HOME): "
		    "leader history not kept");
		return -1;
	}
	old = lh_load(path, st->root, &n_old);
	/* Marked local: the tool saw them, etcd is not asked to confirm. */
	events_merge(c->events, old, n_old, true);
	leader_history_free(old, n_old);
	free(path);
	events_set_listener(c->events, lh_listen, st);
	return 0;
}

void
leader_history_detach(struct state *st)
{
	events_set_listener(st->cluster->events, NULL, NULL);
}
