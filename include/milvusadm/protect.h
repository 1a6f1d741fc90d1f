/* SPDX-License-Identifier: MIT */
/* Collection protection (src/ops/guard/protect.c): the cluster-wide protect
 * list every operator of the tool shares, kept in etcd under the tool's own
 * prefix (guards.etcd_prefix, outside Milvus's root path), and the server-side
 * guard: an alias the tool creates on a protected collection, because Milvus
 * 2.5.5+ refuses to drop a collection that has aliases, whoever asks
 * (pymilvus, Attu, curl). Milvus has no drop protection of its own (contract
 * milvus.md §6). */
#ifndef MILVUSADM_PROTECT_H
#define MILVUSADM_PROTECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct etcd;
struct profile;

/* The guard alias's name starts with this: recognisable in any client. */
#define PROTECT_ALIAS_PREFIX	"milvusadm_guard_"

struct protect_entry {
	char db[256];
	char coll[256];
	char by[256];			/* "os_user@host" who protected it */
	int64_t at_ms;			/* when */
	char alias[300];		/* the guard alias the tool made, "" none */
};

/* The guard alias for coll: PROTECT_ALIAS_PREFIX + coll, or, when that would
 * pass Milvus's 255-character limit, the prefix + a hash of the name. */
void protect_alias_name(const char *coll, char *out, size_t len);
/* Is a version ("2.5.6", "v2.6.1-dev") one whose drop refuses a collection
 * with aliases (2.5.5+)? 1 yes, 0 no, -1 unknown (NULL or unparsable). */
int protect_alias_guard_works(const char *version);
/* Does the version have database.force.deny.collectionDDL (2.4.24+, 2.5.8+,
 * 2.6+)? 1, 0, -1 unknown. */
int protect_force_deny_works(const char *version);
/* Is the prefix outside the Milvus root path (not equal to it and not under
 * it)? An empty prefix is refused too (it would be the whole keyspace). */
bool protect_prefix_ok(const char *prefix, const char *root);
/* Names Milvus accepts for databases and collections (letters, digits, '_',
 * not starting with a digit, at most 255): etcd keys are built from them. */
bool protect_name_ok(const char *s);

/* "<prefix>protect/<db>/<coll>" (malloc'd). */
char *protect_key(const char *prefix, const char *db, const char *coll);
/* The JSON stored (malloc'd) and read back (0, or -1 when it is not ours:
 * the key decides db and coll, the value the rest). */
char *protect_entry_json(const struct protect_entry *e);
int protect_entry_parse(const char *prefix, const char *key, const char *value, size_t len,
    struct protect_entry *e);

/* ---- the shared list in etcd (synchronous, bounded by the client's timeout) ---- */

/* Every entry (malloc'd array); 0, or -1 with err. Values that do not parse
 * are skipped and counted in *skipped (may be NULL). */
int protect_store_list(struct etcd *e, const char *prefix, struct protect_entry **out,
    size_t *n, size_t *skipped, char *err, size_t errlen);
/* 1 found (filled), 0 not there, -1 etcd failed (err). */
int protect_store_get(struct etcd *e, const char *prefix, const char *db, const char *coll,
    struct protect_entry *out, char *err, size_t errlen);
int protect_store_put(struct etcd *e, const char *prefix, const struct protect_entry *en,
    char *err, size_t errlen);
int protect_store_delete(struct etcd *e, const char *prefix, const char *db,
    const char *coll, char *err, size_t errlen);

/* Is db.coll named by list ("db.coll", "coll" in the default database, or
 * "db.*" for a whole database)? */
bool protect_list_match(char *const *list, size_t n, const char *db, const char *coll);

/* Does a drop refusal's message say the collection has aliases? Matched by
 * message, not code: codes differ between versions (§6.0). */
bool protect_refusal_is_alias(const char *message);

#endif
