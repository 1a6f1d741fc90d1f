/* SPDX-License-Identifier: MIT */
/* Unit tests for the one guard (src/ops/guard/guard.c): what it refuses
 * without asking, the exact name or PROFILE/NAME it wants, and the question
 * naming the profile, its cluster and what cannot be undone. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/config.h"
#include "milvusadm/guard.h"
#include "milvusadm/protect.h"

struct asked {
	int answer;			/* what the fake operator does */
	int calls;
	char prompt[2048];
	char expected[512];
};

static int
ask(void *arg, const char *prompt, const char *expected)
{
	struct asked *a = arg;

	a->calls++;
	snprintf(a->prompt, sizeof a->prompt, "%s", prompt);
	snprintf(a->expected, sizeof a->expected, "%s", expected);
	return a->answer;
}

static struct profile
profile(const char *name, bool production)
{
	static char *eps[] = { "http://10.0.0.1:2379", "http://user:pw@10.0.0.2:2379", NULL };
	struct profile p;

	memset(&p, 0, sizeof p);
	p.name = (char *)name;
	p.etcd_endpoints = eps;
	p.n_etcd_endpoints = 2;
	p.milvus_uri = "https://root:secret@10.0.3.9:19530/";
	p.production = production;
	return p;
}

static struct guard_req
req(const struct profile *p, const char *name, const char *confirm)
{
	struct guard_req r;

	memset(&r, 0, sizeof r);
	r.p = p;
	r.action = "drop collection";
	r.name = name;
	r.detail = "3000 rows";
	r.irreversible = "its data cannot be recovered";
	r.confirm = confirm;
	return r;
}

START_TEST(test_confirm_flag)
{
	struct profile p = profile("lab", false);
	struct guard_result res;
	struct asked a = { 1, 0, "", "" };
	struct guard_req r = req(&p, "default.docs", "default.docs");

	ck_assert(guard_check(&r, ask, &a, &res));
	ck_assert_int_eq(res.how, GUARD_HOW_FLAG);
	ck_assert_int_eq(a.calls, 0);			/* never asked */
	/* Exact and case-sensitive; refused without asking. */
	r.confirm = "default.Docs";
	ck_assert(!guard_check(&r, ask, &a, &res));
	ck_assert_int_eq(a.calls, 0);
	ck_assert_ptr_nonnull(strstr(res.why, "does not match 'default.docs'"));
	r.confirm = "default.doc";
	ck_assert(!guard_check(&r, ask, &a, &res));
}
END_TEST

START_TEST(test_production)
{
	struct profile p = profile("prod", true);
	struct guard_result res;
	struct asked a = { 1, 0, "", "" };
	struct guard_req r = req(&p, "default.docs", "default.docs");

	/* The bare name does not do on a production profile. */
	ck_assert(!guard_check(&r, ask, &a, &res));
	ck_assert_str_eq(res.expected, "prod/default.docs");
	r.confirm = "prod/default.docs";
	ck_assert(guard_check(&r, ask, &a, &res));
	r.confirm = NULL;
	ck_assert(guard_check(&r, ask, &a, &res));
	ck_assert_int_eq(res.how, GUARD_HOW_TYPED);
	ck_assert_str_eq(a.expected, "prod/default.docs");
	ck_assert_ptr_nonnull(strstr(a.prompt, "PRODUCTION profile 'prod'"));
}
END_TEST

START_TEST(test_refusals)
{
	struct profile p = profile("lab", false);
	struct guard_result res;
	struct asked a = { 1, 0, "", "" };
	struct guard_req r = req(&p, "default.*", NULL);

	ck_assert(!guard_check(&r, ask, &a, &res));	/* a pattern */
	ck_assert_ptr_nonnull(strstr(res.why, "not a pattern"));
	r.name = "docs?";
	ck_assert(!guard_check(&r, ask, &a, &res));
	r.name = "";
	ck_assert(!guard_check(&r, ask, &a, &res));
	r.name = "default.docs";
	r.yes = true;					/* --yes alone */
	ck_assert(!guard_check(&r, ask, &a, &res));
	ck_assert_ptr_nonnull(strstr(res.why, "--yes is not a confirmation"));
	r.yes = false;
	r.read_only = true;				/* even with --confirm */
	r.confirm = "default.docs";
	ck_assert(!guard_check(&r, ask, &a, &res));
	ck_assert_ptr_nonnull(strstr(res.why, "read-only"));
	ck_assert_int_eq(a.calls, 0);
	/* Nobody to ask; a wrong answer. */
	r.read_only = false;
	r.confirm = NULL;
	a.answer = -1;
	ck_assert(!guard_check(&r, ask, &a, &res));
	ck_assert_ptr_nonnull(strstr(res.why, "give --confirm default.docs"));
	a.answer = 0;
	ck_assert(!guard_check(&r, ask, &a, &res));
	ck_assert_ptr_nonnull(strstr(res.why, "did not match"));
	ck_assert(!guard_check(&r, NULL, NULL, &res));
}
END_TEST

