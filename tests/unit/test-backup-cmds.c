/* SPDX-License-Identifier: MIT */
/* The backup, restore and rpo commands, run through the command engine (the
 * real table: flags, --read-only, -o) against a fake milvus-backup 0.6 server
 * and a fake proxy REST v2 (backup-fake.c): --wait to
 * success, to the server's failure, to a lost task and to a task that never
 * starts; --if-older-than; the typed confirmations of backup delete and
 * restore --drop-existing; rpo's exit codes and Prometheus text, and the
 * Prometheus renderer's escaping. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "milvusadm/backups.h"
#include "milvusadm/cluster.h"
#include "milvusadm/cmd.h"
#include "milvusadm/config.h"
#include "milvusadm/loop.h"
#include "milvusadm/output.h"
#include "milvusadm/prom.h"
#include "milvusadm/timeutil.h"
#include "../../src/cmd/cmd-backup.h"
#include "backup-fake.h"
#include "unit-config.h"

/* The other families' handlers: this suite runs only the backup ones. */
#define STUB(fn) int fn(struct cmd_ctx *c, int argc, char **argv) { return 42; }
STUB(cmd_lab_up) STUB(cmd_lab_down) STUB(cmd_lab_status) STUB(cmd_lab_kill)
STUB(cmd_lab_restart) STUB(cmd_lab_start) STUB(cmd_watch) STUB(cmd_topology)
STUB(cmd_leaders) STUB(cmd_etcd) STUB(cmd_health) STUB(cmd_events) STUB(cmd_status)
STUB(cmd_collections) STUB(cmd_replicas) STUB(cmd_ha_check) STUB(cmd_ha_estimate)
STUB(cmd_theme_list) STUB(cmd_theme_use) STUB(cmd_theme_show) STUB(cmd_drill_run)
STUB(cmd_drill_plan) STUB(cmd_drill_history) STUB(cmd_drill_show) STUB(cmd_audit) STUB(cmd_drop_collection)
STUB(cmd_drop_database) STUB(cmd_protect_add) STUB(cmd_protect_remove) STUB(cmd_protect_list)
STUB(cmd_protect_database) STUB(cmd_protect_who_can_drop)
STUB(cmd_config_keys) STUB(cmd_config_show) STUB(cmd_config_check)

/* ---- running commands ----------------------------------------------------- */

struct cap {
	struct cmd_ctx ctx;
	char *out, *err;
	size_t outlen, errlen;
	FILE *fo, *fe;
	struct loop *l;
};

static void
cap_init(struct cap *c)
{
	memset(c, 0, sizeof *c);
	c->l = loop_new();
	c->fo = open_memstream(&c->out, &c->outlen);
	c->fe = open_memstream(&c->err, &c->errlen);
	cmd_ctx_init(&c->ctx, c->l, c->fo, c->fe);
}

static void
cap_free(struct cap *c)
{
	fclose(c->fo);
	fclose(c->fe);
	free(c->out);
	free(c->err);
	loop_free(c->l);
}

/* Run one command line in a fresh context; out and err stay readable in c. */
static int
run(struct cap *c, const char *profile, const char *text)
{
	struct cmd_list l;
	char err[128];
	int rc;

	cap_init(c);
	c->ctx.profile = profile;
	ck_assert_int_eq(cmd_lex(text, 1, 0, &l, err, sizeof err, NULL), 0);
	rc = cmd_run(&c->ctx, l.v[0].argc, l.v[0].argv);
	cmd_list_free(&l);
	fflush(c->fo);
	fflush(c->fe);
	return rc;
}

/* The last JSON line of s (the command's document after any progress lines). */
static cJSON *
last_json(const char *s)
{
	const char *p = s, *last = s;

	while ((p = strchr(p, '\n')) != NULL && p[1] != '\0')
		last = ++p;
	return cJSON_Parse(last);
}

