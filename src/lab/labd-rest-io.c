/* SPDX-License-Identifier: MIT */
/* The lab's catalog on the loop: reading a snapshot of <root>/meta/ in one
 * txn, committing a store's operations as one guarded txn, and serving a
 * proxy's REST call as reach the coordinators it needs -> read -> answer ->
 * commit (retried on a conflict). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "milvusadm/etcd.h"
#include "milvusadm/log.h"
#include "milvusadm/timeutil.h"
#include "milvusadm/xalloc.h"
#include "labd.h"
#include "labd-bucket.h"
#include "labd-rest.h"

#define MAX_TRIES	8	/* commits that lose a race and re-read */

/* labd_snapshot's ranges: meta/ before the sessions, the querynode
 * sessions, meta/ after the sessions, the gid key. */
#define SNAP_RANGES	4

struct snap_call {
	struct labd *d;
	labd_snap_cb cb;
	void *arg;
};

static void
on_snapshot(const struct etcd_result *r, void *arg)
{
	struct snap_call *sc = arg;
	struct lstore *s;
	size_t i, j;

	if (r->err != 0 || r->n_responses != SNAP_RANGES) {
		sc->cb(sc->d, NULL, r->err != 0 ? r->errmsg : "unexpected txn answer", sc->arg);
		free(sc);
		return;
	}
	s = lstore_new(sc->d->root);
	s->rev = r->header.revision;
	for (i = 0; i < SNAP_RANGES; i++) {
		for (j = 0; j < r->responses[i].n_kvs; j++) {
			const struct etcd_kv *kv = &r->responses[i].kvs[j];

			lstore_add_kv(s, kv->key, kv->key_len, kv->value, kv->value_len,
			    kv->mod_revision);
		}
	}
	lstore_sort(s);
	sc->cb(sc->d, s, NULL, sc->arg);
	free(sc);
}

/* nodes: read the querynode sessions too (the store's nodes). */
static void
snapshot_read(struct labd *d, bool nodes, labd_snap_cb cb, void *arg)
{
	struct snap_call *sc = xcalloc(1, sizeof *sc);
	struct etcd_txn *t = etcd_txn_new();
	char *prefix = xasprintf("%s/meta/", d->root), *end;
	char *sess = xasprintf("%s/meta/session/", d->root), *sess_end;
	char *qn = xasprintf("%s/meta/session/querynode-", d->root), *qn_end;
	char *gid = xasprintf("%s/kv/gid/idTimestamp", d->root);

	sc->d = d;
	sc->cb = cb;
	sc->arg = arg;
	end = etcd_prefix_end(prefix, strlen(prefix), NULL);
	sess_end = etcd_prefix_end(sess, strlen(sess), NULL);
	qn_end = nodes ? etcd_prefix_end(qn, strlen(qn), NULL) : xstrdup(qn);
	/* One txn: every range is read at the same revision. Of the sessions
	 * only the querynodes' are read (the store keeps no other): a proxy
	 * holds them in memory, and reading thousands of worker sessions per
	 * call would make the lab, not the tool, the slow part of a large lab. */
	etcd_txn_range(t, true, prefix, sess);
	etcd_txn_range(t, true, qn, qn_end);
	etcd_txn_range(t, true, sess_end, end);
	etcd_txn_range(t, true, gid, NULL);
	etcd_txn_commit(d->etcd, t, on_snapshot, sc);
	free(prefix);
	free(end);
	free(sess);
	free(sess_end);
	free(qn);
	free(qn_end);
	free(gid);
}

void
labd_snapshot(struct labd *d, labd_snap_cb cb, void *arg)
{
	snapshot_read(d, true, cb, arg);
}

struct commit_call {
	struct labd *d;
	labd_commit_cb cb;
	void *arg;
};

static void
on_commit(const struct etcd_result *r, void *arg)
{
	struct commit_call *cc = arg;

	if (r->err != 0)
		cc->cb(cc->d, -1, r->errmsg, cc->arg);
	else
		cc->cb(cc->d, r->succeeded ? 0 : 1, NULL, cc->arg);
	free(cc);
}

