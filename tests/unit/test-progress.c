/* SPDX-License-Identifier: MIT */
/* Unit tests for the progress display: monotonic percent, 100 % only on
 * success, plain lines, JSON lines, escaping, stalls, rate/ETA and bars. */
#include <check.h>
#include <cjson/cJSON.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/progress.h"

#define MIB ((int64_t)1024 * 1024)

/* Output captured in memory. */
struct cap {
	char *s;
	size_t n;
	FILE *f;
};

static FILE *
cap_open(struct cap *c)
{
	c->s = NULL;
	c->n = 0;
	c->f = open_memstream(&c->s, &c->n);
	ck_assert_ptr_nonnull(c->f);
	return c->f;
}

static const char *
cap_text(struct cap *c)
{
	fflush(c->f);
	return c->s != NULL ? c->s : "";
}

static void
cap_close(struct cap *c)
{
	fclose(c->f);
	free(c->s);
}

static size_t
count_char(const char *s, char ch)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		n += *s == ch;
	return n;
}

static size_t
count_str(const char *s, const char *needle)
{
	size_t n = 0;

	while ((s = strstr(s, needle)) != NULL) {
		n++;
		s += strlen(needle);
	}
	return n;
}

/* The IDX-th line of TEXT parsed as JSON (NULL when missing or invalid). */
static cJSON *
json_line(const char *text, size_t idx)
{
	const char *end;
	char *line;
	cJSON *j;

	while (idx-- > 0) {
		if ((text = strchr(text, '\n')) == NULL)
			return NULL;
		text++;
	}
	if ((end = strchr(text, '\n')) == NULL)
		return NULL;
	line = strndup(text, (size_t)(end - text));
	j = cJSON_Parse(line);
	free(line);
	return j;
}

/* A number member, -1 when null: unknown is null, so a number is >= 0. */
static int64_t
jnum(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	ck_assert_msg(v != NULL, "no member '%s'", key);
	if (cJSON_IsNull(v))
		return -1;
	ck_assert_msg(cJSON_IsNumber(v), "member '%s' is not a number", key);
	ck_assert_msg(v->valuedouble >= 0, "member '%s' is negative, not null", key);
	return (int64_t)v->valuedouble;
}

static const cJSON *
jitem(const cJSON *o, int i)
{
	const cJSON *items = cJSON_GetObjectItemCaseSensitive(o, "items");

	ck_assert(cJSON_IsArray(items));
	return cJSON_GetArrayItem(items, i);
}

/* JSON keeps what the display shows: a lower report is shown as the last one. */
START_TEST(test_monotonic)
{
	struct cap c;
	struct progress *p = progress_new(cap_open(&c), PROGRESS_JSON, "backup b", "B",
	    0, 0, NULL);
	struct progress_item it = { "default.a", 50, -1, -1 };
	cJSON *j;

	progress_update(p, 1000, PROGRESS_RUNNING, 50, &it, 1, NULL);
	it.percent = 20;
	progress_update(p, 2000, PROGRESS_RUNNING, 30, &it, 1, NULL);
	it.percent = 70;
	progress_update(p, 3000, PROGRESS_RUNNING, 60, &it, 1, NULL);
	it.percent = -1;
	progress_update(p, 4000, PROGRESS_RUNNING, -1, &it, 1, NULL);
	j = json_line(cap_text(&c), 1);
	ck_assert_int_eq(jnum(j, "percent"), 50);
	ck_assert_int_eq(jnum(jitem(j, 0), "percent"), 50);
	cJSON_Delete(j);
	j = json_line(cap_text(&c), 2);
	ck_assert_int_eq(jnum(j, "percent"), 60);
	ck_assert_int_eq(jnum(jitem(j, 0), "percent"), 70);
	cJSON_Delete(j);
	/* Unknown after known: still the last shown, not null. */
	j = json_line(cap_text(&c), 3);
	ck_assert_int_eq(jnum(j, "percent"), 60);
	ck_assert_int_eq(jnum(jitem(j, 0), "percent"), 70);
	cJSON_Delete(j);
	progress_free(p);
	cap_close(&c);
}
END_TEST

