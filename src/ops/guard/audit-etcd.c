/* SPDX-License-Identifier: MIT */
/* The audit trail a team shares: each audit line also written into etcd
 * under the tool's own prefix, one key per line named by its time so that
 * keys sort by time, the oldest deleted beyond audit.etcd_keep; and read
 * back for `audit --shared`. The etcd client is the profile's gatherer's
 * (state_new), with its endpoints, TLS and authentication. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/audit.h"
#include "milvusadm/config.h"
#include "milvusadm/etcd.h"
#include "milvusadm/loop.h"
#include "milvusadm/protect.h"
#include "milvusadm/state.h"
#include "milvusadm/xalloc.h"

/* Keys per range when reading: a long trail is read in pages. */
#define AUDIT_ETCD_PAGE		500
/* 13 digits of milliseconds reach the year 2286. */
#define AUDIT_ETCD_MS_MAX	9999999999999LL

char *
audit_etcd_dir(const char *prefix, const char *root_path, char *err, size_t errlen)
{
	const char *root = root_path != NULL ? root_path : "by-dev";
	char *dir, *r;
	size_t n;

	if (prefix == NULL)
		prefix = "milvusadm/";
	r = xstrdup(root);
	/* "by-dev/" and "by-dev" are the same root: Milvus joins with '/'. */
	for (n = strlen(r); n > 1 && r[n - 1] == '/'; n--)
		r[n - 1] = '\0';
	if (!protect_prefix_ok(prefix, r)) {
		snprintf(err, errlen, "guards.etcd_prefix '%s' is not outside etcd.root_path "
		    "'%s': the audit trail would mix with Milvus's keys", prefix, r);
		free(r);
		return NULL;
	}
	free(r);
	dir = xasprintf("%saudit/", prefix);
	return dir;
}

char *
audit_etcd_key(const char *dir, int64_t time_ms, const char *id, const char *phase)
{
	if (time_ms < 0)
		time_ms = 0;
	if (time_ms > AUDIT_ETCD_MS_MAX)
		time_ms = AUDIT_ETCD_MS_MAX;
	return xasprintf("%s%013" PRId64 "-%s-%s", dir, time_ms, id != NULL ? id : "",
	    phase != NULL ? phase : "");
}

int64_t
audit_etcd_trim_count(int64_t count, int64_t keep)
{
	/* The line just written always stays. */
	if (keep < 1)
		keep = 1;
	if (count <= keep)
		return 0;
	return count - keep > AUDIT_ETCD_TRIM_MAX ? AUDIT_ETCD_TRIM_MAX : count - keep;
}

/* One mirror: put, count, find the oldest to go, delete them; each step
 * starts the next from its callback. */
struct mirror {
	struct etcd *e;
	const char *dir;
	char *end;			/* the end of the range of dir */
	int64_t keep, excess;
	int done, rc;
	char *err;
	size_t errlen;
};

static void
mirror_end(struct mirror *m, const char *what, const struct etcd_result *res)
{
	if (what != NULL) {
		snprintf(m->err, m->errlen, "%s: %s", what, res->errmsg);
		m->rc = -1;
	}
	m->done = 1;
}

static void
mirror_deleted(const struct etcd_result *res, void *arg)
{
	mirror_end(arg, res->err != ETCD_OK ? "line written, the trim failed" : NULL, res);
}

static void
mirror_oldest(const struct etcd_result *res, void *arg)
{
	struct mirror *m = arg;

	if (res->err != ETCD_OK) {
		mirror_end(m, "line written, the trim failed", res);
		return;
	}
	/* Fewer than that: another writer trimmed meanwhile. Else delete
	 * from the first key up to (not including) the first one kept. */
	if ((int64_t)res->n_kvs <= m->excess)
		mirror_end(m, NULL, res);
	else if (etcd_delete(m->e, m->dir, res->kvs[m->excess].key, false, mirror_deleted, m) != 0)
		mirror_end(m, NULL, res);
}

static void
mirror_counted(const struct etcd_result *res, void *arg)
{
	struct mirror *m = arg;

	if (res->err != ETCD_OK) {
		mirror_end(m, "line written, the trim failed", res);
		return;
	}
	m->excess = audit_etcd_trim_count(res->count, m->keep);
	if (m->excess == 0 || etcd_range(m->e, m->dir, m->end, m->excess + 1,
	    ETCD_RANGE_KEYS_ONLY, mirror_oldest, m) != 0)
		mirror_end(m, NULL, res);
}

static void
mirror_put(const struct etcd_result *res, void *arg)
{
	struct mirror *m = arg;

	if (res->err != ETCD_OK)
		mirror_end(m, "cannot write the line", res);
	else if (etcd_range(m->e, m->dir, m->end, 0, ETCD_RANGE_COUNT_ONLY, mirror_counted,
	    m) != 0)
		mirror_end(m, NULL, res);
}