START_TEST(test_prompt_names_everything)
{
	struct profile p = profile("lab", false);
	struct guard_result res;
	struct asked a = { 1, 0, "", "" };
	struct guard_req r = req(&p, "default.docs", NULL);
	char where[512];

	ck_assert(guard_check(&r, ask, &a, &res));
	ck_assert_ptr_nonnull(strstr(a.prompt, "drop collection 'default.docs' (3000 rows)"));
	ck_assert_ptr_nonnull(strstr(a.prompt, "etcd http://10.0.0.1:2379 +1"));
	ck_assert_ptr_nonnull(strstr(a.prompt, "milvus https://10.0.3.9:19530"));
	ck_assert_ptr_nonnull(strstr(a.prompt, "its data cannot be recovered"));
	/* No credentials from the URLs. */
	ck_assert_ptr_null(strstr(a.prompt, "secret"));
	ck_assert_ptr_null(strstr(a.prompt, "root"));
	guard_where(NULL, where, sizeof where);
	ck_assert_str_eq(where, "no profile");
	ck_assert_str_eq(guard_how_name(GUARD_HOW_TYPED), "typed");
}
END_TEST

START_TEST(test_drop_plan)
{
	char *list[] = { "default.docs", "images", "analytics.*" };
	struct profile p = profile("lab", false);
	char out[256];

	p.guards_protected = list;
	p.n_guards_protected = 3;
	ck_assert(guard_protected(&p, "default", "docs"));
	ck_assert(!guard_protected(&p, "other", "docs"));
	ck_assert(guard_protected(&p, "default", "images"));	/* bare: default db */
	ck_assert(!guard_protected(&p, "db2", "images"));
	ck_assert(guard_protected(&p, "analytics", "anything"));
	ck_assert(!guard_protected(&p, "analytics2", "x"));
	ck_assert(!guard_protected(&p, "anal", "x"));
	ck_assert(!guard_protected(NULL, "default", "docs"));
	guard_predrop_name("default", "my-coll$1", 1796677600662LL, out, sizeof out);
	ck_assert_str_eq(out, "predrop_default_my_coll_1_20261207T210640_662Z");
	guard_undo_command("prod", "b1", "db", "c", out, sizeof out);
	ck_assert_str_eq(out, "milvusadm -p prod restore b1 --collections db.c --rbac --wait "
	    "--verify");
}
END_TEST

static unsigned n_pending;
static char pending_step[64], pending_coll[64];

static void
pending(const struct journal_entry *e, void *arg)
{
	(void)arg;
	n_pending++;
	snprintf(pending_step, sizeof pending_step, "%s", e->step);
	snprintf(pending_coll, sizeof pending_coll, "%s", e->collection);
}

START_TEST(test_journal)
{
	struct journal j;
	char err[512];

	/* tap-main gives the suite its own state directory. */
	n_pending = 0;
	ck_assert_uint_eq(journal_pending(pending, NULL), 0);
	journal_open(&j, "prod/../x", "db.c/1");
	/* A '/' in a name cannot leave the directory: it is encoded. */
	ck_assert_ptr_nonnull(strstr(j.path, "/journal/drop-prod%2F..%2Fx@db.c%2F1.json"));
	ck_assert_int_eq(journal_step(&j, "started", err, sizeof err), 0);
	snprintf(j.backup, sizeof j.backup, "predrop_1");
	ck_assert_int_eq(journal_step(&j, "backup-verified", err, sizeof err), 0);
	ck_assert_uint_eq(journal_pending(pending, NULL), 1);
	ck_assert_str_eq(pending_step, "backup-verified");
	ck_assert_str_eq(pending_coll, "db.c/1");
	ck_assert_ptr_nonnull(strstr(journal_step_said("backup-verified"), "drop not sent"));
	ck_assert_ptr_nonnull(strstr(journal_step_said("drop-sent"), "check whether"));
	/* Not done: kept; done: removed. */
	journal_close(&j, false);
	ck_assert_uint_eq(journal_pending(pending, NULL), 1);
	journal_open(&j, "prod/../x", "db.c/1");
	journal_close(&j, true);
	n_pending = 0;
	ck_assert_uint_eq(journal_pending(pending, NULL), 0);
}
END_TEST