START_TEST(test_hundred_only_on_success)
{
	struct cap c, t;
	struct progress *p = progress_new(cap_open(&c), PROGRESS_JSON, "backup b", "B",
	    0, 0, NULL);
	struct progress *q = progress_new(cap_open(&t), PROGRESS_TTY, "backup b", "B",
	    0, 0, NULL);
	struct progress_item it[2] = { { "a", 100, -1, -1 }, { "b", -1, 10, 10 } };
	cJSON *j;

	/* milvus-backup reaches 100 before it says success; done == total too. */
	progress_update(p, 1000, PROGRESS_RUNNING, 100, it, 2, NULL);
	progress_update(p, 2000, PROGRESS_RUNNING, -1, it, 2, NULL);
	progress_update(p, 3000, PROGRESS_SUCCESS, 100, it, 2, NULL);
	j = json_line(cap_text(&c), 0);
	ck_assert_int_eq(jnum(j, "percent"), 99);
	ck_assert_int_eq(jnum(jitem(j, 0), "percent"), 99);
	ck_assert_int_eq(jnum(jitem(j, 1), "percent"), 99);
	cJSON_Delete(j);
	j = json_line(cap_text(&c), 1);
	ck_assert_int_eq(jnum(j, "percent"), 99);
	cJSON_Delete(j);
	j = json_line(cap_text(&c), 2);
	ck_assert_int_eq(jnum(j, "percent"), 100);
	ck_assert_int_eq(jnum(jitem(j, 0), "percent"), 100);
	cJSON_Delete(j);

	progress_update(q, 1000, PROGRESS_RUNNING, 100, it, 2, NULL);
	progress_update(q, 2000, PROGRESS_FAILED, 100, it, 2, "no");
	ck_assert_ptr_null(strstr(cap_text(&t), "100%"));
	ck_assert_ptr_nonnull(strstr(cap_text(&t), " 99%"));
	progress_free(q);
	q = progress_new(t.f, PROGRESS_TTY, "backup b", "B", 0, 0, NULL);
	progress_update(q, 3000, PROGRESS_RUNNING, 100, it, 2, NULL);
	progress_end(q, 4000, PROGRESS_SUCCESS, NULL);
	ck_assert_ptr_nonnull(strstr(cap_text(&t), "success 100%"));
	progress_free(q);
	progress_free(p);
	cap_close(&c);
	cap_close(&t);
}
END_TEST

/* A pipe gets no bar, no \r, no escape sequence; a line per 10 % step. */
START_TEST(test_plain_steps)
{
	struct cap c;
	struct progress *p = progress_new(cap_open(&c), PROGRESS_PLAIN, "backup nightly-1",
	    "B", 0, 0, NULL);
	const char *s;
	int i;

	progress_update(p, 0, PROGRESS_PENDING, 0, NULL, 0, NULL);
	for (i = 1; i <= 100; i++)
		progress_update(p, i * 1000, PROGRESS_RUNNING, i, NULL, 0, NULL);
	progress_update(p, 101000, PROGRESS_SUCCESS, 100, NULL, 0, NULL);
	progress_end(p, 102000, PROGRESS_SUCCESS, NULL);
	s = cap_text(&c);
	/* pending, running (1 %), 10 % … 90 %, success: 100 % from a running
	 * task is shown as 99 %, no new step. */
	ck_assert_uint_eq(count_char(s, '\n'), 12);
	ck_assert_ptr_null(strchr(s, '\r'));
	ck_assert_ptr_null(strchr(s, '\033'));
	ck_assert_ptr_null(strchr(s, '#'));
	ck_assert_ptr_null(strchr(s, '['));
	ck_assert_ptr_nonnull(strstr(s, "backup nightly-1: pending 0% "));
	ck_assert_ptr_nonnull(strstr(s, "\nbackup nightly-1: running 1% "));
	ck_assert_ptr_nonnull(strstr(s, "\nbackup nightly-1: running 50% "));
	ck_assert_ptr_nonnull(strstr(s, "\nbackup nightly-1: success 100% "));
	ck_assert_ptr_null(strstr(s, "running 51%"));
	progress_free(p);
	cap_close(&c);
}
END_TEST

