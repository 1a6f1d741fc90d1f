/* SPDX-License-Identifier: MIT */
/* Drill reports: the comparison with `ha estimate`, the Markdown form, and
 * reading back the JSON form that `drill run` saved (doc/drill-report.schema.json). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <cjson/cJSON.h>

#include "milvusadm/buf.h"
#include "milvusadm/config.h"
#include "milvusadm/drill.h"
#include "milvusadm/timeutil.h"
#include "milvusadm/xalloc.h"
#include "milvusadm/fsutil.h"

/* Saved reports are ours, but a file is still input: bound it. */
#define REPORT_MAX_BYTES	(1024 * 1024)
#define REPORT_MAX_NOTES	64
#define REPORT_MAX_VIA		16
#define REPORT_MAX_SERIES	3600
#define HISTORY_MAX_FILES	100000

void
drill_report_free(struct drill_report *r)
{
	size_t i;

	if (r == NULL)
		return;
	free(r->id);
	free(r->target);
	free(r->role);
	free(r->kind);
	free(r->address);
	free(r->host_name);
	free(r->new_address);
	free(r->backend);
	free(r->signal);
	free(r->inject_detail);
	free(r->milvus_version);
	free(r->profile);
	free(r->probe_calls);
	free(r->probe_collection);
	free(r->dominant);
	free(r->advice);
	for (i = 0; i < r->n_notes; i++)
		free(r->notes[i]);
	free(r->notes);
	for (i = 0; i < r->n_via; i++)
		free(r->via[i].uri);
	free(r->via);
	free(r->recovered_via);
	free(r->series);
	free(r->restarts_what);
	free(r->last_exit);
	free(r->aftermath);
	free(r->own_uri);
	free(r->insert_collection);
	free(r->etcd_member);
	free(r->etcd_old_leader);
	free(r->etcd_new_leader);
	free(r);
}

void
drill_report_note(struct drill_report *r, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;

	if (r->n_notes >= REPORT_MAX_NOTES)
		return;
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	r->notes = xreallocarray(r->notes, r->n_notes + 1, sizeof *r->notes);
	r->notes[r->n_notes++] = buf_detach(&b, NULL);
}

static bool
signal_is_crash(const char *sig)
{
	return sig != NULL && (strstr(sig, "KILL") != NULL || strstr(sig, "kill") != NULL ||
	    strstr(sig, "delete") != NULL);
}

void
drill_report_compare(struct drill_report *r)
{
	static const enum drill_phase ph[3] = { DRILL_DETECT, DRILL_ELECT, DRILL_RECOVER };
	static const char *const names[3] = { "detection", "election", "recovery" };
	char m[32], e[32];
	int64_t ms, best = -1;
	int i, dom = -1;

	free(r->dominant);
	free(r->advice);
	r->dominant = r->advice = NULL;
	for (i = 0; i < 3; i++) {
		ms = drill_fsm_phase_ms(&r->fsm, ph[i]);
		if (ms > best) {
			best = ms;
			dom = i;
		}
	}
	if (dom < 0)
		return;
	r->dominant = xstrdup(names[dom]);
	time_format_duration(best, m, sizeof m);
	if (r->est_ms[dom] >= 0)
		time_format_duration(r->est_ms[dom], e, sizeof e);
	else
		snprintf(e, sizeof e, "unknown");
	switch (dom) {
	case 0:
		if (signal_is_crash(r->signal) && r->session_ttl_s > 0)
			r->advice = xasprintf("detection %s ≈ session TTL %llds (estimate %s): "
			    "lower common.session.ttl or use graceful stop", m,
			    (long long)r->session_ttl_s, e);
		else
			r->advice = xasprintf("detection %s (estimate %s): the old session "
			    "outlived the fault; check that the backend really stopped it", m, e);
		break;
	case 1:
		r->advice = xasprintf("election %s (estimate %s): the standby's takeover "
		    "dominates; check the standby's health and etcd latency", m, e);
		break;
	default:
		r->advice = xasprintf("recovery %s (estimate %s): the new active took long to "
		    "serve; check coordinator initialisation and the proxies' retries", m, e);
		break;
	}
	/* A fast failover needs no tuning advice, only the facts. */
	if (best < 1000 && !(dom == 0 && signal_is_crash(r->signal))) {
		free(r->advice);
		r->advice = xasprintf("%s %s dominates; every phase took under 1s (the "
		    "estimate for this phase is %s)", names[dom], m, e);
	}
}

