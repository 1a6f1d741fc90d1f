/* SPDX-License-Identifier: MIT */
/* Unit tests for the command engine: the lexer, lookup, global options, the
 * prerequisites the dispatcher enforces and scripts (with a table of its own). */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "build-config.h"
#include "milvusadm/cmd.h"
#include "../../src/cmd/cmd-handlers.h"
#include "unit-config.h"

/* What the last handler saw. */
static int seen_argc;
static char seen_argv[8][64];
static enum out_format seen_format;

static int
t_record(struct cmd_ctx *ctx, int argc, char **argv)
{
	int i;

	seen_argc = argc;
	for (i = 0; i < argc && i < 8; i++)
		snprintf(seen_argv[i], sizeof seen_argv[i], "%s", argv[i]);
	seen_format = ctx->format;
	return CMD_OK;
}

static int
t_fail(struct cmd_ctx *ctx, int argc, char **argv)
{
	return cmd_error(ctx, argc > 1 ? atoi(argv[1]) : CMD_FAILED, "failed '%s'",
	    argc > 1 ? argv[1] : "");
}

/* Fails without cmd_error, as older handlers do. */
static int
t_quiet(struct cmd_ctx *ctx, int argc, char **argv)
{
	return CMD_FAILED;
}

const struct cmd_entry cmd_entries[] = {
	{ "help", NULL, "[COMMAND]", "help", 0, cmd_help },
	{ "backup create", NULL, "[--name N]", "make a backup", CMD_MUTATES, t_record },
	{ "backup list", "backups", "", "list backups", 0, t_record },
	{ "backup delete", NULL, "NAME", "delete", CMD_DESTRUCTIVE, t_record },
	{ "topology", NULL, "[--role R]", "components", CMD_NEEDS_ETCD, t_record },
	{ "collections", NULL, "", "collections", CMD_NEEDS_PROXY, t_record },
	{ "echo", NULL, "[WORDS...]", "record", 0, t_record },
	{ "fail", NULL, "[CODE]", "fail", 0, t_fail },
	{ "quiet", NULL, "", "fail quietly", 0, t_quiet },
	{ "events", NULL, "", "events", 0, t_record },
	{ "etcd", NULL, "", "etcd", 0, t_record },
	{ "lab down", NULL, "[--name NAME]", "stop the lab", CMD_MUTATES, t_record },
	{ "shell", NULL, "", "shell", 0, cmd_shell },
	{ "version", NULL, "", "version", 0, cmd_version },
	{ NULL, NULL, NULL, NULL, 0, NULL },
};

/* A context writing into memory, and what it wrote. */
struct cap {
	struct cmd_ctx ctx;
	char *out, *err;
	size_t outlen, errlen;
	FILE *fo, *fe;
};

static void
cap_init(struct cap *c)
{
	memset(c, 0, sizeof *c);
	c->fo = open_memstream(&c->out, &c->outlen);
	c->fe = open_memstream(&c->err, &c->errlen);
	cmd_ctx_init(&c->ctx, NULL, c->fo, c->fe);
}

static void
cap_flush(struct cap *c)
{
	fflush(c->fo);
	fflush(c->fe);
}

static void
cap_free(struct cap *c)
{
	fclose(c->fo);
	fclose(c->fe);
	free(c->out);
	free(c->err);
}

static int
run_words(struct cap *c, const char *text)
{
	struct cmd_list l;
	char err[128];
	int rc;

	ck_assert_int_eq(cmd_lex(text, 1, 0, &l, err, sizeof err, NULL), 0);
	ck_assert_uint_eq(l.n, 1);
	rc = cmd_run(&c->ctx, l.v[0].argc, l.v[0].argv);
	cmd_list_free(&l);
	cap_flush(c);
	return rc;
}