START_TEST(test_plain_states)
{
	struct cap c;
	struct progress *p = progress_new(cap_open(&c), PROGRESS_PLAIN, "backup nightly-1",
	    "B", 0, 0, NULL);
	struct progress_item it[2] = {
		{ "default.archive", 55, -1, -1 }, { "default.books", 20, -1, -1 },
	};
	const char *s;

	progress_update(p, 0, PROGRESS_PENDING, -1, NULL, 0, NULL);
	progress_update(p, 12000, PROGRESS_RUNNING, 40, it, 2, NULL);
	it[1].percent = 21;
	progress_update(p, 13000, PROGRESS_RUNNING, 41, it, 2, NULL);
	progress_update(p, 14000, PROGRESS_FAILED, 0, it, 2, "disk full");
	progress_update(p, 15000, PROGRESS_RUNNING, 50, it, 2, NULL);
	progress_end(p, 16000, PROGRESS_FAILED, "disk full");
	s = cap_text(&c);
	ck_assert_uint_eq(count_char(s, '\n'), 3);
	ck_assert_ptr_nonnull(strstr(s, "backup nightly-1: pending 0ms\n"));
	ck_assert_ptr_nonnull(strstr(s,
	    "backup nightly-1: running 40% (default.archive 55%, default.books 20%) 12.0s"));
	ck_assert_ptr_nonnull(strstr(s, "backup nightly-1: failed 41% "));
	ck_assert_ptr_nonnull(strstr(s, ": disk full\n"));
	progress_free(p);
	cap_close(&c);

	p = progress_new(cap_open(&c), PROGRESS_PLAIN, "restore r", "rows", 0, 0, NULL);
	progress_update(p, 0, PROGRESS_RUNNING, 10, NULL, 0, NULL);
	progress_update(p, 1000, PROGRESS_LOST, -1, NULL, 0, NULL);
	progress_end(p, 2000, PROGRESS_LOST, NULL);
	s = cap_text(&c);
	ck_assert_uint_eq(count_char(s, '\n'), 2);
	ck_assert_ptr_nonnull(strstr(s, "restore r: task lost 10% "));
	progress_free(p);
	cap_close(&c);
}
END_TEST