START_TEST(test_list_show)
{
	struct cap c;
	cJSON *d, *b;

	fake_reset();
	ck_assert_int_eq(run(&c, NULL, "backup list -o json"), CMD_OK);
	ck_assert_ptr_nonnull(d = cJSON_Parse(c.out));
	ck_assert_str_eq(cJSON_GetObjectItem(d, "kind")->valuestring, "backup-list");
	ck_assert_str_eq(cJSON_GetObjectItem(d, "server")->valuestring, "0.6.x");
	b = cJSON_GetObjectItem(d, "backups");
	ck_assert_int_eq(cJSON_GetArraySize(b), 2);
	/* Newest first, with times read from each backup's record. */
	ck_assert_str_eq(cJSON_GetObjectItem(cJSON_GetArrayItem(b, 0), "name")->valuestring,
	    "fresh_docs");
	ck_assert_str_eq(cJSON_GetObjectItem(cJSON_GetArrayItem(b, 1), "state")->valuestring,
	    "stored");
	ck_assert_int_ge(cJSON_GetObjectItem(cJSON_GetArrayItem(b, 1), "age_ms")->valuedouble,
	    30 * H_MS);
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(cJSON_GetArrayItem(b, 1),
	    "collections")), 2);
	cJSON_Delete(d);
	cap_free(&c);

	/* In a pipe: TSV, one row per backup. */
	ck_assert_int_eq(run(&c, NULL, "backup list"), CMD_OK);
	ck_assert_ptr_nonnull(strstr(c.out, "\nfresh_docs\t"));
	ck_assert_ptr_nonnull(strstr(c.out, "default.docs,db2.logs"));
	cap_free(&c);

	ck_assert_int_eq(run(&c, NULL, "backup show old_all -o json"), CMD_OK);
	ck_assert_ptr_nonnull(d = cJSON_Parse(c.out));
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(d, "collection_details")), 2);
	cJSON_Delete(d);
	cap_free(&c);
	ck_assert_int_eq(run(&c, NULL, "backup show nope"), CMD_FAILED);
	ck_assert_ptr_nonnull(strstr(c.err, "backup 'nope'"));
	ck_assert_ptr_nonnull(strstr(c.err, "not found"));
	cap_free(&c);

	/* No backup server configured, or none answering: exit 4. */
	ck_assert_int_eq(run(&c, "nobackup", "backup list"), CMD_UNREACHABLE);
	ck_assert_ptr_nonnull(strstr(c.err, "no backup.url in profile 'nobackup'"));
	cap_free(&c);
	ck_assert_int_eq(run(&c, "down", "backup list"), CMD_UNREACHABLE);
	cap_free(&c);
	ck_assert_int_eq(run(&c, NULL, "backup list extra"), CMD_USAGE);
	cap_free(&c);
}
END_TEST