START_TEST(test_lex_words)
{
	struct cmd_list l;
	char err[128];
	int line = 0;

	ck_assert_int_eq(cmd_lex("  lab  up --name 'a b' \"c \\\"d\\\" \\\\ \\n\\x\" e\\ f\t",
	    1, 0, &l, err, sizeof err, &line), 0);
	ck_assert_uint_eq(l.n, 1);
	ck_assert_int_eq(l.v[0].argc, 6);
	ck_assert_str_eq(l.v[0].argv[0], "lab");
	ck_assert_str_eq(l.v[0].argv[3], "a b");
	ck_assert_str_eq(l.v[0].argv[4], "c \"d\" \\ \n\\x");
	ck_assert_str_eq(l.v[0].argv[5], "e f");
	ck_assert_ptr_null(l.v[0].argv[6]);
	cmd_list_free(&l);

	/* Separators, comments, empty words and line numbers. */
	ck_assert_int_eq(cmd_lex("a; b 'x;y' # c; d\n\n e a#b \"\" ''\n;;\nf\\\ng", 10, 0,
	    &l, err, sizeof err, &line), 0);
	ck_assert_uint_eq(l.n, 4);
	ck_assert_int_eq(l.v[0].argc, 1);
	ck_assert_int_eq(l.v[0].line, 10);
	ck_assert_str_eq(l.v[1].argv[1], "x;y");
	ck_assert_int_eq(l.v[1].argc, 2);
	ck_assert_int_eq(l.v[2].line, 12);
	ck_assert_int_eq(l.v[2].argc, 4);
	ck_assert_str_eq(l.v[2].argv[1], "a#b");
	ck_assert_str_eq(l.v[2].argv[2], "");
	ck_assert_str_eq(l.v[2].argv[3], "");
	ck_assert_int_eq(l.v[3].line, 14);
	ck_assert_str_eq(l.v[3].argv[0], "fg");
	cmd_list_free(&l);

	ck_assert_int_eq(cmd_lex("  # only a comment\n ; \n", 1, 0, &l, err, sizeof err,
	    &line), 0);
	ck_assert_uint_eq(l.n, 0);
	cmd_list_free(&l);
}
END_TEST

START_TEST(test_lex_errors)
{
	struct cmd_list l;
	char err[128], *big;
	int line = 0;

	ck_assert_int_eq(cmd_lex("a\nb \"open", 5, 0, &l, err, sizeof err, &line),
	    CMD_LEX_MORE);
	ck_assert_str_eq(err, "unterminated double quote");
	ck_assert_int_eq(line, 6);
	ck_assert_uint_eq(l.n, 0);
	ck_assert_int_eq(cmd_lex("x 'open\nmore", 1, 0, &l, err, sizeof err, &line),
	    CMD_LEX_MORE);
	ck_assert_str_eq(err, "unterminated single quote");
	ck_assert_int_eq(line, 1);
	ck_assert_int_eq(cmd_lex("x \\", 1, 0, &l, err, sizeof err, &line), CMD_LEX_MORE);
	/* Completion takes what there is. */
	ck_assert_int_eq(cmd_lex("lab kill \"que", 1, CMD_LEX_PARTIAL, &l, err,
	    sizeof err, &line), 0);
	ck_assert_int_eq(l.v[0].argc, 3);
	ck_assert_str_eq(l.v[0].argv[2], "que");
	cmd_list_free(&l);

	/* Bounds: a word, the words of a command, the text. */
	big = malloc(CMD_LEX_MAX_TEXT + 2);
	memset(big, 'a', CMD_LEX_MAX_WORD + 1);
	big[CMD_LEX_MAX_WORD + 1] = '\0';
	ck_assert_int_eq(cmd_lex(big, 1, 0, &l, err, sizeof err, &line), -1);
	ck_assert_ptr_nonnull(strstr(err, "word longer than"));
	for (int i = 0; i < 2 * (CMD_LEX_MAX_WORDS + 1); i += 2) {
		big[i] = 'w';
		big[i + 1] = ' ';
	}
	big[2 * (CMD_LEX_MAX_WORDS + 1)] = '\0';
	ck_assert_int_eq(cmd_lex(big, 1, 0, &l, err, sizeof err, &line), -1);
	ck_assert_ptr_nonnull(strstr(err, "more than 256 words"));
	memset(big, ';', CMD_LEX_MAX_TEXT + 1);
	big[CMD_LEX_MAX_TEXT + 1] = '\0';
	ck_assert_int_eq(cmd_lex(big, 1, 0, &l, err, sizeof err, &line), -1);
	free(big);
}
END_TEST