static void
md_time(struct buf *b, const char *what, int64_t ms, int64_t base)
{
	char t[40];

	if (ms <= 0) {
		buf_printf(b, "| %s | – | – |\n", what);
		return;
	}
	time_format_rfc3339(ms, t, sizeof t);
	/* "inject asked" comes before the injection: -1 ms, not "+-1 ms". */
	buf_printf(b, "| %s | %s | %s%lld ms |\n", what, t, ms >= base ? "+" : "",
	    (long long)(ms - base));
}

static const char *
md_int(int64_t v, char *out, size_t len)
{
	snprintf(out, len, "%lld", (long long)v);
	return out;
}

void
drill_report_markdown(const struct drill_report *r, struct buf *b)
{
	const struct drill_fsm *f = &r->fsm;
	static const enum drill_phase ph[4] = { DRILL_INJECT, DRILL_DETECT, DRILL_ELECT,
	    DRILL_RECOVER };
	char d[32], n1[24], n2[24];
	size_t i;
	int64_t ms;

	buf_printf(b, "# Drill %s\n\n", r->id);
	buf_printf(b, "- target: `%s` (%s %s, server %lld at %s)\n", r->target, r->kind,
	    r->role, (long long)r->server_id, r->address != NULL ? r->address : "?");
	buf_printf(b, "- backend: %s (%s)%s%s\n", r->backend, r->signal != NULL ? r->signal : "?",
	    r->inject_detail != NULL ? ": " : "", r->inject_detail != NULL ? r->inject_detail : "");
	buf_printf(b, "- Milvus %s, session TTL ", r->milvus_version != NULL ?
	    r->milvus_version : "unknown");
	if (r->session_ttl_s > 0)
		buf_printf(b, "%llds\n", (long long)r->session_ttl_s);
	else
		buf_adds(b, "unknown\n");
	buf_printf(b, "- verdict: **%s**", drill_verdict_name(f->verdict));
	if (f->rto_ms >= 0) {
		time_format_duration(f->rto_ms, d, sizeof d);
		buf_printf(b, ", RTO %s", d);
	}
	time_format_duration(f->rto_target_ms, d, sizeof d);
	buf_printf(b, " (target %s)\n", d);
	if (f->verdict == DRILL_FAILED || f->verdict == DRILL_ABORTED)
		buf_printf(b, "- stalled in phase **%s**: %s\n", drill_phase_name(f->stalled),
		    f->reason);
	if (r->new_server_id != 0)
		buf_printf(b, "- new active: server %lld at %s\n", (long long)r->new_server_id,
		    r->new_address != NULL ? r->new_address : "?");
	if (r->restarts_before >= 0 || r->restarts_after >= 0)
		buf_printf(b, "- restarts: %s before, %s at the end (%s)\n",
		    r->restarts_before >= 0 ? md_int(r->restarts_before, n1, sizeof n1) : "unknown",
		    r->restarts_after >= 0 ? md_int(r->restarts_after, n2, sizeof n2) : "unknown",
		    r->restarts_what != NULL ? r->restarts_what : "as the backend counts them");
	if (r->outage_ms >= 0 || r->converged_ms >= 0) {
		buf_adds(b, "- client-visible outage: ");
		if (r->outage_ms >= 0) {
			time_format_duration(r->outage_ms, d, sizeof d);
			buf_printf(b, "%s (from the probes%s%s%s)", r->outage_ms > 0 ? d : "none",
			    r->own_uri != NULL ? ", with those aimed at " : "",
			    r->own_uri != NULL ? r->own_uri : "",
			    r->own_uri != NULL ? " alone" : "");
		} else
			buf_adds(b, "unknown (no probe)");
		buf_adds(b, "; cluster converged: ");
		if (r->converged_ms >= 0) {
			time_format_duration(r->converged_ms, d, sizeof d);
			buf_printf(b, "%s after the fault\n", d);
		} else
			buf_adds(b, "not seen\n");
	}
	/* Exit 80 is Milvus 3.0 fencing itself: named for what it is. */
	if (r->last_exit != NULL && drill_exit_meaning(r->last_exit) != NULL)
		buf_printf(b, "- the target's process last ended: self-fenced (%s): %s\n",
		    r->last_exit, drill_exit_meaning(r->last_exit));
	else if (r->last_exit != NULL)
		buf_printf(b, "- the target's process last ended: %s\n", r->last_exit);
	if (r->aftermath != NULL)
		buf_printf(b, "- **operator action needed**: %s\n", r->aftermath);
	if (r->etcd_member != NULL) {
		buf_printf(b, "- etcd leader: %s (term %lld) → %s (term %lld)%s\n",
		    r->etcd_old_leader != NULL ? r->etcd_old_leader : "?",
		    (long long)r->etcd_term_before,
		    r->etcd_new_leader != NULL ? r->etcd_new_leader : "none seen",
		    (long long)r->etcd_term_after, r->etcd_was_leader ? "" :
		    " (a follower was drilled: no election)");
		buf_printf(b, "- Milvus sessions: %lld before, %lld lost\n",
		    (long long)r->sessions_before, (long long)r->sessions_lost);
	}
	buf_adds(b, "\n## Timeline\n\n| event | time | since inject |\n| --- | --- | --- |\n");
	ms = f->injected_ms > 0 ? f->injected_ms : f->started_ms;
	md_time(b, "inject asked", f->started_ms, ms);
	md_time(b, "injected", f->injected_ms, ms);
	md_time(b, "old active gone", f->detected_ms, ms);
	if (f->worker)
		buf_adds(b, "| new active elected | not applicable (a worker) | – |\n");
	else
		md_time(b, "new active elected", f->elected_ms, ms);
	md_time(b, "new active ready", f->ready_ms, ms);
	md_time(b, "recovered", f->recovered_ms, ms);
	md_time(b, "ended", f->ended_ms, ms);
	buf_adds(b, "\n## Phases\n\n| phase | duration |\n| --- | --- |\n");
	for (i = 0; i < 4; i++) {
		ms = drill_fsm_phase_ms(f, ph[i]);
		if (f->worker && ph[i] == DRILL_ELECT)
			buf_adds(b, "| elect | not applicable |\n");
		else if (ms < 0)
			buf_printf(b, "| %s | – |\n", drill_phase_name(ph[i]));
		else {
			time_format_duration(ms, d, sizeof d);
			buf_printf(b, "| %s | %s |\n", drill_phase_name(ph[i]), d);
		}
	}
	buf_printf(b, "\n## Probes\n\n%lld per second: %s", (long long)r->probe_rate,
	    r->probe_calls != NULL ? r->probe_calls : "none");
	if (r->probe_collection != NULL)
		buf_printf(b, " on `%s`", r->probe_collection);
	buf_printf(b, "\n\n- sent %lld, ok %lld, failed %lld (success %lld.%lld%%)\n",
	    (long long)r->probes.sent, (long long)r->probes.ok, (long long)r->probes.failed,
	    (long long)(r->probes.success_permille / 10),
	    (long long)(r->probes.success_permille % 10));
	time_format_duration(r->probes.window_ms, d, sizeof d);
	buf_printf(b, "- client-perceived window (first to last failure): %s\n",
	    r->probes.failed > 0 ? d : "none");
	time_format_duration(r->probes.longest_gap_ms, d, sizeof d);
	buf_printf(b, "- longest gap between successes: %s\n", d);
	for (i = 0; i < r->n_via; i++)
		buf_printf(b, "- through %s: ok %lld, failed %lld\n", r->via[i].uri,
		    (long long)r->via[i].ok, (long long)r->via[i].failed);
	if (r->recovered_via != NULL)
		buf_printf(b, "- recovered through %s\n", r->recovered_via);
	if (r->inserted >= 0)
		buf_printf(b, "- inserted %lld probe rows into `%s`\n", (long long)r->inserted,
		    r->insert_collection != NULL ? r->insert_collection : "?");
	if (r->n_series > 0) {
		buf_printf(b, "- success per %lld s: `", (long long)(r->series_bucket_ms / 1000));
		drill_series_spark(r->series, r->n_series, true, b);
		buf_adds(b, "`\n");
	}
	buf_adds(b, "\n## Against `ha estimate`\n\n");
	if (r->est_total_ms >= 0) {
		time_format_duration(r->est_total_ms, d, sizeof d);
		buf_printf(b, "- estimated RTO: %s\n", d);
	}
	if (r->advice != NULL)
		buf_printf(b, "- dominant phase: %s — %s\n", r->dominant, r->advice);
	if (r->n_notes > 0) {
		buf_adds(b, "\n## Notes\n\n");
		for (i = 0; i < r->n_notes; i++)
			buf_printf(b, "- %s\n", r->notes[i]);
	}
}