START_TEST(test_create_if_older_than)
{
	struct cap c;
	cJSON *d;

	fake_reset();
	/* default.docs has a backup 1 h old: nothing to do, and it says which. */
	ck_assert_int_eq(run(&c, NULL, "backup create --collections default.docs "
	    "--if-older-than 24h -o json"), CMD_OK);
	ck_assert_int_eq(fake_count(FAKE_CREATE), 0);
	ck_assert_ptr_nonnull(d = cJSON_Parse(c.out));
	ck_assert_str_eq(cJSON_GetObjectItem(d, "result")->valuestring, "skipped");
	ck_assert_str_eq(cJSON_GetObjectItem(d, "name")->valuestring, "fresh_docs");
	ck_assert_ptr_nonnull(strstr(cJSON_GetObjectItem(d, "reason")->valuestring,
	    "younger than 24h"));
	cJSON_Delete(d);
	cap_free(&c);

	/* Both collections are only in a 30 h old backup: a new one. */
	ck_assert_int_eq(run(&c, NULL, "backup create --collections docs,db2.logs "
	    "--if-older-than 24h -o json"), CMD_OK);
	ck_assert_int_eq(fake_count(FAKE_CREATE), 1);
	ck_assert_ptr_nonnull(d = cJSON_Parse(c.out));
	ck_assert_str_eq(cJSON_GetObjectItem(d, "result")->valuestring, "started");
	ck_assert_ptr_eq(strstr(cJSON_GetObjectItem(d, "name")->valuestring, "milvusadm_"),
	    cJSON_GetObjectItem(d, "name")->valuestring);
	cJSON_Delete(d);
	cap_free(&c);

	/* db2.* means what the cluster has now (REST v2: db2.logs); within 48 h
	 * the stored backup holds it. */
	fake_reset();
	ck_assert_int_eq(run(&c, NULL, "backup create --collections db2.* --if-older-than 48h"),
	    CMD_OK);
	ck_assert_int_eq(fake_count(FAKE_CREATE), 0);
	ck_assert_ptr_nonnull(strstr(c.out, "old_all"));
	cap_free(&c);
	ck_assert_int_eq(run(&c, NULL, "backup create --collections db2.* --if-older-than 24h "
	    "--wait"), CMD_OK);
	ck_assert_int_eq(fake_count(FAKE_CREATE), 1);
	cap_free(&c);
	/* A name the cluster lacks still counts with a wildcard beside it: no
	 * backup holds default.gone, so one is made. */
	ck_assert_int_eq(run(&c, NULL, "backup create --collections db2.*,default.gone "
	    "--if-older-than 48h"), CMD_OK);
	ck_assert_int_eq(fake_count(FAKE_CREATE), 2);
	cap_free(&c);
	/* The one just made holds db2.logs: the next run does nothing. */
	ck_assert_int_eq(run(&c, NULL, "backup create --collections db2.* --if-older-than 24h"),
	    CMD_OK);
	ck_assert_int_eq(fake_count(FAKE_CREATE), 2);
	ck_assert_ptr_nonnull(strstr(c.out, "result\tskipped"));
	cap_free(&c);

	ck_assert_int_eq(run(&c, NULL, "backup create --if-older-than soon"), CMD_USAGE);
	cap_free(&c);
	ck_assert_int_eq(run(&c, NULL, "backup create --collections 'a b'"), CMD_USAGE);
	cap_free(&c);
	ck_assert_int_eq(run(&c, NULL, "backup create --name 9lives"), CMD_USAGE);
	cap_free(&c);
	ck_assert_int_eq(run(&c, NULL, "backup create --strategy fast"), CMD_USAGE);
	cap_free(&c);
	ck_assert_int_eq(run(&c, NULL, "--read-only backup create"), CMD_REFUSED);
	cap_free(&c);
	ck_assert_int_eq(run(&c, "ro", "backup create"), CMD_REFUSED);
	ck_assert_int_eq(fake_count(FAKE_CREATE), 2);
	cap_free(&c);
}
END_TEST