/* Every line one JSON object with the stable keys and their types. */
START_TEST(test_json_lines)
{
	static const char *const keys[] = { "task", "state", "percent", "elapsed_ms",
	    "eta_ms", "rate", "items", "message", "stalled" };
	struct cap c;
	struct progress *p = progress_new(cap_open(&c), PROGRESS_JSON, "restore r1", "rows",
	    0, 0, NULL);
	struct progress_item it[2] = { { "db.c1", -1, 100, 1000 }, { "db.c2", 5, -1, -1 } };
	const cJSON *v, *item;
	cJSON *j;
	size_t i, k;

	progress_update(p, 0, PROGRESS_PENDING, -1, NULL, 0, NULL);
	progress_update(p, 1000, PROGRESS_RUNNING, -1, it, 2, NULL);
	it[0].done = 300;
	progress_update(p, 2000, PROGRESS_RUNNING, -1, it, 2, NULL);
	progress_update(p, 3000, PROGRESS_FAILED, -1, it, 2, "import failed");
	progress_end(p, 4000, PROGRESS_FAILED, NULL);
	ck_assert_uint_eq(count_char(cap_text(&c), '\n'), 4);
	for (i = 0; i < 4; i++) {
		j = json_line(cap_text(&c), i);
		ck_assert_msg(j != NULL, "line %zu is not JSON", i);
		for (k = 0; k < sizeof keys / sizeof keys[0]; k++)
			ck_assert_msg(cJSON_HasObjectItem(j, keys[k]), "line %zu: no '%s'",
			    i, keys[k]);
		ck_assert(cJSON_IsString(cJSON_GetObjectItem(j, "task")));
		ck_assert(cJSON_IsString(cJSON_GetObjectItem(j, "state")));
		ck_assert(cJSON_IsNumber(cJSON_GetObjectItem(j, "elapsed_ms")));
		ck_assert(cJSON_IsBool(cJSON_GetObjectItem(j, "stalled")));
		jnum(j, "percent");
		jnum(j, "eta_ms");
		jnum(j, "rate");
		v = cJSON_GetObjectItem(j, "message");
		ck_assert(cJSON_IsNull(v) || cJSON_IsString(v));
		v = cJSON_GetObjectItem(j, "items");
		ck_assert(cJSON_IsArray(v));
		cJSON_ArrayForEach(item, v) {
			ck_assert(cJSON_IsString(cJSON_GetObjectItem(item, "name")));
			jnum(item, "percent");
			jnum(item, "done");
			jnum(item, "total");
		}
		ck_assert_int_eq(jnum(j, "elapsed_ms"), (int64_t)i * 1000);
		cJSON_Delete(j);
	}
	j = json_line(cap_text(&c), 0);
	ck_assert_str_eq(cJSON_GetObjectItem(j, "state")->valuestring, "pending");
	ck_assert_str_eq(cJSON_GetObjectItem(j, "task")->valuestring, "restore r1");
	ck_assert(cJSON_IsNull(cJSON_GetObjectItem(j, "percent")));
	ck_assert(cJSON_IsNull(cJSON_GetObjectItem(j, "eta_ms")));
	ck_assert(cJSON_IsNull(cJSON_GetObjectItem(j, "rate")));
	ck_assert(cJSON_IsNull(cJSON_GetObjectItem(j, "message")));
	ck_assert(cJSON_IsFalse(cJSON_GetObjectItem(j, "stalled")));
	ck_assert_int_eq(cJSON_GetArraySize(cJSON_GetObjectItem(j, "items")), 0);
	cJSON_Delete(j);
	j = json_line(cap_text(&c), 2);
	ck_assert_str_eq(cJSON_GetObjectItem(jitem(j, 0), "name")->valuestring, "db.c1");
	ck_assert_int_eq(jnum(jitem(j, 0), "done"), 300);
	ck_assert_int_eq(jnum(jitem(j, 0), "total"), 1000);
	ck_assert_int_eq(jnum(jitem(j, 0), "percent"), 30);
	ck_assert(cJSON_IsNull(cJSON_GetObjectItem(jitem(j, 1), "done")));
	ck_assert(cJSON_IsNull(cJSON_GetObjectItem(jitem(j, 1), "total")));
	ck_assert_int_eq(jnum(j, "rate"), 200);
	cJSON_Delete(j);
	j = json_line(cap_text(&c), 3);
	ck_assert_str_eq(cJSON_GetObjectItem(j, "state")->valuestring, "failed");
	ck_assert_str_eq(cJSON_GetObjectItem(j, "message")->valuestring, "import failed");
	cJSON_Delete(j);
	progress_free(p);
	cap_close(&c);
}
END_TEST

/* Names and messages from the server reach a terminal escaped, and JSON
 * as escapes that decode back to the same text. */
