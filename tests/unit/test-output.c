/* SPDX-License-Identifier: MIT */
/* Unit tests for command output: the document tree as table, TSV and JSON. */
#include <check.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/output.h"
#include "../../src/cmd/output-int.h"

/* d as text; a table fitted to width columns when width is not 0. */
static char *
render_as(const struct out_doc *d, enum out_format fmt, bool color, size_t width, bool utf8)
{
	char *s = NULL;
	size_t n = 0;
	FILE *f = open_memstream(&s, &n);

	if (width > 0)
		out_doc_render_table(d, f, color, width, utf8);
	else
		out_doc_render(d, f, fmt, color);
	fclose(f);
	return s;
}

static char *
render(const struct out_doc *d, enum out_format fmt, bool color)
{
	return render_as(d, fmt, color, 0, false);
}

static const struct out_col cols[] = {
	{ "role", "ROLE", OCOL_STR },
	{ "id", "ID", OCOL_INT },
	{ "host", "HOST", OCOL_STR },
	{ "up", "UP", OCOL_DURATION_MS },
};

/* A topology-like document with one hostile host name. */
static struct out_doc *
sample(void)
{
	struct out_doc *d = out_doc_new("topology");
	struct out_obj *root = out_doc_root(d), *r;
	struct out_tab *t;

	out_str(root, "cluster", "prod");
	out_int(out_obj(root, "etcd"), "members", 3);
	t = out_table(root, "components", "Components", cols, 4);
	r = out_row(t);
	out_str(r, "role", "rootcoord");
	out_int(r, "id", 7);
	out_str(r, "host", "evil\033]0;pwned\007");
	out_int(r, "up", 1200);
	r = out_row(t);
	out_str(r, "role", "qn");
	out_int(r, "id", 12345);
	out_str(r, "host", "b");
	out_null(r, "up");
	out_bool(r, "extra", true);		/* JSON only */
	return d;
}

START_TEST(test_escape)
{
	char *e = out_escape("a\033]0;pwned\007\tb\nc\\d");

	ck_assert_str_eq(e, "a\\x1b]0;pwned\\x07\\tb\\nc\\\\d");
	free(e);
	e = out_escape("caf\xc3\xa9 \xff \xc2\x9b x\xe2\x80\xae");
	ck_assert_str_eq(e, "caf\xc3\xa9 \\xff \\u009b x\\u202e");
	free(e);
	e = out_escape(NULL);
	ck_assert_str_eq(e, "");
	free(e);
	/*
	 * Both ends of every escaped range (C1 controls, the bidi embeddings and
	 * isolates, LRM/RLM), and the neighbours just outside them, which pass:
	 * an off-by-one at either end must fail here.
	 */
	e = out_escape("\xc2\x80\xc2\x9f\xe2\x80\xaa\xe2\x81\xa6\xe2\x81\xa9\xe2\x80\x8e\xe2\x80\x8f");
	ck_assert_str_eq(e, "\\u0080\\u009f\\u202a\\u2066\\u2069\\u200e\\u200f");
	free(e);
	e = out_escape("\x7e\xc2\xa0\xe2\x80\xa9\xe2\x80\xaf\xe2\x81\xa5\xe2\x81\xaa\xe2\x80\x8d\xe2\x80\x90");
	ck_assert_str_eq(e, "\x7e\xc2\xa0\xe2\x80\xa9\xe2\x80\xaf\xe2\x81\xa5\xe2\x81\xaa\xe2\x80\x8d\xe2\x80\x90");
	free(e);
	/* Overlong and truncated sequences are bytes, not characters. */
	e = out_escape("\xc0\xaf\xe2\x82");
	ck_assert_str_eq(e, "\\xc0\\xaf\\xe2\\x82");
	free(e);
}
END_TEST

START_TEST(test_json)
{
	struct out_doc *d = sample();
	char *s = render(d, OUT_JSON, true);

	ck_assert_str_eq(s, "{\"version\":1,\"kind\":\"topology\",\"cluster\":\"prod\","
	    "\"etcd\":{\"members\":3},\"components\":[{\"role\":\"rootcoord\",\"id\":7,"
	    "\"host\":\"evil\\u001b]0;pwned\\u0007\",\"up\":1200},{\"role\":\"qn\","
	    "\"id\":12345,\"host\":\"b\",\"up\":null,\"extra\":true}]}\n");
	free(s);
	out_doc_free(d);
}
END_TEST