int
audit_etcd_mirror(struct loop *l, const struct profile *p, const struct audit_entry *e,
    const char *line, char *err, size_t errlen)
{
	long timeout = p->timeout_ms > 0 ? (long)p->timeout_ms : 5000;
	struct mirror m;
	struct state *st;
	char *dir, *key;
	size_t len = strlen(line);

	if ((dir = audit_etcd_dir(p->guards_etcd_prefix, p->etcd_root_path, err, errlen)) == NULL)
		return -1;
	if ((st = state_new(l, p, err, errlen)) == NULL) {
		free(dir);
		return -1;
	}
	memset(&m, 0, sizeof m);
	m.e = state_etcd(st);
	m.dir = dir;
	m.end = etcd_prefix_end(dir, strlen(dir), NULL);
	m.keep = p->audit_etcd_keep;
	m.err = err;
	m.errlen = errlen;
	key = audit_etcd_key(dir, e->time_ms, e->id, e->phase);
	/* The value is the line as the file has it, without its newline. */
	if (len > 0 && line[len - 1] == '\n')
		len--;
	if (etcd_put(m.e, key, line, len, 0, mirror_put, &m) != 0)
		mirror_end(&m, NULL, NULL);
	/* The whole exchange within the profile's timeout, whatever the number
	 * of endpoints the client would try: an action never waits longer on
	 * its audit trail. Freeing the client cancels what is still going. */
	if (loop_run_until(l, &m.done, timeout) != 0) {
		snprintf(err, errlen, "no answer from etcd within %ld ms", timeout);
		m.rc = -1;
	}
	state_free(st);
	free(key);
	free(m.end);
	free(dir);
	return m.rc;
}

size_t
audit_etcd_records(const struct etcd_kv *kvs, size_t n, int64_t since_ms, const char *profile,
    void (*each)(const struct audit_record *r, void *arg),
    void (*skip)(const char *key, const char *why, void *arg), void *arg)
{
	struct audit_record r;
	size_t i, skipped = 0;

	for (i = 0; i < n; i++) {
		if (audit_parse_line(kvs[i].value, kvs[i].value_len, &r) != 0) {
			skipped++;
			if (skip != NULL)
				skip(kvs[i].key, "not an audit record", arg);
			continue;
		}
		if (r.time_ms >= since_ms && (profile == NULL ||
		    (r.profile != NULL && strcmp(r.profile, profile) == 0)))
			each(&r, arg);
		audit_record_free(&r);
	}
	return skipped;
}

int
audit_etcd_read(struct loop *l, const struct profile *p, int64_t since_ms, const char *profile,
    void (*each)(const struct audit_record *r, void *arg),
    void (*skip)(const char *key, const char *why, void *arg), void *arg,
    bool *unreachable, char *err, size_t errlen)
{
	struct etcd_result *res;
	struct state *st;
	char *dir, *end, *start, *last = NULL;
	size_t i;
	int rc = 0;

	*unreachable = false;
	if ((dir = audit_etcd_dir(p->guards_etcd_prefix, p->etcd_root_path, err, errlen)) == NULL)
		return -1;
	if ((st = state_new(l, p, err, errlen)) == NULL) {
		free(dir);
		return -1;
	}
	end = etcd_prefix_end(dir, strlen(dir), NULL);
	/* Keys begin with the time: --since starts the range there. */
	start = since_ms > 0 ? xasprintf("%s%013" PRId64, dir, since_ms) : xstrdup(dir);
	for (;;) {
		res = etcd_range_sync(state_etcd(st), last != NULL ? last : start, end,
		    AUDIT_ETCD_PAGE, 0);
		if (res->err != ETCD_OK) {
			*unreachable = res->err == ETCD_EUNREACHABLE;
			snprintf(err, errlen, "etcd: %s", res->errmsg);
			etcd_result_free(res);
			rc = -1;
			break;
		}
		/* A page goes on from the previous page's last key, which it
		 * holds again: leave that one out. */
		i = last != NULL && res->n_kvs > 0 && strcmp(res->kvs[0].key, last) == 0;
		(void)audit_etcd_records(res->kvs + i, res->n_kvs - i, since_ms, profile, each, skip,
		    arg);
		free(last);
		last = res->n_kvs > i && res->more ? xstrdup(res->kvs[res->n_kvs - 1].key) : NULL;
		etcd_result_free(res);
		if (last == NULL)
			break;
	}
	free(last);
	free(start);
	free(end);
	free(dir);
	state_free(st);
	return rc;
}