void
labd_commit(struct labd *d, const struct lstore_ops *ops, labd_commit_cb cb, void *arg)
{
	struct commit_call *cc = xcalloc(1, sizeof *cc);
	struct etcd_txn *t = etcd_txn_new();
	char num[32], *end;
	size_t i;

	cc->d = d;
	cc->cb = cb;
	cc->arg = arg;
	for (i = 0; i < ops->n; i++) {
		const struct lstore_op *op = &ops->v[i];

		switch (op->kind) {
		case LSTORE_CMP_ABSENT:
			etcd_txn_cmp_int(t, op->key, ETCD_CMP_VERSION, ETCD_CMP_EQUAL, 0);
			break;
		case LSTORE_CMP_MOD:
			/* An absent key has mod_revision 0, so 0 also means "still absent". */
			etcd_txn_cmp_int(t, op->key, ETCD_CMP_MOD, ETCD_CMP_EQUAL, op->n);
			break;
		case LSTORE_CMP_GID:
			if (op->n == 0)
				etcd_txn_cmp_int(t, op->key, ETCD_CMP_VERSION, ETCD_CMP_EQUAL, 0);
			else {
				snprintf(num, sizeof num, "%lld", (long long)op->n);
				etcd_txn_cmp_value(t, op->key, ETCD_CMP_EQUAL, num, strlen(num));
			}
			break;
		case LSTORE_PUT:
			etcd_txn_put(t, true, op->key, op->val, strlen(op->val), 0);
			break;
		case LSTORE_DEL:
			end = op->prefix ? etcd_prefix_end(op->key, strlen(op->key), NULL) : NULL;
			etcd_txn_delete(t, true, op->key, end);
			free(end);
			break;
		}
	}
	etcd_txn_commit(d->etcd, t, on_commit, cc);
}

/* ---- one REST call ---- */

enum { JOB_V2, JOB_V1_REPLICAS, JOB_QC_REPLICA };

struct labd_rest_job {
	struct labd *d;
	struct labd_http_req *req;	/* NULL once the client went away */
	int kind;
	char *path;
	char *body;
	size_t len;
	char *db_header;
	int tries;
	unsigned hard;			/* coordinators the call needs (lfwd_need) */
	char *coord_err[LREST_NCOORDS];	/* soft ones that could not be reached */
	struct lrest_out out;
};

static void job_run(struct labd_rest_job *j);

/* An insert's binlogs go to storage before its segment record is committed,
 * as a datanode writes binlogs before datacoord saves them: a failed commit
 * leaves orphans, which are removed here as GC would later. */
static int
job_write_files(struct labd_rest_job *j, char *err, size_t errlen)
{
	size_t i;

	for (i = 0; i < j->out.n_files; i++) {
		if (lbk_put(j->d->storage, j->out.files[i].path, j->out.files[i].data,
		    j->out.files[i].len, err, errlen) != 0)
			return -1;
	}
	return 0;
}

static void
job_unwrite_files(struct labd_rest_job *j)
{
	char *path;
	size_t i;

	for (i = 0; i < j->out.n_files; i++) {
		path = xasprintf("%s/%s", j->d->storage, j->out.files[i].path);
		(void)unlink(path);
		free(path);
	}
}

static void
job_finish(struct labd_rest_job *j)
{
	size_t i;

	if (j->req != NULL)
		labd_http_answer(j->req, j->out.status, j->out.ctype,
		    j->out.body.data != NULL ? j->out.body.data : "", j->out.body.len);
	lrest_out_release(&j->out);
	free(j->path);
	free(j->body);
	free(j->db_header);
	for (i = 0; i < LREST_NCOORDS; i++)
		free(j->coord_err[i]);
	free(j);
}

static void
job_fail(struct labd_rest_job *j, const char *why)
{
	lstore_ops_release(&j->out.ops);
	buf_reset(&j->out.body);
	j->out.status = 200;
	j->out.ctype = "application/json; charset=utf-8";
	/* The proxy cannot reach the meta store: Milvus's "service unavailable". */
	buf_adds(&j->out.body, "{\"code\":2,\"message\":");
	{
		struct buf m = BUF_INIT;

		buf_printf(&m, "service unavailable: %s", why);
		buf_add_json_str(&j->out.body, m.data);
		buf_release(&m);
	}
	buf_addc(&j->out.body, '}');
	if (j->kind != JOB_V2) {
		j->out.status = 500;
		buf_reset(&j->out.body);
		buf_adds(&j->out.body, "{\"message\":\"service unavailable\"}");
	}
	job_finish(j);
}

static void
on_job_commit(struct labd *d, int rc, const char *err, void *arg)
{
	struct labd_rest_job *j = arg;

	if (rc == 0) {
		if (j->out.gc_coll != 0 && d->storage != NULL) {
			char *rel = lbin_coll_dir(j->out.gc_coll), *path;

			path = xasprintf("%s/%s", d->storage, rel);
			(void)lbk_remove_tree(path);
			free(path);
			free(rel);
		}
		job_finish(j);
		return;
	}
	/* Only a failed compare is sure not to have committed; after an etcd
	 * error the record may list these files, so they stay. */
	if (rc == 1)
		job_unwrite_files(j);
	if (rc == 1 && ++j->tries < MAX_TRIES) {
		/* Another proxy or the querycoord wrote first: read again. */
		lrest_out_release(&j->out);
		memset(&j->out, 0, sizeof j->out);
		job_run(j);
		return;
	}
	job_fail(j, rc == 1 ? "too many concurrent changes" : err);
}