START_TEST(test_json_values)
{
	struct out_doc *d = out_doc_new("x\"y");
	struct out_obj *o = out_doc_root(d);
	const char *sv[] = { "a", "b\"c" };
	int64_t iv[] = { INT64_MIN, INT64_MAX };
	char *s;

	out_int(o, "big", INT64_MAX);
	out_int(o, "small", INT64_MIN);
	out_str(o, "bad", "\xff\xfe ok");
	out_str(o, "nul", NULL);
	out_strf(o, "f", "%d-%s", 4, "x");
	out_strv(o, "sv", sv, 2);
	out_intv(o, "iv", iv, 2);
	out_strv(o, "none", NULL, 0);
	out_obj(o, "empty");
	s = render(d, OUT_JSON, false);
	ck_assert_str_eq(s, "{\"version\":1,\"kind\":\"x\\\"y\",\"big\":9223372036854775807,"
	    "\"small\":-9223372036854775808,\"bad\":\"\\ufffd\\ufffd ok\",\"nul\":null,"
	    "\"f\":\"4-x\",\"sv\":[\"a\",\"b\\\"c\"],"
	    "\"iv\":[-9223372036854775808,9223372036854775807],\"none\":[],\"empty\":{}}\n");
	free(s);
	out_doc_free(d);
	d = out_doc_new("empty");
	s = render(d, OUT_JSON, false);
	ck_assert_str_eq(s, "{\"version\":1,\"kind\":\"empty\"}\n");
	free(s);
	out_doc_free(d);
}
END_TEST

START_TEST(test_table)
{
	struct out_doc *d = sample();
	char *s = render(d, OUT_TABLE, false);

	ck_assert_str_eq(s,
	    "cluster       prod\n"
	    "etcd.members  3\n"
	    "\n"
	    "Components\n"
	    "ROLE          ID  HOST                    UP\n"
	    "rootcoord      7  evil\\x1b]0;pwned\\x07  1.2s\n"
	    "qn         12345  b                        -\n");
	ck_assert_ptr_null(strchr(s, '\033'));
	free(s);
	out_doc_free(d);
}
END_TEST

static char *
render_width(const struct out_doc *d, size_t width, bool utf8)
{
	return render_as(d, OUT_TABLE, false, width, utf8);
}

/* Narrower than the table: the widest text column is cut first, with "…" or
 * "..."; numbers and durations are never cut; wide enough changes nothing. */
START_TEST(test_table_fit)
{
	struct out_doc *d = sample();
	char *s;

	s = render_width(d, 40, true);
	ck_assert_str_eq(s,
	    "cluster       prod\n"
	    "etcd.members  3\n"
	    "\n"
	    "Components\n"
	    "ROLE          ID  HOST                UP\n"
	    "rootcoord      7  evil\\x1b]0;pwne\xe2\x80\xa6  1.2s\n"
	    "qn         12345  b                    -\n");
	free(s);
	s = render_width(d, 40, false);
	ck_assert_ptr_nonnull(strstr(s, "rootcoord      7  evil\\x1b]0;pw...  1.2s\n"));
	ck_assert_ptr_null(strstr(s, "\xe2\x80\xa6"));
	free(s);
	/* 44 columns is its natural width: as without a limit. */
	s = render_width(d, 44, true);
	ck_assert_ptr_nonnull(strstr(s, "rootcoord      7  evil\\x1b]0;pwned\\x07  1.2s\n"));
	free(s);
	out_doc_free(d);
}
END_TEST

/* Too narrow even for stubs: whole columns go, from the right, and are named;
 * the first column stays, and no line is wider than asked. */
START_TEST(test_table_fit_hide)
{
	struct out_doc *d = sample();
	char *s = render_width(d, 20, true);

	ck_assert_ptr_nonnull(strstr(s,
	    "ROLE       ID  HOST\n"
	    "rootc\xe2\x80\xa6      7  evil\xe2\x80\xa6\n"
	    "qn      12345  b\n"
	    "(not shown at 20 co\xe2\x80\xa6\n"));
	free(s);
	out_doc_free(d);
}
END_TEST

/* What a column says about itself wins over width: a kept column is never
 * cut, free text gives way before the rest; a long single value is cut too. */
START_TEST(test_table_fit_classes)
{
	static const struct out_col fcols[] = {
		{ "role", "ROLE", OCOL_STR, OFIT_KEEP },
		{ "note", "NOTE", OCOL_STR },
		{ "host", "HOST", OCOL_STR, OFIT_FIRST },
	};
	struct out_doc *d = out_doc_new("x");
	struct out_obj *root = out_doc_root(d), *r;
	char *s;

	out_str(root, "dirs", "/a/very/long/list/of/directories/that/goes/on");
	r = out_row(out_table(root, "t", NULL, fcols, 3));
	out_str(r, "role", "streamingnode");
	out_str(r, "note", "a note of some length");
	out_str(r, "host", "host-name-long");
	/* 13 + 21 + 14 + 4 = 52: 12 to give, 9 by HOST (down to 5), then 3 by
	 * NOTE; ROLE, as wide as NOTE is then, keeps every letter. */
	s = render_width(d, 40, true);
	ck_assert_str_eq(s,
	    "dirs  /a/very/long/list/of/directories/\xe2\x80\xa6\n"
	    "\n"
	    "ROLE           NOTE                HOST\n"
	    "streamingnode  a note of some le\xe2\x80\xa6  host\xe2\x80\xa6\n");
	free(s);
	out_doc_free(d);
}
END_TEST