START_TEST(test_create_wait)
{
	struct cap c;
	cJSON *d;
	const char *p;
	int64_t t0;
	int lines = 0;

	fake_reset();
	ck_assert_int_eq(run(&c, NULL, "backup create --name ok_1 --wait"), CMD_OK);
	/* In a pipe: plain lines, no bar, no escape sequences, no carriage return. */
	ck_assert_ptr_null(strchr(c.err, '\r'));
	ck_assert_ptr_null(strchr(c.err, '\033'));
	ck_assert_ptr_null(strstr(c.err, "\xe2\x96"));		/* block elements */
	ck_assert_ptr_nonnull(strstr(c.err, "success"));
	ck_assert_ptr_nonnull(strstr(c.out, "result\tsuccess"));
	cap_free(&c);

	/* -o json: progress as JSON lines on stdout, then the document. */
	ck_assert_int_eq(run(&c, NULL, "backup create --name ok_2 --wait -o json"), CMD_OK);
	for (p = c.out; p != NULL && *p != '\0'; p = strchr(p, '\n'), p = p ? p + 1 : p) {
		ck_assert_ptr_nonnull(d = cJSON_ParseWithOpts(p, NULL, false));
		cJSON_Delete(d);
		lines++;
	}
	ck_assert_int_ge(lines, 3);
	ck_assert_ptr_nonnull(d = last_json(c.out));
	ck_assert_str_eq(cJSON_GetObjectItem(d, "result")->valuestring, "success");
	ck_assert_str_eq(cJSON_GetObjectItem(cJSON_GetObjectItem(d, "backup"), "state")
	    ->valuestring, "success");
	cJSON_Delete(d);
	cap_free(&c);

	/* The server's failure, with its message: exit 1. */
	ck_assert_int_eq(run(&c, NULL, "backup create --name fail_1 --wait"), CMD_FAILED);
	ck_assert_ptr_nonnull(strstr(c.err, "milvusadm: backup fail_1: failed: storage full: "
	    "copy of segment 7 failed"));
	ck_assert_ptr_nonnull(strstr(c.out, "result\tfailed"));
	cap_free(&c);

	/* The server forgot the task (restarted): task lost, exit 1, no hang. */
	t0 = time_mono_ms();
	ck_assert_int_eq(run(&c, NULL, "backup create --name lost_1 --wait"), CMD_FAILED);
	ck_assert_ptr_nonnull(strstr(c.err, "milvusadm: backup lost_1: task lost: "));
	ck_assert_ptr_nonnull(strstr(c.out, "result\tlost"));
	ck_assert_int_lt(time_mono_ms() - t0, 10000);
	cap_free(&c);

	/* Initial for backup.stall_after (2 s): never started, the likely cause. */
	t0 = time_mono_ms();
	ck_assert_int_eq(run(&c, NULL, "backup create --name stuck_1 --wait"), CMD_FAILED);
	ck_assert_ptr_nonnull(strstr(c.err, "still initial after"));
	ck_assert_ptr_nonnull(strstr(c.err, "pick a fresh name"));
	ck_assert_int_ge(time_mono_ms() - t0, 2000);
	ck_assert_int_lt(time_mono_ms() - t0, 8000);
	cap_free(&c);

	/* No usable answer for twice backup.timeout (2 s): exit 4, the task
	 * may still run. */
	t0 = time_mono_ms();
	ck_assert_int_eq(run(&c, NULL, "backup create --name gone_1 --wait"), CMD_UNREACHABLE);
	ck_assert_ptr_nonnull(strstr(c.err, "no answer from milvus-backup for"));
	ck_assert_ptr_nonnull(strstr(c.err, "may still run"));
	ck_assert_int_ge(time_mono_ms() - t0, 4000);
	ck_assert_int_lt(time_mono_ms() - t0, 15000);
	cap_free(&c);
}
END_TEST

static char asked[1024];
static const char *answer;

static int
fake_ask(void *arg, const char *prompt, char *out, size_t len)
{
	snprintf(asked, sizeof asked, "%s", prompt);
	if (answer == NULL)
		return -1;
	snprintf(out, len, "%s", answer);
	return 0;
}

START_TEST(test_delete_guard)
{
	struct cap c;

	fake_reset();
	/* A script cannot be asked: refused, nothing sent. */
	ck_assert_int_eq(run(&c, NULL, "backup delete fresh_docs"), CMD_REFUSED);
	ck_assert_ptr_nonnull(strstr(c.err, "give --confirm fresh_docs"));
	cap_free(&c);
	ck_assert_int_eq(run(&c, NULL, "backup delete fresh_docs --confirm fresh_doc"),
	    CMD_REFUSED);
	cap_free(&c);
	ck_assert_int_eq(run(&c, NULL, "--read-only backup delete fresh_docs --confirm "
	    "fresh_docs"), CMD_REFUSED);
	ck_assert_ptr_nonnull(strstr(c.err, "refused under --read-only"));
	cap_free(&c);
	ck_assert_int_eq(run(&c, "ro", "backup delete fresh_docs --confirm fresh_docs"),
	    CMD_REFUSED);
	ck_assert_ptr_nonnull(strstr(c.err, "read-only"));
	cap_free(&c);
	ck_assert_int_eq(fake_count(FAKE_DELETE), 0);

	/* Asked (the TUI's prompt): a wrong answer is refused; the prompt names
	 * the backup, the profile and that it cannot be undone. */
	cap_init(&c);
	c.ctx.ask = fake_ask;
	answer = "fresh";
	{
		char *argv[] = { "backup", "delete", "fresh_docs", NULL };

		ck_assert_int_eq(cmd_run(&c.ctx, 3, argv), CMD_REFUSED);
		ck_assert_ptr_nonnull(strstr(asked, "delete backup 'fresh_docs' (in the bucket of "
		    "milvus-backup at"));
		ck_assert_ptr_nonnull(strstr(asked, "in profile 't' ("));
		ck_assert_ptr_nonnull(strstr(asked, "type 'fresh_docs' to confirm"));
		ck_assert_int_eq(fake_count(FAKE_DELETE), 0);
		answer = "fresh_docs";
		ck_assert_int_eq(cmd_run(&c.ctx, 3, argv), CMD_OK);
		ck_assert_int_eq(fake_count(FAKE_DELETE), 1);
	}
	cap_free(&c);
	ck_assert_int_eq(run(&c, NULL, "backup delete old_all --confirm old_all -o json"),
	    CMD_OK);
	ck_assert_int_eq(fake_count(FAKE_DELETE), 2);
	ck_assert_ptr_nonnull(strstr(c.out, "\"result\":\"deleted\""));
	cap_free(&c);
	/* Gone already: the server's not found, exit 1. */
	ck_assert_int_eq(run(&c, NULL, "backup delete old_all --confirm old_all"), CMD_FAILED);
	cap_free(&c);
}
END_TEST

