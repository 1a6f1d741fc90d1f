/* SPDX-License-Identifier: MIT */
/* Drills of etcd members: PRECHECK from every member's status, DETECT when the
 * member stops answering status, ELECT when another member reports a new
 * leader in a later raft term, RECOVER from ranges of the session prefix
 * through the remaining endpoints and the Milvus session set left intact. */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/buf.h"
#include "milvusadm/cluster.h"
#include "milvusadm/etcd.h"
#include "milvusadm/fault.h"
#include "milvusadm/state.h"
#include "milvusadm/timeutil.h"
#include "milvusadm/xalloc.h"
#include "drill-int.h"
#include "state-int.h"

/* Bound what comes from the network: session keys kept per range. */
#define DRILL_ETCD_MAX_KEYS	4096

/*
 * An answer finds its drill through a tag, not a pointer. The etcd client
 * cancels its calls without calling back when it is freed (state_free, right
 * after a drill in script mode), and cannot cancel one call: so what a call
 * carries must need no freeing, and a drill freed while answers were due must
 * simply not be found when they come. The tag is the drill's generation and
 * the peer asked (TAG_RANGE for the session range).
 */
#define TAG_BITS	16
#define TAG_RANGE	((1u << TAG_BITS) - 1)

struct etcd_peer {
	uint64_t id;
	char *name;
	char *url;
	bool inflight;
	int64_t next_ms;
};

struct drill_etcd {
	struct etcd *e;			/* the state's client (fails over by itself) */
	char *prefix;			/* Milvus session prefix */
	struct etcd_peer *peers;
	size_t n_peers, target;
	uint64_t old_leader, term_before;
	uint64_t new_leader, term_after;
	char **before, **after;		/* "key@lease" */
	size_t n_before, n_after;
	bool have_after, range_inflight;
	int64_t next_range_ms, range_sent_ms;
	int64_t ranges, range_errors;
	uintptr_t gen;			/* this drill's part of the tags */
	struct drill_etcd *next_live;
	void (*ev)(enum drill_ev, int64_t, const struct drill_sample *, void *);
	void *arg;
};

/* Every drill_etcd not yet freed, for the tags; and the last generation. */
static struct drill_etcd *live;
static uintptr_t live_gen;

static void *
de_tag(const struct drill_etcd *de, size_t idx)
{
	return (void *)((de->gen << TAG_BITS) | idx);
}

/* The drill a tag names (NULL when it was freed) and the peer index. */
static struct drill_etcd *
de_find(void *tag, size_t *idx)
{
	uintptr_t t = (uintptr_t)tag;
	struct drill_etcd *de;

	*idx = t & TAG_RANGE;
	for (de = live; de != NULL; de = de->next_live) {
		if (de->gen == t >> TAG_BITS)
			return de;
	}
	return NULL;
}

bool
drill_etcd_is_target(const char *target)
{
	return strcmp(target, "etcd-leader") == 0 || strncmp(target, "etcd/", 5) == 0;
}

int
drill_etcd_pick(const struct etcd_member_state *m, size_t n, const char *target,
    size_t *idx, char *err, size_t errlen)
{
	const char *name = strncmp(target, "etcd/", 5) == 0 ? target + 5 : NULL;
	size_t i, found = n;

	if (n < 3) {
		snprintf(err, errlen, "etcd has %zu member%s: losing one would lose quorum "
		    "(a drill needs at least 3)", n, n == 1 ? "" : "s");
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (!m[i].reachable) {
			snprintf(err, errlen, "etcd member '%s' is not healthy (%.120s): losing "
			    "another could lose quorum", m[i].name != NULL ? m[i].name : "?",
			    m[i].error != NULL ? m[i].error : "unreachable");
			return -1;
		}
		if (m[i].is_learner) {
			snprintf(err, errlen, "etcd member '%s' is a learner: it does not count "
			    "toward quorum", m[i].name != NULL ? m[i].name : "?");
			return -1;
		}
		if (name != NULL ? m[i].name != NULL && strcmp(m[i].name, name) == 0 :
		    m[i].is_leader)
			found = i;
	}
	if (found == n) {
		if (name != NULL)
			snprintf(err, errlen, "no etcd member '%s'", name);
		else
			snprintf(err, errlen, "no etcd member reports being the leader");
		return -1;
	}
	if (m[found].client_url == NULL) {
		snprintf(err, errlen, "etcd member '%s' has no client URL", m[found].name != NULL ?
		    m[found].name : "?");
		return -1;
	}
	*idx = found;
	return 0;
}