/* The protect list's record and the guard alias's rules. */
START_TEST(test_protect)
{
	struct protect_entry e, r;
	char name[400], longc[300], *j, *k;

	protect_alias_name("docs", name, sizeof name);
	ck_assert_str_eq(name, "milvusadm_guard_docs");
	memset(longc, 'c', 250);
	longc[250] = '\0';
	protect_alias_name(longc, name, sizeof name);
	ck_assert_uint_le(strlen(name), 255);
	ck_assert(protect_name_ok(name));
	ck_assert(strncmp(name, PROTECT_ALIAS_PREFIX, strlen(PROTECT_ALIAS_PREFIX)) == 0);
	/* Versions: the alias guard from 2.5.5, force-deny from 2.4.24 / 2.5.8. */
	ck_assert_int_eq(protect_alias_guard_works("2.5.4"), 0);
	ck_assert_int_eq(protect_alias_guard_works("v2.5.5"), 1);
	ck_assert_int_eq(protect_alias_guard_works("2.6.0-dev"), 1);
	ck_assert_int_eq(protect_alias_guard_works("2.4.13"), 0);
	ck_assert_int_eq(protect_alias_guard_works("3.0.1"), 1);
	ck_assert_int_eq(protect_alias_guard_works(NULL), -1);
	ck_assert_int_eq(protect_alias_guard_works("latest"), -1);
	ck_assert_int_eq(protect_force_deny_works("2.4.23"), 0);
	ck_assert_int_eq(protect_force_deny_works("2.4.24"), 1);
	ck_assert_int_eq(protect_force_deny_works("2.5.7"), 0);
	ck_assert_int_eq(protect_force_deny_works("2.5.8"), 1);
	ck_assert_int_eq(protect_force_deny_works("2.3.4"), 0);
	/* The tool's prefix stays out of Milvus's root path. */
	ck_assert(protect_prefix_ok("milvusadm/", "by-dev"));
	ck_assert(!protect_prefix_ok("by-dev/milvusadm/", "by-dev"));
	ck_assert(!protect_prefix_ok("by-dev", "by-dev"));
	ck_assert(!protect_prefix_ok("by", "by-dev"));
	ck_assert(!protect_prefix_ok("", "by-dev"));
	ck_assert(protect_prefix_ok("by-dev2/", "by-dev"));
	/* Names: no patterns, no separators. */
	ck_assert(protect_name_ok("_a1"));
	ck_assert(!protect_name_ok("1a"));
	ck_assert(!protect_name_ok("a*"));
	ck_assert(!protect_name_ok("a/b"));
	ck_assert(!protect_name_ok(""));
	/* The record round-trips; the key decides db and collection. */
	memset(&e, 0, sizeof e);
	strcpy(e.db, "db1");
	strcpy(e.coll, "docs");
	strcpy(e.by, "ops@host");
	e.at_ms = 1765000000123;
	strcpy(e.alias, "milvusadm_guard_docs");
	j = protect_entry_json(&e);
	k = protect_key("milvusadm/", "db1", "docs");
	ck_assert_str_eq(k, "milvusadm/protect/db1/docs");
	ck_assert_int_eq(protect_entry_parse("milvusadm/", k, j, strlen(j), &r), 0);
	ck_assert_str_eq(r.db, "db1");
	ck_assert_str_eq(r.coll, "docs");
	ck_assert_str_eq(r.by, "ops@host");
	ck_assert_int_eq(r.at_ms, 1765000000123);
	ck_assert_str_eq(r.alias, "milvusadm_guard_docs");
	/* A mangled value still protects; an alias not named like the tool's is
	 * never believed to be the tool's. */
	ck_assert_int_eq(protect_entry_parse("milvusadm/", k, "{not json", 9, &r), 0);
	ck_assert_str_eq(r.coll, "docs");
	ck_assert_str_eq(r.alias, "");
	ck_assert_int_eq(protect_entry_parse("milvusadm/", k, "{\"alias\":\"mine\"}", 16, &r), 0);
	ck_assert_str_eq(r.alias, "");
	ck_assert_int_eq(protect_entry_parse("milvusadm/", "milvusadm/protect/db1", j, strlen(j),
	    &r), -1);
	ck_assert_int_eq(protect_entry_parse("milvusadm/", "other/protect/db1/docs", j, strlen(j),
	    &r), -1);
	ck_assert_int_eq(protect_entry_parse("milvusadm/", "milvusadm/protect/db1/a/b", j,
	    strlen(j), &r), -1);
	free(j);
	free(k);
	/* The refusal is known by its message, whatever the code. */
	ck_assert(protect_refusal_is_alias("unable to drop the collection [c] because it has "
	    "associated aliases [a], please remove all aliases before dropping the collection"));
	ck_assert(!protect_refusal_is_alias("collection not found[collection=c]"));
	ck_assert(!protect_refusal_is_alias(NULL));
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("guard");
	TCase *tc = tcase_create("guard");

	tcase_add_test(tc, test_confirm_flag);
	tcase_add_test(tc, test_production);
	tcase_add_test(tc, test_refusals);
	tcase_add_test(tc, test_prompt_names_everything);
	tcase_add_test(tc, test_drop_plan);
	tcase_add_test(tc, test_journal);
	tcase_add_test(tc, test_protect);
	suite_add_tcase(s, tc);
	return s;
}