char *
drill_dir(bool create)
{
	char *state = config_state_dir(), *dir;

	dir = xasprintf("%s/drills", state);
	/* ~/.local/state itself may not exist yet on a fresh account. */
	if (create)
		(void)fs_mkdirs(dir, NULL, 0);
	free(state);
	return dir;
}

/* ---- reading a saved report ---- */

static char *
j_str(const cJSON *o, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	return cJSON_IsString(v) && v->valuestring != NULL ? xstrdup(v->valuestring) : NULL;
}

/* Every number in a report is an integer of milliseconds or an ID; IDs above
 * 2^53 do not occur in reports we write except server IDs, which fit. */
static int64_t
j_int(const cJSON *o, const char *name, int64_t def)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	/* An edited or corrupt report may hold 1e30 or NaN: casting those is
	 * undefined, so anything outside +-2^62 is the default. */
	if (!cJSON_IsNumber(v) || !(v->valuedouble >= -4.6e18 && v->valuedouble <= 4.6e18))
		return def;
	return (int64_t)v->valuedouble;
}

static enum drill_verdict
verdict_from(const char *s)
{
	static const enum drill_verdict all[] = { DRILL_MET, DRILL_MISSED, DRILL_FAILED,
	    DRILL_ABORTED };
	size_t i;

	for (i = 0; s != NULL && i < sizeof all / sizeof all[0]; i++) {
		if (strcmp(s, drill_verdict_name(all[i])) == 0)
			return all[i];
	}
	return DRILL_RUNNING;
}