/* Queries read the binlogs inserts wrote (labd-rest-rows.c): local files,
 * read on the loop as inserts write them, each bounded by max. */
static char *
job_read(void *arg, const char *rel, size_t max, size_t *len, char *err, size_t errlen)
{
	struct labd *d = arg;
	char *path = xasprintf("%s/%s", d->storage, rel), *data;

	data = lbk_read(path, max, len, err, errlen);
	free(path);
	return data;
}

static void
on_job_snapshot(struct labd *d, struct lstore *s, const char *err, void *arg)
{
	struct labd_rest_job *j = arg;
	struct lrest_req rq;
	char why[256];
	size_t i;

	if (s == NULL) {
		job_fail(j, err);
		return;
	}
	memset(&rq, 0, sizeof rq);
	rq.path = j->path;
	rq.body = j->body;
	rq.len = j->len;
	rq.db_header = j->db_header;
	rq.v = d->v;
	rq.now_ms = time_wall_ms();
	rq.keep_rows = d->storage != NULL;
	rq.read = d->storage != NULL ? job_read : NULL;
	rq.read_arg = d;
	for (i = 0; i < LREST_NCOORDS; i++)
		rq.coord_err[i] = j->coord_err[i];
	if (j->kind == JOB_V2)
		lrest_serve(s, &rq, &j->out);
	else if (j->kind == JOB_V1_REPLICAS)
		lrest_replicas_v1(s, j->body, j->len, &j->out);
	else
		lrest_replicas_qc(s, &j->out);
	lstore_free(s);
	if (j->out.ops.n == 0) {
		job_finish(j);
		return;
	}
	if (j->out.n_files > 0 && job_write_files(j, why, sizeof why) != 0) {
		job_unwrite_files(j);
		job_fail(j, why);
		return;
	}
	labd_commit(d, &j->out.ops, on_job_commit, j);
}

/* Does the call read the querynodes? The reads that tell what is there
 * (list, describe, get_stats, get_load_state, has) do not, and a proxy would
 * not read thousands of sessions to answer them; anything that may load
 * (create with an index, load) or lists nodes does. */
static bool
job_needs_nodes(const struct labd_rest_job *j)
{
	static const char *const reads[] = { "/list", "/describe", "/get_stats",
		"/get_load_state", "/has", NULL };
	const char *last;
	size_t i;

	if (j->kind != JOB_V2 || strstr(j->path, "resource_groups") != NULL ||
	    (last = strrchr(j->path, '/')) == NULL)
		return true;
	for (i = 0; reads[i] != NULL; i++) {
		if (strcmp(last, reads[i]) == 0)
			return false;
	}
	return true;
}

static void
job_run(struct labd_rest_job *j)
{
	snapshot_read(j->d, job_needs_nodes(j), on_job_snapshot, j);
}

/* The proxy reached (or not) the coordinators the call needs: a needed one
 * missing fails the call as the gRPC call to it would have (Milvus's
 * ErrServiceUnavailable, code 2); a tolerated one is remembered for the answer. */
static void
on_forward(struct labd *d, unsigned down, void *arg)
{
	struct labd_rest_job *j = arg;
	char why[64];
	int c;

	for (c = 0; c < LREST_NCOORDS; c++) {
		if ((down & (1u << c)) == 0)
			continue;
		if ((j->hard & (1u << c)) != 0) {
			snprintf(why, sizeof why, "no available %s", lfwd_name(d->v, c));
			job_fail(j, why);
			return;
		}
		j->coord_err[c] = xasprintf("service unavailable: no available %s",
		    lfwd_name(d->v, c));
	}
	job_run(j);
}

struct labd_rest_job *
labd_rest_start(struct labd *d, struct labd_http_req *req, const char *url, const char *body,
    size_t len, const char *db_header)
{
	struct labd_rest_job *j = xcalloc(1, sizeof *j);
	unsigned soft;

	j->d = d;
	j->req = req;
	if (strncmp(url, "/v2/vectordb/", 13) == 0) {
		j->kind = JOB_V2;
		j->path = xstrdup(url + 13);
	} else if (strcmp(url, "/api/v1/replicas") == 0) {
		j->kind = JOB_V1_REPLICAS;
	} else
		j->kind = JOB_QC_REPLICA;
	if (len > 0) {
		j->body = xmalloc(len + 1);
		memcpy(j->body, body, len);
		j->body[len] = '\0';
		j->len = len;
	}
	if (db_header != NULL)
		j->db_header = xstrndup(db_header, LSTORE_MAX_NAME + 1);
	lfwd_need(d->v, url, j->body, j->len, &j->hard, &soft);
	if ((j->hard | soft) == 0)
		job_run(j);
	else
		lfwd_check(d, j->hard | soft, on_forward, j);
	return j;
}

void
labd_rest_detach(struct labd_rest_job *j)
{
	j->req = NULL;
}