START_TEST(test_find)
{
	char *a[] = { "b", "c" }, *b[] = { "backup" }, *c[] = { "e" }, *d[] = { "backups" };
	char *e1[] = { "ev" }, *f[] = { "backup", "x" };
	const struct cmd_entry *e;
	char err[256];
	int n;

	e = cmd_find(2, a, &n, err, sizeof err);
	ck_assert_str_eq(e->name, "backup create");
	ck_assert_int_eq(n, 2);
	ck_assert_ptr_null(cmd_find(1, b, &n, err, sizeof err));
	ck_assert_str_eq(err, "command 'backup' needs one of: create, list, delete");
	ck_assert_ptr_null(cmd_find(1, c, &n, err, sizeof err));
	ck_assert_str_eq(err, "ambiguous command 'e': could be echo, events, etcd");
	e = cmd_find(1, d, &n, err, sizeof err);
	ck_assert_str_eq(e->name, "backup list");
	e = cmd_find(1, e1, &n, err, sizeof err);
	ck_assert_str_eq(e->name, "events");
	ck_assert_ptr_null(cmd_find(2, f, &n, err, sizeof err));
	ck_assert_ptr_nonnull(strstr(err, "unknown command 'backup x'"));
}
END_TEST

START_TEST(test_global_options)
{
	struct cap c;

	cap_init(&c);
	ck_assert_int_eq(c.ctx.format, OUT_TSV);
	ck_assert_int_eq(run_words(&c, "echo a -o json b"), CMD_OK);
	ck_assert_int_eq(seen_format, OUT_JSON);
	ck_assert_int_eq(seen_argc, 3);
	ck_assert_str_eq(seen_argv[0], "echo");
	ck_assert_str_eq(seen_argv[2], "b");
	/* Only for that command. */
	ck_assert_int_eq(c.ctx.format, OUT_TSV);
	ck_assert_int_eq(run_words(&c, "echo --output=table -otsv x"), CMD_OK);
	ck_assert_int_eq(seen_format, OUT_TSV);
	ck_assert_int_eq(run_words(&c, "echo -- -o json"), CMD_OK);
	ck_assert_int_eq(seen_argc, 4);
	ck_assert_str_eq(seen_argv[2], "-o");
	ck_assert_int_eq(run_words(&c, "echo -o yaml"), CMD_USAGE);
	ck_assert_int_eq(run_words(&c, "echo -o"), CMD_USAGE);
	ck_assert_str_eq(c.err, "milvusadm: output 'yaml' is not one of json, table, tsv, prom\n"
	    "milvusadm: option '-o' needs one of json, table, tsv, prom\n");
	/* prom only for the commands that have that form. */
	ck_assert_int_eq(run_words(&c, "echo -o prom"), CMD_USAGE);
	ck_assert_ptr_nonnull(strstr(c.err, "'echo' has no Prometheus form"));
	ck_assert_int_eq(run_words(&c, "version -o json"), CMD_OK);
	ck_assert_str_eq(c.out, "{\"version\":1,\"kind\":\"version\",\"milvusadm\":\""
	    MILVUSADM_VERSION "\"}\n");
	cap_free(&c);
}
END_TEST