START_TEST(test_restore)
{
	struct cap c;
	cJSON *d;
	char cmd[256], id[128], body[2048];

	fake_reset();
	/* --drop-existing: refused without the exact confirmation, in a script,
	 * under --read-only and in a read-only profile; nothing sent. */
	ck_assert_int_eq(run(&c, NULL, "restore old_all --drop-existing"), CMD_REFUSED);
	ck_assert_ptr_nonnull(strstr(c.err, "give --confirm old_all"));
	cap_free(&c);
	ck_assert_int_eq(run(&c, NULL, "restore old_all --drop-existing --confirm old"),
	    CMD_REFUSED);
	cap_free(&c);
	ck_assert_int_eq(run(&c, NULL, "--read-only restore old_all --drop-existing --confirm "
	    "old_all"), CMD_REFUSED);
	cap_free(&c);
	ck_assert_int_eq(run(&c, "ro", "restore old_all --drop-existing --confirm old_all"),
	    CMD_REFUSED);
	cap_free(&c);
	ck_assert_int_eq(fake_count(FAKE_RESTORE), 0);
	/* The prompt names what exists now and would be dropped: docs and logs
	 * restored under their own names, both in the cluster. */
	cap_init(&c);
	c.ctx.ask = fake_ask;
	answer = "no";
	{
		char *argv[] = { "restore", "old_all", "--drop-existing", NULL };

		ck_assert_int_eq(cmd_run(&c.ctx, 3, argv), CMD_REFUSED);
		ck_assert_ptr_nonnull(strstr(asked, "'default.docs', 'db2.logs'"));
		ck_assert_ptr_nonnull(strstr(asked, "type 'old_all' to confirm"));
	}
	cap_free(&c);
	ck_assert_int_eq(fake_count(FAKE_RESTORE), 0);

	ck_assert_int_eq(run(&c, NULL, "restore old_all --suffix bad-one"), CMD_USAGE);
	cap_free(&c);
	ck_assert_int_eq(run(&c, NULL, "restore old_all --suffix _r --rename a:b"), CMD_USAGE);
	cap_free(&c);
	ck_assert_int_eq(run(&c, NULL, "restore old_all --confirm old_all"), CMD_USAGE);
	cap_free(&c);

	/* A restore with a suffix, waited for. */
	ck_assert_int_eq(run(&c, NULL, "restore old_all --collections default.docs --suffix _r "
	    "--wait -o json"), CMD_OK);
	ck_assert_int_eq(fake_count(FAKE_RESTORE), 1);
	fake_last_restore(body, sizeof body);
	ck_assert_ptr_nonnull(strstr(body, "\"collection_suffix\":\"_r\""));
	ck_assert_ptr_null(strstr(body, "dropExistCollection"));
	ck_assert_ptr_nonnull(d = last_json(c.out));
	ck_assert_str_eq(cJSON_GetObjectItem(d, "result")->valuestring, "success");
	snprintf(id, sizeof id, "%s", cJSON_GetObjectItem(d, "id")->valuestring);
	cJSON_Delete(d);
	cap_free(&c);
	snprintf(cmd, sizeof cmd, "restore status %s -o json", id);
	ck_assert_int_eq(run(&c, NULL, cmd), CMD_OK);
	ck_assert_ptr_nonnull(strstr(c.out, "\"collection\":\"default.docs_r\""));
	cap_free(&c);
	ck_assert_int_eq(run(&c, NULL, "restore status no_such_task"), CMD_FAILED);
	ck_assert_ptr_nonnull(strstr(c.err, "task lost"));
	cap_free(&c);

	/* Confirmed: the request asks the server to drop. */
	ck_assert_int_eq(run(&c, NULL, "restore old_all --drop-existing --confirm old_all"),
	    CMD_OK);
	fake_last_restore(body, sizeof body);
	ck_assert_ptr_nonnull(strstr(body, "\"dropExistCollection\":true"));
	cap_free(&c);
	ck_assert_int_eq(run(&c, NULL, "restore nope"), CMD_FAILED);
	ck_assert_ptr_nonnull(strstr(c.err, "not found"));
	cap_free(&c);
}
END_TEST