bool
drill_etcd_elected(uint64_t old_leader, uint64_t term_before, uint64_t leader, uint64_t term)
{
	return leader != 0 && leader != old_leader && term > term_before;
}

static int
str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

size_t
drill_etcd_lost(char *const *before, size_t n_before, char *const *after, size_t n_after)
{
	char **v;
	size_t i, lost = 0;

	if (n_after == 0)
		return n_before;
	v = xcalloc(n_after, sizeof *v);
	memcpy(v, after, n_after * sizeof *v);
	qsort(v, n_after, sizeof *v, str_cmp);
	for (i = 0; i < n_before; i++) {
		if (bsearch(&before[i], v, n_after, sizeof *v, str_cmp) == NULL)
			lost++;
	}
	free(v);
	return lost;
}

static void
keys_free(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* The session set of a range answer as "key@lease". */
static char **
keys_of(const struct etcd_result *res, size_t *n)
{
	char **v;
	size_t i;

	*n = res->n_kvs < DRILL_ETCD_MAX_KEYS ? res->n_kvs : DRILL_ETCD_MAX_KEYS;
	v = xcalloc(*n + 1, sizeof *v);
	for (i = 0; i < *n; i++)
		v[i] = xasprintf("%.512s@%" PRId64, res->kvs[i].key, res->kvs[i].lease);
	return v;
}

static const char *
peer_name(const struct drill_etcd *de, uint64_t id)
{
	size_t i;

	for (i = 0; i < de->n_peers; i++) {
		if (de->peers[i].id == id)
			return de->peers[i].name;
	}
	return NULL;
}

struct drill_etcd *
drill_etcd_new(struct state *st, const char *target, struct drill_report *r,
    struct fault_target *t, void (*ev)(enum drill_ev, int64_t, const struct drill_sample *,
    void *), void *arg, bool *refused, char *err, size_t errlen)
{
	struct cluster *c = state_cluster(st);
	const struct etcd_member_state *m;
	struct etcd_result *res;
	struct drill_etcd *de;
	size_t i, idx;

	*refused = false;
	if (state_load_etcd(st) == -1 && c->n_etcd == 0) {
		*refused = true;
		snprintf(err, errlen, "etcd status unknown: %s", c->src_etcd.error != NULL ?
		    c->src_etcd.error : "no answer");
		return NULL;
	}
	if (drill_etcd_pick(c->etcd, c->n_etcd, target, &idx, err, errlen) == -1) {
		*refused = true;
		return NULL;
	}
	if (c->n_etcd >= TAG_RANGE) {
		*refused = true;
		snprintf(err, errlen, "etcd has %zu members: too many to drill", c->n_etcd);
		return NULL;
	}
	de = xcalloc(1, sizeof *de);
	/* Never 0 (no tag is NULL); wrapping takes 2^16 drills in one process
	 * at least, long after any answer of the first was due. */
	if ((live_gen = (live_gen + 1) & (UINTPTR_MAX >> TAG_BITS)) == 0)
		live_gen = 1;
	de->gen = live_gen;
	de->next_live = live;
	live = de;
	de->e = state_etcd(st);
	de->prefix = xstrdup(st->session_prefix);
	de->ev = ev;
	de->arg = arg;
	de->target = idx;
	de->n_peers = c->n_etcd;
	de->peers = xcalloc(c->n_etcd, sizeof *de->peers);
	for (i = 0; i < c->n_etcd; i++) {
		m = &c->etcd[i];
		de->peers[i].id = m->id;
		de->peers[i].name = xstrdup(m->name != NULL ? m->name : "?");
		de->peers[i].url = m->client_url != NULL ? xstrdup(m->client_url) : NULL;
		if (m->is_leader)
			de->old_leader = m->id;
		if (m->raft_term > de->term_before)
			de->term_before = m->raft_term;
	}
	if (de->old_leader == 0)
		de->old_leader = c->etcd_leader;
	res = etcd_range_prefix_sync(de->e, de->prefix, 0);
	if (res == NULL || res->err != 0) {
		snprintf(err, errlen, "cannot read sessions '%s': %s", de->prefix,
		    res != NULL ? res->errmsg : "no answer");
		etcd_result_free(res);
		drill_etcd_free(de);
		return NULL;
	}
	de->before = keys_of(res, &de->n_before);
	etcd_result_free(res);
	m = &c->etcd[idx];
	r->kind = xstrdup("etcd-member");
	r->role = xstrdup("etcd");
	r->server_id = 0;
	r->address = xstrdup(m->client_url);
	r->host_name = xstrdup(de->peers[idx].name);
	r->etcd_member = xstrdup(de->peers[idx].name);
	r->etcd_was_leader = m->id == de->old_leader;
	if (peer_name(de, de->old_leader) != NULL)
		r->etcd_old_leader = xstrdup(peer_name(de, de->old_leader));
	r->etcd_term_before = de->term_before > 0 ? (int64_t)de->term_before : -1;
	r->etcd_term_after = -1;
	r->sessions_before = (int64_t)de->n_before;
	r->sessions_lost = -1;
	t->etcd_member_id = m->id;
	t->etcd_member_name = r->etcd_member;
	return de;
}

static void
status_cb(const struct etcd_result *res, void *arg)
{
	struct drill_etcd *de;
	size_t idx;
	int64_t at = time_wall_ms();

	if ((de = de_find(arg, &idx)) == NULL || idx >= de->n_peers)
		return;
	de->peers[idx].inflight = false;
	if (idx == de->target) {
		if (res->err != 0)
			de->ev(DRILL_EV_ACTIVE_GONE, at, NULL, de->arg);
		return;
	}
	if (res->err != 0 || de->new_leader != 0)
		return;
	if (!drill_etcd_elected(de->old_leader, de->term_before, res->leader, res->raft_term))
		return;
	de->new_leader = res->leader;
	de->term_after = res->raft_term;
	/* The new leader answers ranges at once: recovery is judged by them. */
	de->ev(DRILL_EV_ACTIVE_PUT, at, NULL, de->arg);
	de->ev(DRILL_EV_READY, at, NULL, de->arg);
}

static void
range_cb(const struct etcd_result *res, void *arg)
{
	struct drill_etcd *de;
	struct drill_sample s;
	size_t idx;

	if ((de = de_find(arg, &idx)) == NULL || idx != TAG_RANGE)
		return;
	de->range_inflight = false;
	memset(&s, 0, sizeof s);
	s.sent_ms = de->range_sent_ms;
	s.done_ms = time_wall_ms();
	s.ok = res->err == 0;
	de->ranges++;
	if (res->err != 0)
		de->range_errors++;
	else {
		keys_free(de->after, de->n_after);
		de->after = keys_of(res, &de->n_after);
		de->have_after = true;
	}
	de->ev(DRILL_EV_PROBE, s.done_ms, &s, de->arg);
}

static void
status_ask(struct drill_etcd *de, size_t idx, int64_t now)
{
	struct etcd_peer *p = &de->peers[idx];

	if (p->inflight || p->url == NULL || now < p->next_ms)
		return;
	p->next_ms = now + DRILL_ETCD_EVERY_MS;
	if (etcd_status(de->e, p->url, status_cb, de_tag(de, idx)) == 0)
		p->inflight = true;
}

void
drill_etcd_poll(struct drill_etcd *de, const struct drill_fsm *f, int64_t now)
{
	size_t i;

	if (f->phase == DRILL_DETECT && f->detected_ms == 0)
		status_ask(de, de->target, now);
	if ((f->phase == DRILL_DETECT || f->phase == DRILL_ELECT) && !f->worker) {
		for (i = 0; i < de->n_peers; i++) {
			if (i != de->target)
				status_ask(de, i, now);
		}
	}
	if (f->phase == DRILL_RECOVER && f->ready_ms > 0 && !de->range_inflight &&
	    now >= de->next_range_ms) {
		de->next_range_ms = now + DRILL_ETCD_EVERY_MS;
		de->range_sent_ms = now;
		if (etcd_range_prefix(de->e, de->prefix, 0, range_cb, de_tag(de, TAG_RANGE)) == 0)
			de->range_inflight = true;
	}
}

void
drill_etcd_plan(const struct drill_etcd *de, const struct drill_fsm *f, struct buf *out)
{
	const struct etcd_peer *p = &de->peers[de->target];
	size_t i;

	buf_printf(out, "detect: status on %s every %d ms until '%s' stops answering\n",
	    p->url, DRILL_ETCD_EVERY_MS, p->name);
	if (f->worker)
		buf_printf(out, "elect: none ('%s' is a follower: the leader stays)\n", p->name);
	else {
		buf_adds(out, "elect: status on");
		for (i = 0; i < de->n_peers; i++) {
			if (i != de->target)
				buf_printf(out, " %s", de->peers[i].url);
		}
		buf_printf(out, " until one reports a leader other than %" PRIx64 " in a term "
		    "after %" PRIu64 "\n", de->old_leader, de->term_before);
	}
	buf_printf(out, "recover: ranges of %s through the remaining endpoints every %d ms "
	    "until %d in a row succeed, then the %zu Milvus sessions must all be there with "
	    "their leases\n", de->prefix, DRILL_ETCD_EVERY_MS, f->recover_k, de->n_before);
}

void
drill_etcd_finish(struct drill_etcd *de, struct drill_report *r)
{
	struct drill_fsm *f = &r->fsm;
	const char *name;
	size_t i, lost;

	if (de->new_leader != 0) {
		name = peer_name(de, de->new_leader);
		r->etcd_new_leader = xstrdup(name != NULL ? name : "?");
		r->etcd_term_after = (int64_t)de->term_after;
	} else if (f->worker && r->etcd_old_leader != NULL)
		r->etcd_new_leader = xstrdup(r->etcd_old_leader);
	r->new_server_id = 0;
	if (r->etcd_new_leader != NULL) {
		free(r->new_address);
		r->new_address = NULL;
		for (i = 0; i < de->n_peers; i++) {
			if (strcmp(de->peers[i].name, r->etcd_new_leader) == 0 &&
			    de->peers[i].url != NULL)
				r->new_address = xstrdup(de->peers[i].url);
		}
	}
	drill_report_note(r, "recover read the sessions %lld times (%lld failed)",
	    (long long)de->ranges, (long long)de->range_errors);
	if (!de->have_after)
		return;
	lost = drill_etcd_lost(de->before, de->n_before, de->after, de->n_after);
	r->sessions_lost = (int64_t)lost;
	if (lost > 0 && (f->verdict == DRILL_MET || f->verdict == DRILL_MISSED)) {
		f->verdict = DRILL_FAILED;
		f->stalled = DRILL_RECOVER;
		snprintf(f->reason, sizeof f->reason, "%zu of %zu Milvus sessions lost (gone or "
		    "re-registered with a new lease)", lost, de->n_before);
	}
}

void
drill_etcd_free(struct drill_etcd *de)
{
	struct drill_etcd **pp;
	size_t i;

	if (de == NULL)
		return;
	/* Answers still due find no drill now (or are cancelled with the client). */
	for (pp = &live; *pp != NULL; pp = &(*pp)->next_live) {
		if (*pp == de) {
			*pp = de->next_live;
			break;
		}
	}
	for (i = 0; i < de->n_peers; i++) {
		free(de->peers[i].name);
		free(de->peers[i].url);
	}
	free(de->peers);
	keys_free(de->before, de->n_before);
	keys_free(de->after, de->n_after);
	free(de->prefix);
	free(de);
}