START_TEST(test_prerequisites)
{
	const char *want;
	struct cap c;

	unit_config_write("default_profile: a\nprofiles:\n  a:\n    milvus: { uri: http://127.0.0.1:1 }\n"
	    "  b:\n    etcd: { endpoints: [http://127.0.0.1:2] }\n    read_only: true\n");
	cap_init(&c);
	ck_assert_int_eq(run_words(&c, "topology"), CMD_UNREACHABLE);
	ck_assert_int_eq(run_words(&c, "collections"), CMD_OK);
	ck_assert_int_eq(run_words(&c, "backup create"), CMD_OK);
	ck_assert_int_eq(run_words(&c, "backup create --read-only"), CMD_REFUSED);
	ck_assert_int_eq(run_words(&c, "backup list --read-only"), CMD_OK);
	ck_assert_int_eq(run_words(&c, "backup del x --read-only"), CMD_REFUSED);
	c.ctx.profile = "b";
	ck_assert_int_eq(run_words(&c, "topology"), CMD_OK);
	ck_assert_int_eq(run_words(&c, "collections"), CMD_UNREACHABLE);
	ck_assert_int_eq(run_words(&c, "backup create"), CMD_REFUSED);
	/* The lab uses no profile: a read-only one does not guard it. */
	ck_assert_int_eq(run_words(&c, "lab down"), CMD_OK);
	c.ctx.profile = "zz";
	ck_assert_int_eq(run_words(&c, "topology"), CMD_USAGE);
	ck_assert_int_eq(run_words(&c, "lab down"), CMD_OK);
	want = "milvusadm: no etcd endpoint in profile 'a'\n"
	    "milvusadm: 'backup create' changes things and is refused under --read-only\n"
	    "milvusadm: 'backup delete' changes things and is refused under --read-only\n"
	    "milvusadm: no milvus.uri in profile 'b'\n"
	    "milvusadm: profile 'b' is read-only: 'backup create' is refused\n"
	    "milvusadm: profile 'zz' not found in '";
	ck_assert_int_eq(strncmp(c.err, want, strlen(want)), 0);
	cap_free(&c);
}
END_TEST

START_TEST(test_prerequisites_no_config)
{
	struct cap c;

	unit_config_write("");
	cap_init(&c);
	ck_assert_int_eq(run_words(&c, "topology"), CMD_UNREACHABLE);
	ck_assert_ptr_nonnull(strstr(c.err, "no cluster is configured"));
	unit_config_write("profiles: [\n");
	ck_assert_int_eq(run_words(&c, "topology"), CMD_FAILED);
	ck_assert_int_eq(run_words(&c, "echo"), CMD_OK);
	/* A broken config never keeps a lab from being stopped; --read-only still does. */
	ck_assert_int_eq(run_words(&c, "lab down"), CMD_OK);
	ck_assert_int_eq(run_words(&c, "lab down --read-only"), CMD_REFUSED);
	cap_free(&c);
}
END_TEST

START_TEST(test_script)
{
	struct cmd_script s = { "rb", false, 0, false };
	struct cap c;

	cap_init(&c);
	ck_assert_int_eq(cmd_script_text(&c.ctx, &s, "echo 1\n\nfail 4; echo 2\n", 1), 4);
	ck_assert_str_eq(seen_argv[1], "1");
	ck_assert(s.stopped);
	cap_flush(&c);
	ck_assert_str_eq(c.err, "rb:3: failed '4'\n");
	cap_free(&c);

	cap_init(&c);
	s = (struct cmd_script){ "rb", true, 0, false };
	ck_assert_int_eq(cmd_script_text(&c.ctx, &s, "fail 5\nquiet\nnope\necho x\nfail 1",
	    1), 5);
	ck_assert_str_eq(seen_argv[1], "x");
	cap_flush(&c);
	ck_assert_str_eq(c.err, "rb:1: failed '5'\nrb:2: 'quiet' failed with exit code 1\n"
	    "rb:3: unknown command 'nope' (try 'milvusadm help')\nrb:5: failed '1'\n");
	cap_free(&c);

	/* -c has no file: errors keep the program's name. */
	cap_init(&c);
	s = (struct cmd_script){ NULL, false, 0, false };
	ck_assert_int_eq(cmd_script_text(&c.ctx, &s, "echo 'x", 1), CMD_USAGE);
	cap_flush(&c);
	ck_assert_str_eq(c.err, "milvusadm: unterminated single quote\n");
	cap_free(&c);
}
END_TEST