START_TEST(test_escape)
{
	static const char name[] = "evil\033]0;pwned\007\xc2\x9b";
	static const char msg[] = "boom\033[2J\r\nnext";
	struct progress_item it = { name, 10, -1, -1 };
	enum progress_mode modes[] = { PROGRESS_PLAIN, PROGRESS_TTY };
	struct progress *p;
	struct cap c;
	const char *s, *q;
	cJSON *j;
	size_t m;

	setenv("COLUMNS", "200", 1);
	for (m = 0; m < 2; m++) {
		p = progress_new(cap_open(&c), modes[m], "backup b", "B", 0, 0, NULL);
		progress_update(p, 0, PROGRESS_RUNNING, 10, &it, 1, NULL);
		progress_update(p, 1000, PROGRESS_FAILED, 10, &it, 1, msg);
		s = cap_text(&c);
		ck_assert_msg(strstr(s, "evil\\x1b]0;pwned\\x07\\u009b") != NULL, "%s", s);
		ck_assert_ptr_nonnull(strstr(s, "boom\\x1b[2J\\r\\nnext"));
		ck_assert_ptr_null(strstr(s, "\033]"));
		ck_assert_ptr_null(strstr(s, "\033[2J"));
		ck_assert_ptr_null(strchr(s, '\007'));
		ck_assert_ptr_null(strstr(s, "\xc2\x9b"));
		if (modes[m] == PROGRESS_PLAIN) {
			ck_assert_uint_eq(count_char(s, '\n'), 2);
			ck_assert_ptr_null(strchr(s, '\033'));
		}
		progress_free(p);
		cap_close(&c);
	}
	unsetenv("COLUMNS");

	p = progress_new(cap_open(&c), PROGRESS_JSON, "backup b", "B", 0, 0, NULL);
	progress_update(p, 1000, PROGRESS_FAILED, 10, &it, 1, msg);
	s = cap_text(&c);
	ck_assert_uint_eq(count_char(s, '\n'), 1);
	for (q = s; *q != '\n'; q++)
		ck_assert_msg((unsigned char)*q >= 0x20 && *q != 0x7f, "raw control byte");
	ck_assert_ptr_null(strstr(s, "\xc2\x9b"));
	j = json_line(s, 0);
	ck_assert_str_eq(cJSON_GetObjectItem(jitem(j, 0), "name")->valuestring, name);
	ck_assert_str_eq(cJSON_GetObjectItem(j, "message")->valuestring, msg);
	cJSON_Delete(j);
	progress_free(p);
	cap_close(&c);
}
END_TEST

/* No movement for stall_ms: said once with the hint, not a moment before;
 * movement clears it and is said. */