static enum drill_phase
phase_from(const char *s)
{
	int p;

	for (p = 0; s != NULL && p < DRILL_PHASES; p++) {
		if (strcmp(s, drill_phase_name(p)) == 0)
			return p;
	}
	return DRILL_REPORT;
}

/* probes.by_proxy (reports from before it have none). */
static void
load_via(struct drill_report *r, const cJSON *a)
{
	const cJSON *it;
	char *uri;

	cJSON_ArrayForEach(it, a) {
		if (r->n_via >= REPORT_MAX_VIA || (uri = j_str(it, "uri")) == NULL)
			continue;
		r->via = xreallocarray(r->via, r->n_via + 1, sizeof *r->via);
		r->via[r->n_via].uri = uri;
		r->via[r->n_via].ok = j_int(it, "ok", 0);
		r->via[r->n_via++].failed = j_int(it, "failed", 0);
	}
}

/* probes.series_permille (reports from before it have none). */
static void
load_series(struct drill_report *r, const cJSON *p)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(p, "series_permille"), *it;
	int n = cJSON_GetArraySize(a), i = 0;

	r->series_bucket_ms = j_int(p, "series_bucket_ms", 0);
	if (!cJSON_IsArray(a) || n <= 0 || r->series_bucket_ms <= 0)
		return;
	if (n > REPORT_MAX_SERIES)
		n = REPORT_MAX_SERIES;
	r->series = xcalloc((size_t)n, sizeof *r->series);
	cJSON_ArrayForEach(it, a) {
		if (i == n)
			break;
		/* Out of range or not a number: "no probe then". */
		r->series[i++] = cJSON_IsNumber(it) && it->valuedouble >= 0 &&
		    it->valuedouble <= 1000 ? (int16_t)it->valuedouble : -1;
	}
	r->n_series = (size_t)i;
}

/* etcd (etcd member targets only). */
static void
load_etcd(struct drill_report *r, const cJSON *o)
{
	r->etcd_term_before = r->etcd_term_after = -1;
	r->sessions_before = r->sessions_lost = -1;
	if (!cJSON_IsObject(o) || (r->etcd_member = j_str(o, "member")) == NULL)
		return;
	r->etcd_was_leader = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "was_leader"));
	r->etcd_old_leader = j_str(o, "leader_before");
	r->etcd_new_leader = j_str(o, "leader_after");
	r->etcd_term_before = j_int(o, "term_before", -1);
	r->etcd_term_after = j_int(o, "term_after", -1);
	r->sessions_before = j_int(o, "sessions_before", -1);
	r->sessions_lost = j_int(o, "sessions_lost", -1);
}