START_TEST(test_rpo)
{
	struct prom_samples ps;
	const struct prom_sample *s;
	struct cap c;
	cJSON *d;

	fake_reset();
	/* docs: 1 h old; logs: only in the 30 h old backup. */
	ck_assert_int_eq(run(&c, NULL, "rpo --target 24h -o json"), CMD_MISSED);
	ck_assert_ptr_nonnull(d = cJSON_Parse(c.out));
	ck_assert_int_eq(cJSON_GetObjectItem(d, "breached")->valueint, 1);
	ck_assert_str_eq(cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(d, "rows"),
	    0), "status")->valuestring, "old");		/* db2.logs sorts first */
	cJSON_Delete(d);
	ck_assert_ptr_nonnull(strstr(c.err, "RPO target 1d00h missed by 1 of 2"));
	cap_free(&c);
	ck_assert_int_eq(run(&c, NULL, "rpo --target 31h"), CMD_OK);
	cap_free(&c);
	ck_assert_int_eq(run(&c, NULL, "rpo --target 29h"), CMD_MISSED);
	cap_free(&c);

	ck_assert_int_eq(run(&c, NULL, "rpo --target 24h -o prom"), CMD_MISSED);
	ck_assert_ptr_nonnull(strstr(c.out,
	    "# TYPE milvusadm_backup_last_success_timestamp_seconds gauge\n"));
	ck_assert_ptr_nonnull(strstr(c.out, "# HELP milvusadm_rpo_breach "));
	prom_parse(c.out, c.outlen, NULL, &ps);
	ck_assert_uint_eq(ps.skipped, 0);
	ck_assert_ptr_nonnull(s = prom_find(&ps, "milvusadm_rpo_breach", "collection",
	    "db2.logs"));
	ck_assert(s->value == 1);
	ck_assert_ptr_nonnull(s = prom_find(&ps, "milvusadm_rpo_breach", "collection",
	    "default.docs"));
	ck_assert(s->value == 0);
	ck_assert_ptr_nonnull(s = prom_find(&ps, "milvusadm_backup_last_success_timestamp_seconds",
	    "collection", "default.docs"));
	ck_assert(s->value > (double)(time_wall_ms() / 1000 - 2 * 3600));
	ck_assert_ptr_nonnull(s = prom_find(&ps, "milvusadm_rpo_target_seconds", NULL, NULL));
	ck_assert(s->value == 86400);
	prom_samples_release(&ps);
	cap_free(&c);

	/* -o prom is for rpo only; the server unreachable is exit 4. */
	ck_assert_int_eq(run(&c, NULL, "backup list -o prom"), CMD_USAGE);
	cap_free(&c);
	ck_assert_int_eq(run(&c, NULL, "rpo --target never"), CMD_USAGE);
	cap_free(&c);
	ck_assert_int_eq(run(&c, "nobackup", "rpo"), CMD_UNREACHABLE);
	cap_free(&c);
}
END_TEST

