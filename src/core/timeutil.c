/* SPDX-License-Identifier: MIT */
/* Clocks and durations. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <errno.h>
#include <math.h>

#include "milvusadm/timeutil.h"

int64_t
time_mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int64_t
time_wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int
time_parse_duration(const char *s, int64_t *ms)
{
	static const struct { const char *unit; int64_t mult; } units[] = {
		{ "ms", 1 }, { "s", 1000 }, { "m", 60000 }, { "h", 3600000 },
		{ "d", 86400000 }, { "", 1000 },
	};
	const char *p;
	char *end;
	double v, r;
	size_t i;

	if (s == NULL)
		return -1;
	/*
	 * Plain decimals only: strtod alone would also take "nan", "inf",
	 * hex ("0x10") and exponents, which are never meant as durations.
	 */
	p = s;
	while (*p >= '0' && *p <= '9')
		p++;
	if (*p == '.') {
		p++;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (p == s || (p == s + 1 && *s == '.'))
		return -1;
	errno = 0;
	v = strtod(s, &end);
	if (errno != 0 || end != p || !isfinite(v) || v < 0)
		return -1;
	for (i = 0; i < sizeof units / sizeof units[0]; i++) {
		if (strcmp(end, units[i].unit) != 0)
			continue;
		/* Bound the result, not the number, so the cast is defined. */
		r = v * (double)units[i].mult;
		if (!isfinite(r) || r > (double)TIME_DURATION_MAX_MS)
			return -1;
		*ms = (int64_t)(r + 0.5);
		return 0;
	}
	return -1;
}

void
time_format_duration(int64_t ms, char *out, size_t outlen)
{
	const char *sign = "";

	if (ms < 0) {
		sign = "-";
		ms = -ms;
	}
	if (ms < 1000)
		snprintf(out, outlen, "%s%lldms", sign, (long long)ms);
	else if (ms < 60000)
		snprintf(out, outlen, "%s%lld.%llds", sign, (long long)(ms / 1000),
		    (long long)(ms % 1000 / 100));
	else if (ms < 3600000)
		snprintf(out, outlen, "%s%lldm%02llds", sign, (long long)(ms / 60000),
		    (long long)(ms % 60000 / 1000));
	else if (ms < 86400000)
		snprintf(out, outlen, "%s%lldh%02lldm", sign, (long long)(ms / 3600000),
		    (long long)(ms % 3600000 / 60000));
	else
		snprintf(out, outlen, "%s%lldd%02lldh", sign, (long long)(ms / 86400000),
		    (long long)(ms % 86400000 / 3600000));
}

void
time_format_rfc3339(int64_t wall_ms, char *out, size_t outlen)
{
	time_t t = (time_t)(wall_ms / 1000);
	struct tm tm;

	gmtime_r(&t, &tm);
	snprintf(out, outlen, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ",
	    tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
	    tm.tm_sec, (int)(wall_ms % 1000));
}