static void
load_fill(struct drill_report *r, const cJSON *j)
{
	const cJSON *t, *b, *tm, *p, *e, *n, *na, *it;
	struct drill_fsm *f = &r->fsm;
	char *s;

	r->id = j_str(j, "id");
	r->created_ms = j_int(j, "created_ms", 0);
	r->profile = j_str(j, "profile");
	t = cJSON_GetObjectItemCaseSensitive(j, "target");
	r->target = j_str(t, "name");
	r->kind = j_str(t, "kind");
	r->role = j_str(t, "role");
	r->server_id = j_int(t, "server_id", 0);
	r->address = j_str(t, "address");
	r->host_name = j_str(t, "host_name");
	b = cJSON_GetObjectItemCaseSensitive(j, "backend");
	r->backend = j_str(b, "name");
	r->signal = j_str(b, "signal");
	r->inject_detail = j_str(b, "detail");
	r->milvus_version = j_str(j, "milvus_version");
	r->session_ttl_s = j_int(j, "session_ttl_s", -1);
	s = j_str(j, "verdict");
	f->verdict = verdict_from(s);
	free(s);
	s = j_str(j, "stalled_phase");
	f->stalled = phase_from(s);
	free(s);
	s = j_str(j, "reason");
	if (s != NULL)
		snprintf(f->reason, sizeof f->reason, "%s", s);
	free(s);
	f->phase = DRILL_REPORT;
	f->rto_ms = j_int(j, "rto_ms", -1);
	f->rto_target_ms = j_int(j, "rto_target_ms", 0);
	f->worker = r->kind != NULL && strcmp(r->kind, "worker") == 0;
	na = cJSON_GetObjectItemCaseSensitive(j, "new_active");
	r->new_server_id = j_int(na, "server_id", 0);
	r->new_address = j_str(na, "address");
	f->new_server_id = r->new_server_id;
	tm = cJSON_GetObjectItemCaseSensitive(j, "times");
	f->started_ms = j_int(tm, "started_ms", 0);
	f->injected_ms = j_int(tm, "injected_ms", 0);
	f->detected_ms = j_int(tm, "detected_ms", 0);
	f->elected_ms = j_int(tm, "elected_ms", 0);
	f->ready_ms = j_int(tm, "ready_ms", 0);
	f->recovered_ms = j_int(tm, "recovered_ms", 0);
	f->ended_ms = j_int(tm, "ended_ms", 0);
	p = cJSON_GetObjectItemCaseSensitive(j, "probes");
	r->probe_rate = j_int(p, "rate_per_s", 0);
	r->probe_calls = j_str(p, "calls");
	r->probe_collection = j_str(p, "collection");
	r->probes.sent = j_int(p, "sent", 0);
	r->probes.ok = j_int(p, "ok", 0);
	r->probes.failed = j_int(p, "failed", 0);
	r->probes.success_permille = j_int(p, "success_permille", 1000);
	r->probes.first_fail_ms = j_int(p, "first_fail_ms", 0);
	r->probes.last_fail_ms = j_int(p, "last_fail_ms", 0);
	r->probes.window_ms = j_int(p, "window_ms", 0);
	r->probes.longest_gap_ms = j_int(p, "longest_gap_ms", 0);
	r->recovered_via = j_str(p, "recovered_via");
	load_via(r, cJSON_GetObjectItemCaseSensitive(p, "by_proxy"));
	load_series(r, p);
	r->inserted = j_int(p, "inserted", -1);
	r->insert_unanswered = j_int(p, "insert_unanswered", -1);
	r->insert_collection = j_str(p, "insert_collection");
	b = cJSON_GetObjectItemCaseSensitive(j, "restarts");
	r->restarts_before = j_int(b, "before", -1);
	r->restarts_after = j_int(b, "after", -1);
	r->restarts_what = j_str(b, "what");
	/* Absent in reports saved before they existed: unknown. */
	b = cJSON_GetObjectItemCaseSensitive(j, "outage");
	r->outage_ms = j_int(b, "client_visible_ms", -1);
	r->converged_ms = j_int(b, "converged_ms", -1);
	r->own_uri = j_str(b, "own_address");
	r->own_ok = j_int(b, "own_address_ok", 0);
	r->own_failed = j_int(b, "own_address_failed", 0);
	b = cJSON_GetObjectItemCaseSensitive(j, "aftermath");
	r->last_exit = j_str(b, "last_exit");
	r->aftermath = j_str(b, "operator_action");
	load_etcd(r, cJSON_GetObjectItemCaseSensitive(j, "etcd"));
	e = cJSON_GetObjectItemCaseSensitive(j, "estimate");
	r->est_ms[0] = j_int(e, "detection_ms", -1);
	r->est_ms[1] = j_int(e, "election_ms", -1);
	r->est_ms[2] = j_int(e, "recovery_ms", -1);
	r->est_total_ms = j_int(e, "total_ms", -1);
	r->dominant = j_str(e, "dominant_phase");
	r->advice = j_str(e, "advice");
	n = cJSON_GetObjectItemCaseSensitive(j, "notes");
	cJSON_ArrayForEach(it, n) {
		if (cJSON_IsString(it))
			drill_report_note(r, "%s", it->valuestring);
	}
}

