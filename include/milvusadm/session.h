/* SPDX-License-Identifier: MIT */
/* A Milvus session record (<root>/meta/session/<name>) as a plain struct, and the
 * parser from its etcd key and JSON value (contract §1.2, §1.5). */
#ifndef MILVUSADM_SESSION_H
#define MILVUSADM_SESSION_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

struct session_label {
	char *name;
	char *value;
};

/* All strings are owned by the struct; session_clear frees them. */
struct session {
	char *key;			/* the name after "session/": "rootcoord", "querynode-12" */
	bool active_key;		/* bare coordinator key (<role>, no -<id>) */
	int64_t key_server_id;		/* the <id> of <role>-<id>, -1 for a bare key */
	int64_t server_id;		/* ServerID, 0 when absent */
	char *server_name;		/* ServerName (role) */
	char *address;			/* "ip:port" */
	bool exclusive;
	bool stopping;
	bool trigger_kill;
	char *version;			/* "2.5.27" */
	bool has_lease_id;
	int64_t lease_id;		/* exact, read from the digits */
	char *host_name;
	bool enable_disk;
	bool index_non_encoding;
	int32_t index_min, index_cur, index_max;	/* IndexEngineVersion, 0 = absent */
	bool has_scalar_index;		/* ScalarIndexEngineVersion present */
	int32_t scalar_min, scalar_cur, scalar_max;	/* its versions, 0 = absent */
	struct session_label *labels;	/* ServerLabels */
	size_t n_labels;
	bool truncated;			/* a string was cut to its bound, or labels past
					   SESSION_MAX_LABELS were left out */
};

/* Bounds on untrusted input. A session is never dropped for an absurd field:
 * a longer string is cut to its bound (on a UTF-8 character boundary) and ends
 * in SESSION_CUT_MARK, labels past the limit are left out, and truncated says
 * so. Only a value that is not a session at all (not JSON, over
 * SESSION_MAX_VALUE, a field of the wrong type) is malformed. The bytes are
 * kept as they came (control characters, invalid UTF-8): whoever prints them
 * escapes them (out_escape). */
#define SESSION_MAX_VALUE	(64 * 1024)
#define SESSION_MAX_STRING	4096	/* Address, label names and values */
#define SESSION_MAX_NAME	128	/* ServerName, Version: short words */
#define SESSION_MAX_HOSTNAME	253	/* a DNS name's limit (RFC 1035) */
#define SESSION_MAX_LABELS	64
#define SESSION_CUT_MARK	"\xe2\x80\xa6"	/* U+2026 HORIZONTAL ELLIPSIS */

/* Parse one key/value pair. key is the full etcd key or the part after the
 * session root; only its last path element is used. Returns 1 when parsed, 0 when
 * the value is not a JSON object (the "id" counter, 2.6's "version" key: skip
 * them), -1 when it looks like a session but is malformed (err says why). */
/* A key <role>-<id> whose id differs from ServerID is not an error: both are
 * recorded and the caller decides. out is always initialised; on -1 it holds
 * nothing that needs freeing. */
int session_parse(const char *key, const char *value, size_t value_len,
    struct session *out, char *err, size_t errlen);
void session_clear(struct session *s);
/* A copy of the first n bytes of s, cut to at most max bytes (max > 3): a
 * longer text keeps what fits on a UTF-8 character boundary and ends in
 * SESSION_CUT_MARK; *cut says whether it was cut. Pure. */
char *session_strndup_bounded(const char *s, size_t n, size_t max, bool *cut);
/* The name session_parse gives key: its last path element (trailing slashes
 * aside) and that element's length in *len (0 when there is none). Pure. */
const char *session_key_name(const char *key, size_t *len);
/* session_parse's err without its "session '<name>': " prefix (the caller
 * shows the key beside it): a pointer into err. */
const char *session_parse_reason(const char *key, const char *err);

/* A Milvus version as sessions and the session/version key write it: "2.6.18",
 * "3.0.4", "3.0.0-beta" (a leading 'v' and any suffix after the patch are
 * allowed). 0 with the numbers, -1 when it is not one. Pure. */
int session_semver_parse(const char *s, int *major, int *minor, int *patch);
/* The check a 2.6.8+ coordinator makes at start (§1.4, §10): 1 when the
 * cluster's session/version text holds a higher major.minor than binary (a
 * coordinator's session Version), 0 when not, -1 when either does not parse. */
int session_version_ahead(const char *cluster_version, const char *binary);

#endif