START_TEST(test_script_file)
{
	static const char text[] = "# a runbook\necho \"multi\nline\" y\necho a \\\n  b\n"
	    "fail 3\necho never\n";
	struct cmd_script s = { "rb.txt", false, 0, false };
	FILE *f = fmemopen((void *)text, sizeof text - 1, "r");
	struct cap c;

	cap_init(&c);
	ck_assert_int_eq(cmd_script_file(&c.ctx, &s, f), 3);
	fclose(f);
	cap_flush(&c);
	ck_assert_str_eq(c.err, "rb.txt:6: failed '3'\n");
	ck_assert_str_eq(seen_argv[1], "a");
	ck_assert_str_eq(seen_argv[2], "b");
	cap_free(&c);

	f = fmemopen((void *)"echo ok\necho \"never closed\n", 27, "r");
	s = (struct cmd_script){ "<stdin>", false, 0, false };
	cap_init(&c);
	ck_assert_int_eq(cmd_script_file(&c.ctx, &s, f), CMD_USAGE);
	fclose(f);
	cap_flush(&c);
	ck_assert_str_eq(c.err, "<stdin>:2: unterminated double quote\n");
	cap_free(&c);
}
END_TEST

/* A usage error names the option the command does not have, on the one line. */
START_TEST(test_usage_names_option)
{
	struct cap c;

	cap_init(&c);
	ck_assert_int_eq(run_words(&c, "version --bogus"), CMD_USAGE);
	ck_assert_str_eq(c.err, "milvusadm: unknown option '--bogus' for 'version'; usage: "
	    "milvusadm version\n");
	cap_free(&c);
	cap_init(&c);
	ck_assert_int_eq(run_words(&c, "version -x=1"), CMD_USAGE);
	ck_assert_str_eq(c.err, "milvusadm: unknown option '-x' for 'version'; usage: "
	    "milvusadm version\n");
	cap_free(&c);
	/* Not an option: a plain word, a negative number, anything after "--". */
	cap_init(&c);
	ck_assert_int_eq(run_words(&c, "version extra -1 -- --bogus"), CMD_USAGE);
	ck_assert_str_eq(c.err, "usage: milvusadm version\n");
	cap_free(&c);
}
END_TEST

START_TEST(test_help)
{
	struct cap c;

	cap_init(&c);
	ck_assert_int_eq(run_words(&c, "help"), CMD_OK);
	ck_assert_ptr_nonnull(strstr(c.out, "  backup create  make a backup\n"));
	ck_assert_int_eq(run_words(&c, "help b d"), CMD_OK);
	ck_assert_ptr_nonnull(strstr(c.out, "usage: milvusadm backup delete NAME\n"));
	ck_assert_ptr_nonnull(strstr(c.out, "destructive"));
	ck_assert_int_eq(run_words(&c, "help nope"), CMD_USAGE);
	ck_assert_int_eq(run_words(&c, "shell"), CMD_USAGE);
	cap_free(&c);
}
END_TEST

START_TEST(test_error_prefix)
{
	struct cap c;

	cap_init(&c);
	c.ctx.script = "book.txt";
	c.ctx.script_line = 7;
	ck_assert_int_eq(cmd_error(&c.ctx, CMD_MISSED, "host '%s'", "a\033]0;x\007"),
	    CMD_MISSED);
	c.ctx.script = NULL;
	cmd_error(&c.ctx, 1, "plain");
	cap_flush(&c);
	ck_assert_str_eq(c.err, "book.txt:7: host 'a\\x1b]0;x\\x07'\nmilvusadm: plain\n");
	cap_free(&c);
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("cmd");
	TCase *tc = tcase_create("cmd");

	tcase_add_test(tc, test_lex_words);
	tcase_add_test(tc, test_lex_errors);
	tcase_add_test(tc, test_find);
	tcase_add_test(tc, test_global_options);
	tcase_add_test(tc, test_prerequisites);
	tcase_add_test(tc, test_prerequisites_no_config);
	tcase_add_test(tc, test_script);
	tcase_add_test(tc, test_script_file);
	tcase_add_test(tc, test_help);
	tcase_add_test(tc, test_usage_names_option);
	tcase_add_test(tc, test_error_prefix);
	suite_add_tcase(s, tc);
	return s;
}