/* What status and ha check say: the RPO line over a model's collections. */
START_TEST(test_rpo_line)
{
	struct collection_state cs[2];
	struct cluster cl;
	struct bk_rpo_view v;
	struct config *cfg;
	struct cap c;
	char err[256], line[512];

	fake_reset();
	memset(cs, 0, sizeof cs);
	memset(&cl, 0, sizeof cl);
	cs[0].db = "default";
	cs[0].name = "docs";
	cs[1].db = "db2";
	cs[1].name = "logs";
	cl.collections = cs;
	cl.n_collections = 2;
	cap_init(&c);
	ck_assert_ptr_nonnull(cfg = config_load(NULL, err, sizeof err));
	bk_rpo_load(&c.ctx, config_profile(cfg, "t"), &cl, 24 * H_MS, true, &v);
	ck_assert_int_eq(bk_rpo_line(&v, true, line, sizeof line), 1);
	ck_assert_str_eq(line, "RPO target 1d00h missed by 1 of 2 collections (first: 'db2.logs', "
	    "too old)");
	ck_assert_int_eq(bk_rpo_line(&v, false, line, sizeof line), 2);
	bk_rpo_release(&v);
	bk_rpo_load(&c.ctx, config_profile(cfg, "t"), &cl, 48 * H_MS, true, &v);
	ck_assert_int_eq(bk_rpo_line(&v, true, line, sizeof line), 0);
	ck_assert_ptr_nonnull(strstr(line, "met by 2 collections (oldest backup 1d06h)"));
	bk_rpo_release(&v);
	/* Unset and unreachable servers are said, not hidden. */
	bk_rpo_load(&c.ctx, config_profile(cfg, "nobackup"), &cl, 24 * H_MS, true, &v);
	ck_assert_int_eq(bk_rpo_line(&v, true, line, sizeof line), 2);
	ck_assert_ptr_nonnull(strstr(line, "no backup server (backup.url)"));
	bk_rpo_release(&v);
	bk_rpo_load(&c.ctx, config_profile(cfg, "down"), &cl, 24 * H_MS, true, &v);
	ck_assert_int_eq(bk_rpo_line(&v, true, line, sizeof line), 2);
	ck_assert_ptr_nonnull(strstr(line, "backup server unreachable"));
	bk_rpo_release(&v);
	config_free(cfg);
	cap_free(&c);
}
END_TEST

/* Label values from the cluster: the text format's escapes, control
 * characters through the one escaper; the parser reads back what was meant. */
START_TEST(test_prom_escaping)
{
	struct out_doc *d = out_doc_new("t");
	struct out_metric *m;
	struct prom_samples ps;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	m = out_metric(d, "x_total", "counter", "help with \\ and\nnewline");
	out_sample(m, (const char *const[]){ "collection", "a\"b\\c\nd\x1b[2J", NULL }, 1.5);
	out_sample(m, NULL, 3);
	out_sample(m, (const char *const[]){ "bad-label", "v", NULL }, 4);
	(void)out_metric(d, "bad name", "gauge", "never rendered");
	out_doc_render(d, f, OUT_PROM, false);
	fclose(f);
	/* out_escape writes a backslash as two and ESC as \x1b; the text format
	 * then doubles each backslash and escapes the quote. */
	ck_assert_str_eq(text, "# HELP x_total help with \\\\ and\\nnewline\n"
	    "# TYPE x_total counter\n"
	    "x_total{collection=\"a\\\"b\\\\\\\\c\\\\nd\\\\x1b[2J\"} 1.5\n"
	    "x_total 3\n"
	    "x_total 4\n");
	prom_parse(text, len, NULL, &ps);
	ck_assert_uint_eq(ps.skipped, 0);
	ck_assert_uint_eq(ps.n, 3);
	ck_assert_str_eq(prom_label(&ps.v[0], "collection"), "a\"b\\\\c\\nd\\x1b[2J");
	prom_samples_release(&ps);
	free(text);
	out_doc_free(d);
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("backup-cmds");
	TCase *tc = tcase_create("cmds");

	tcase_add_unchecked_fixture(tc, fake_start, fake_stop);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_list_show);
	tcase_add_test(tc, test_create_if_older_than);
	tcase_add_test(tc, test_create_wait);
	tcase_add_test(tc, test_delete_guard);
	tcase_add_test(tc, test_restore);
	tcase_add_test(tc, test_rpo);
	tcase_add_test(tc, test_rpo_line);
	tcase_add_test(tc, test_prom_escaping);
	suite_add_tcase(s, tc);
	return s;
}