struct drill_report *
drill_report_load(const char *path, char *err, size_t errlen)
{
	struct drill_report *r;
	struct buf b = BUF_INIT;
	char chunk[8192];
	const cJSON *k;
	cJSON *j;
	size_t n;
	FILE *fp;

	if ((fp = fopen(path, "r")) == NULL) {
		snprintf(err, errlen, "cannot read '%s': %s", path, strerror(errno));
		return NULL;
	}
	while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0) {
		buf_add(&b, chunk, n);
		if (b.len > REPORT_MAX_BYTES)
			break;
	}
	fclose(fp);
	if (b.len > REPORT_MAX_BYTES || b.data == NULL) {
		snprintf(err, errlen, "report '%s' is %s", path, b.data == NULL ? "empty" :
		    "too large");
		buf_release(&b);
		return NULL;
	}
	j = cJSON_ParseWithLength(b.data, b.len);
	buf_release(&b);
	k = cJSON_GetObjectItemCaseSensitive(j, "kind");
	if (!cJSON_IsObject(j) || !cJSON_IsString(k) ||
	    strcmp(k->valuestring, "drill-report") != 0) {
		snprintf(err, errlen, "'%s' is not a drill report", path);
		cJSON_Delete(j);
		return NULL;
	}
	r = xcalloc(1, sizeof *r);
	load_fill(r, j);
	cJSON_Delete(j);
	if (r->id == NULL || r->target == NULL) {
		snprintf(err, errlen, "report '%s' has no id or target", path);
		drill_report_free(r);
		return NULL;
	}
	return r;
}

static int
history_cmp(const void *a, const void *b)
{
	const struct drill_report *x = *(struct drill_report *const *)a;
	const struct drill_report *y = *(struct drill_report *const *)b;

	return x->created_ms < y->created_ms ? -1 : x->created_ms > y->created_ms;
}

struct drill_report **
drill_history_load(size_t max, size_t *n, void (*skip)(const char *, void *), void *arg)
{
	char *dir = drill_dir(false), *path, err[512], **names;
	struct drill_report **v = NULL, *r;
	size_t n_names, i;

	*n = 0;
	/* IDs begin with the UTC time: newest first by name. Only the newest
	 * max are read (a long history is not parsed for ten lines). */
	names = fs_dir_names_desc(dir, ".json", HISTORY_MAX_FILES, &n_names);
	for (i = 0; i < n_names; i++) {
		if (*n < max) {
			path = xasprintf("%s/%s", dir, names[i]);
			r = drill_report_load(path, err, sizeof err);
			free(path);
			if (r == NULL) {
				if (skip != NULL)
					skip(err, arg);
			} else {
				v = xreallocarray(v, *n + 1, sizeof *v);
				v[(*n)++] = r;
			}
		}
		free(names[i]);
	}
	free(names);
	free(dir);
	if (*n > 1)
		qsort(v, *n, sizeof *v, history_cmp);
	return v;
}

void
drill_history_free(struct drill_report **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		drill_report_free(v[i]);
	free(v);
}