START_TEST(test_fit_text)
{
	char *s;

	s = out_fit_text("abcdef", 6, true);
	ck_assert_str_eq(s, "abcdef");
	free(s);
	s = out_fit_text("abcdef", 5, true);
	ck_assert_str_eq(s, "abcd\xe2\x80\xa6");
	free(s);
	s = out_fit_text("abcdef", 5, false);
	ck_assert_str_eq(s, "ab...");
	free(s);
	/* A character of several bytes is cut whole. */
	s = out_fit_text("caf\xc3\xa9s et th\xc3\xa9", 5, true);
	ck_assert_str_eq(s, "caf\xc3\xa9\xe2\x80\xa6");
	free(s);
}
END_TEST

START_TEST(test_table_color)
{
	struct out_doc *d = out_doc_new("t");
	static const struct out_col c[] = { { "s", "STATE", OCOL_STR } };
	struct out_tab *t = out_table(out_doc_root(d), "rows", NULL, c, 1);
	char *s;

	out_str(out_row(t), "s", "fail");
	out_str(out_row(t), "s", "\033[31mfake");
	s = render(d, OUT_TABLE, true);
	/* Our own styling is there; the cluster's escape sequence is not. */
	ck_assert_ptr_nonnull(strstr(s, "\033[31mfail\033[0m"));
	ck_assert_ptr_nonnull(strstr(s, "\\x1b[31mfake"));
	free(s);
	s = render(d, OUT_TABLE, false);
	ck_assert_str_eq(s, "STATE\nfail\n\\x1b[31mfake\n");
	free(s);
	out_doc_free(d);
}
END_TEST

START_TEST(test_table_units)
{
	struct out_doc *d = out_doc_new("u");
	static const struct out_col c[] = {
		{ "b", "SIZE", OCOL_BYTES },
		{ "t", "AT", OCOL_TIME_MS },
		{ "ok", "OK", OCOL_BOOL },
		{ "l", "LIST", OCOL_STR },
	};
	struct out_tab *t = out_table(out_doc_root(d), "rows", "Units", c, 4);
	struct out_obj *r = out_row(t);
	const char *l[] = { "a", "b" };
	char *s;

	out_int(r, "b", 12897484);
	out_int(r, "t", 0);
	out_bool(r, "ok", false);
	out_strv(r, "l", l, 2);
	s = render(d, OUT_TABLE, false);
	ck_assert_str_eq(s, "Units\n"
	    "    SIZE  AT                        OK  LIST\n"
	    "12.3 MiB  1970-01-01T00:00:00.000Z  no  a,b\n");
	free(s);
	s = render(d, OUT_TSV, false);
	ck_assert_str_eq(s, "12897484\t1970-01-01T00:00:00.000Z\tno\ta,b\n");
	free(s);
	out_doc_free(d);
}
END_TEST

START_TEST(test_table_empty)
{
	struct out_doc *d = out_doc_new("e");
	static const struct out_col c[] = { { "a", "A", OCOL_STR } };
	char *s;

	out_table(out_doc_root(d), "rows", "Nothing", c, 1);
	s = render(d, OUT_TABLE, false);
	ck_assert_str_eq(s, "Nothing\nA\n(none)\n");
	free(s);
	s = render(d, OUT_TSV, false);
	ck_assert_str_eq(s, "");
	free(s);
	out_doc_free(d);
}
END_TEST

START_TEST(test_tsv)
{
	struct out_doc *d = sample();
	char *s = render(d, OUT_TSV, false);

	ck_assert_str_eq(s,
	    "cluster\tprod\n"
	    "etcd.members\t3\n"
	    "rootcoord\t7\tevil\\x1b]0;pwned\\x07\t1200\n"
	    "qn\t12345\tb\t-\n");
	free(s);
	out_doc_free(d);
}
END_TEST

START_TEST(test_tsv_several_tables)
{
	struct out_doc *d = out_doc_new("etcd");
	static const struct out_col c[] = { { "name", "NAME", OCOL_STR } };
	struct out_obj *root = out_doc_root(d);
	struct out_tab *a = out_table(root, "members", "Members", c, 1);
	struct out_tab *b = out_table(out_obj(root, "x"), "alarms", "Alarms", c, 1);
	char *s;

	out_str(out_row(a), "name", "etcd-0");
	out_str(out_row(a), "name", "tab\there");
	out_str(out_row(b), "name", "NOSPACE");
	s = render(d, OUT_TSV, false);
	ck_assert_str_eq(s, "members\tetcd-0\nmembers\ttab\\there\nx.alarms\tNOSPACE\n");
	free(s);
	out_doc_free(d);
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("output");
	TCase *tc = tcase_create("output");

	tcase_add_test(tc, test_escape);
	tcase_add_test(tc, test_json);
	tcase_add_test(tc, test_json_values);
	tcase_add_test(tc, test_table);
	tcase_add_test(tc, test_table_fit);
	tcase_add_test(tc, test_table_fit_hide);
	tcase_add_test(tc, test_table_fit_classes);
	tcase_add_test(tc, test_fit_text);
	tcase_add_test(tc, test_table_color);
	tcase_add_test(tc, test_table_units);
	tcase_add_test(tc, test_table_empty);
	tcase_add_test(tc, test_tsv);
	tcase_add_test(tc, test_tsv_several_tables);
	suite_add_tcase(s, tc);
	return s;
}