START_TEST(test_stall)
{
	struct progress_item it = { "db.c", 30, 300, 1000 };
	struct progress *p;
	struct cap c;
	const char *s;
	cJSON *j;

	p = progress_new(cap_open(&c), PROGRESS_PLAIN, "backup b", "rows", 0, 5000,
	    "the server waits for storage");
	progress_update(p, 0, PROGRESS_RUNNING, 30, &it, 1, NULL);
	progress_update(p, 1000, PROGRESS_RUNNING, 30, &it, 1, NULL);
	progress_update(p, 4999, PROGRESS_RUNNING, 30, &it, 1, NULL);
	ck_assert(!progress_stalled(p));
	ck_assert_ptr_null(strstr(cap_text(&c), "stalled"));
	progress_update(p, 5000, PROGRESS_RUNNING, 30, &it, 1, NULL);
	ck_assert(progress_stalled(p));
	s = cap_text(&c);
	ck_assert_uint_eq(count_str(s, "stalled"), 1);
	ck_assert_ptr_nonnull(strstr(s,
	    "backup b: stalled: no progress for 5.0s (likely: the server waits for storage)\n"));
	progress_update(p, 6000, PROGRESS_RUNNING, 30, &it, 1, NULL);
	progress_update(p, 60000, PROGRESS_RUNNING, 30, &it, 1, NULL);
	ck_assert(progress_stalled(p));
	ck_assert_uint_eq(count_str(cap_text(&c), "stalled"), 1);
	/* An item's done moving is movement even when no percent changes. */
	it.done = 301;
	progress_update(p, 61000, PROGRESS_RUNNING, 30, &it, 1, NULL);
	ck_assert(!progress_stalled(p));
	ck_assert_ptr_nonnull(strstr(cap_text(&c), "backup b: moving again after 1m01s"));
	progress_update(p, 65999, PROGRESS_RUNNING, 30, &it, 1, NULL);
	ck_assert(!progress_stalled(p));
	progress_update(p, 66000, PROGRESS_RUNNING, 30, &it, 1, NULL);
	ck_assert(progress_stalled(p));
	ck_assert_uint_eq(count_str(cap_text(&c), "stalled"), 2);
	progress_free(p);
	cap_close(&c);

	p = progress_new(cap_open(&c), PROGRESS_JSON, "backup b", "rows", 0, 5000, "hint");
	progress_update(p, 0, PROGRESS_PENDING, -1, NULL, 0, NULL);
	progress_update(p, 4000, PROGRESS_PENDING, -1, NULL, 0, NULL);
	progress_update(p, 9000, PROGRESS_PENDING, -1, NULL, 0, NULL);
	progress_update(p, 9500, PROGRESS_RUNNING, 1, NULL, 0, NULL);
	j = json_line(cap_text(&c), 1);
	ck_assert(cJSON_IsFalse(cJSON_GetObjectItem(j, "stalled")));
	cJSON_Delete(j);
	j = json_line(cap_text(&c), 2);
	ck_assert(cJSON_IsTrue(cJSON_GetObjectItem(j, "stalled")));
	ck_assert_str_eq(cJSON_GetObjectItem(j, "stall_hint")->valuestring, "hint");
	cJSON_Delete(j);
	j = json_line(cap_text(&c), 3);
	ck_assert(cJSON_IsFalse(cJSON_GetObjectItem(j, "stalled")));
	cJSON_Delete(j);
	progress_free(p);
	cap_close(&c);

	/* A terminal says it once too, as a line that stays. */
	setenv("COLUMNS", "100", 1);
	p = progress_new(cap_open(&c), PROGRESS_TTY, "backup b", "rows", 0, 5000, "hint");
	progress_update(p, 0, PROGRESS_RUNNING, 5, NULL, 0, NULL);
	progress_update(p, 5000, PROGRESS_RUNNING, 5, NULL, 0, NULL);
	progress_update(p, 7000, PROGRESS_RUNNING, 5, NULL, 0, NULL);
	ck_assert_uint_eq(count_str(cap_text(&c), "stalled: no progress for 5.0s (likely: hint)"), 1);
	progress_free(p);
	cap_close(&c);
	unsetenv("COLUMNS");
}
END_TEST

