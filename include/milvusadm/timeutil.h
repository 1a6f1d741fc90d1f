/* SPDX-License-Identifier: MIT */
/* Clocks and duration parsing. */
#ifndef MILVUSADM_TIMEUTIL_H
#define MILVUSADM_TIMEUTIL_H

#include <stdint.h>
#include <stddef.h>

/* Monotonic milliseconds, for timeouts and phase measurements. */
int64_t time_mono_ms(void);
/* Wall-clock milliseconds since the epoch, for timestamps shown to people. */
int64_t time_wall_ms(void);
/* The longest duration time_parse_duration accepts: 100 years. */
#define TIME_DURATION_MAX_MS ((int64_t)100 * 365 * 86400000)

/* Parse "500ms", "10s", "1.5m", "1h", "2d" or a bare decimal number of seconds
 * into milliseconds. Returns 0 on success, -1 on a malformed or negative value,
 * anything but plain decimal digits ("nan", "0x10", "1e3") or a result over
 * TIME_DURATION_MAX_MS. */
int time_parse_duration(const char *s, int64_t *ms);
/* Format ms as a short human duration ("1.2s", "3m04s", "2h05m") into out. */
void time_format_duration(int64_t ms, char *out, size_t outlen);
/* RFC 3339 UTC with milliseconds ("2026-11-27T10:35:43.123Z"). */
void time_format_rfc3339(int64_t wall_ms, char *out, size_t outlen);

#endif