/* A synthetic timeline: 10 MiB/s, then slower within the 10 s window. */
START_TEST(test_eta_rate)
{
	struct progress_item it[2] = { { "a", -1, 0, 600 * MIB }, { "b", -1, 0, 400 * MIB } };
	struct progress *p;
	struct cap c;
	const char *s;
	cJSON *j;

	p = progress_new(cap_open(&c), PROGRESS_JSON, "backup b", "B", 0, 0, NULL);
	progress_update(p, 0, PROGRESS_RUNNING, -1, it, 2, NULL);
	it[0].done = 6 * MIB, it[1].done = 4 * MIB;
	progress_update(p, 1000, PROGRESS_RUNNING, -1, it, 2, NULL);
	it[0].done = 12 * MIB, it[1].done = 8 * MIB;
	progress_update(p, 2000, PROGRESS_RUNNING, -1, it, 2, NULL);
	it[0].done = 24 * MIB, it[1].done = 16 * MIB;
	progress_update(p, 12000, PROGRESS_RUNNING, -1, it, 2, NULL);
	j = json_line(cap_text(&c), 0);
	ck_assert_int_eq(jnum(j, "rate"), -1);
	ck_assert_int_eq(jnum(j, "eta_ms"), -1);
	cJSON_Delete(j);
	j = json_line(cap_text(&c), 1);
	ck_assert_int_eq(jnum(j, "rate"), 10 * MIB);
	ck_assert_int_eq(jnum(j, "eta_ms"), 99000);
	ck_assert_int_eq(jnum(j, "percent"), 1);
	cJSON_Delete(j);
	j = json_line(cap_text(&c), 2);
	ck_assert_int_eq(jnum(j, "rate"), 10 * MIB);
	ck_assert_int_eq(jnum(j, "eta_ms"), 98000);
	cJSON_Delete(j);
	/* The window starts at t=2000: 20 MiB in 10 s, 960 MiB left. */
	j = json_line(cap_text(&c), 3);
	ck_assert_int_eq(jnum(j, "rate"), 2 * MIB);
	ck_assert_int_eq(jnum(j, "eta_ms"), 480000);
	ck_assert_int_eq(jnum(j, "percent"), 4);
	cJSON_Delete(j);
	progress_free(p);
	cap_close(&c);

	/* Only a percent (a backup task): ETA from its pace, no rate. */
	p = progress_new(cap_open(&c), PROGRESS_JSON, "backup b", "rows", 0, 0, NULL);
	progress_update(p, 0, PROGRESS_RUNNING, 10, NULL, 0, NULL);
	progress_update(p, 10000, PROGRESS_RUNNING, 20, NULL, 0, NULL);
	j = json_line(cap_text(&c), 1);
	ck_assert_int_eq(jnum(j, "rate"), -1);
	ck_assert_int_eq(jnum(j, "eta_ms"), 80000);
	cJSON_Delete(j);
	progress_free(p);
	cap_close(&c);

	/* The same numbers on a terminal, in MiB/s. */
	setenv("COLUMNS", "120", 1);
	it[0].done = 0, it[1].done = 0;
	p = progress_new(cap_open(&c), PROGRESS_TTY, "backup b", "B", 0, 0, NULL);
	progress_update(p, 0, PROGRESS_RUNNING, -1, it, 2, NULL);
	it[0].done = 6 * MIB, it[1].done = 4 * MIB;
	progress_update(p, 1000, PROGRESS_RUNNING, -1, it, 2, NULL);
	s = cap_text(&c);
	ck_assert_msg(strstr(s, "  1.0s  10.0 MiB/s  ETA 1m39s") != NULL, "%s", s);
	progress_free(p);
	cap_close(&c);
	unsetenv("COLUMNS");
}
END_TEST

/*
 * Each screen line of TTY output: escape sequences (ESC [ digits letter)
 * removed, split at \n and \r; returns the widest, in code points.
 */
static size_t
widest_line(const char *s)
{
	size_t w = 0, max = 0;

	while (*s != '\0') {
		if (*s == '\033' && s[1] == '[') {
			for (s += 2; *s >= '0' && *s <= '9'; s++)
				;
			if (*s != '\0')
				s++;
			continue;
		}
		if (*s == '\n' || *s == '\r')
			w = 0;
		else if (((unsigned char)*s & 0xc0) != 0x80 && ++w > max)
			max = w;
		s++;
	}
	return max;
}

START_TEST(test_tty)
{
	struct progress_item it[2] = { { "default.archive", 30, -1, -1 },
	    { "default.books", 60, -1, -1 } };
	struct progress *p;
	struct cap c;
	const char *s;
	char name[101];

	setenv("COLUMNS", "81", 1);
	p = progress_new(cap_open(&c), PROGRESS_TTY, "backup nightly-1", "B", 0, 0, NULL);
	progress_update(p, 0, PROGRESS_RUNNING, 45, it, 2, NULL);
	s = cap_text(&c);
	ck_assert_ptr_null(strchr(s, '\r'));
	ck_assert_ptr_nonnull(strstr(s, "backup nightly-1: running 45% 0ms"));
	/* 81 columns: the name's 15, bars of 20, room for rate, elapsed and ETA. */
	ck_assert_msg(strstr(s, "  default.archive [######--------------]  30%\033[K\n") != NULL,
	    "%s", s);
	ck_assert_ptr_nonnull(strstr(s, "  default.books   [############--------]  60%\033[K\n"));
	ck_assert_ptr_nonnull(strstr(s, "  total           [#########-----------]  45%  0ms\033[K\n"));
	it[0].percent = 50;
	progress_update(p, 1000, PROGRESS_RUNNING, 55, it, 2, NULL);
	s = cap_text(&c);
	/* Redrawn in place: up over the three lines of the block. */
	ck_assert_uint_eq(count_str(s, "\r\033[3A"), 1);
	ck_assert_uint_eq(count_str(s, "running"), 1);
	ck_assert_ptr_nonnull(strstr(s, "\r\033[3A  default.archive [##########----------]  50%"));
	ck_assert_ptr_nonnull(strstr(s, "[###########---------]  55%  1.0s  ETA 4.5s\033[K\n"));
	ck_assert_uint_le(widest_line(s), 80);
	progress_update(p, 2000, PROGRESS_SUCCESS, 100, it, 2, NULL);
	s = cap_text(&c);
	ck_assert_uint_eq(count_str(s, "\r\033[3A"), 2);
	ck_assert_ptr_nonnull(strstr(s, "[####################] 100%"));
	ck_assert_ptr_nonnull(strstr(s, "backup nightly-1: success 100% 2.0s"));
	progress_free(p);
	cap_close(&c);

	/* Narrow: every line cut to the width, none wrapped. */
	setenv("COLUMNS", "40", 1);
	p = progress_new(cap_open(&c), PROGRESS_TTY, "backup nightly-1", "B", 0, 0, NULL);
	progress_update(p, 0, PROGRESS_RUNNING, 45, it, 2, NULL);
	progress_update(p, 1000, PROGRESS_RUNNING, 55, it, 2, NULL);
	ck_assert_uint_le(widest_line(cap_text(&c)), 39);
	progress_free(p);
	cap_close(&c);

	/* No $COLUMNS and no terminal: 80; a long name is cut, not wrapped. */
	unsetenv("COLUMNS");
	memset(name, 'n', 100);
	name[100] = '\0';
	it[0].name = name;
	p = progress_new(cap_open(&c), PROGRESS_TTY, "backup nightly-1", "B", 0, 0, NULL);
	progress_update(p, 0, PROGRESS_RUNNING, 45, it, 2, NULL);
	s = cap_text(&c);
	ck_assert_uint_le(widest_line(s), 79);
	ck_assert_ptr_nonnull(strstr(s, "nnn\xe2\x80\xa6 ["));
	progress_free(p);
	cap_close(&c);
}
END_TEST

START_TEST(test_mode_for)
{
	struct cap c;

	ck_assert_int_eq(progress_mode_for(cap_open(&c), false), PROGRESS_PLAIN);
	ck_assert_int_eq(progress_mode_for(c.f, true), PROGRESS_JSON);
	cap_close(&c);
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("progress");
	TCase *tc = tcase_create("progress");

	tcase_add_test(tc, test_monotonic);
	tcase_add_test(tc, test_hundred_only_on_success);
	tcase_add_test(tc, test_plain_steps);
	tcase_add_test(tc, test_plain_states);
	tcase_add_test(tc, test_json_lines);
	tcase_add_test(tc, test_escape);
	tcase_add_test(tc, test_stall);
	tcase_add_test(tc, test_eta_rate);
	tcase_add_test(tc, test_tty);
	tcase_add_test(tc, test_mode_for);
	suite_add_tcase(s, tc);
	return s;
}
