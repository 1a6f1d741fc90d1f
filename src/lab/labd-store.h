/* SPDX-License-Identifier: MIT */
/* The lab's Milvus catalog as it lies in etcd: databases, collections, fields,
 * aliases, segments (row counts), load infos, replicas and querynode sessions,
 * read from one snapshot of <root>/meta/ and written back as etcd operations.
 *
 * The keys are Milvus's own (contract §7.1, rootcoord/querycoord/datacoord
 * catalogs); the values are the lab's JSON, not Milvus's protobuf: nothing
 * outside the lab decodes them, and JSON keeps them readable with etcdctl. */
#ifndef MILVUSADM_LAB_LABD_STORE_H
#define MILVUSADM_LAB_LABD_STORE_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

#include "milvusadm/buf.h"

struct etcd_kv;

#define LSTORE_DEFAULT_DB_ID	1		/* util.DefaultDBID */
#define LSTORE_ID_BASE		450000000000000000LL	/* IDs above 2^53, like Milvus's */
#define LSTORE_MAX_NAME		255
#define LSTORE_LOAD_MS		1500		/* how long a load stays Loading */
#define LSTORE_DEFAULT_RG	"__default_resource_group"

struct lstore_db {
	int64_t id;
	char *name;
	int64_t created;		/* wall clock ms */
	char *props;			/* raw JSON array of {"key","value"}, never NULL */
	/* The properties the proxies' rate limiters still act on until
	 * props_at + LSTORE_QUOTA_MS (QuotaCenter's refresh): NULL when none
	 * is pending (the lab's own fields in the value). */
	char *props_prev;
	int64_t props_at;		/* wall clock ms of the last create or alter */
	int64_t mod_rev;
};

/* quotaAndLimits.quotaCenterCollectInterval: a database property that the
 * rate limiters read (database.force.deny.*) takes effect this long after
 * it was set. */
#define LSTORE_QUOTA_MS		3000

/* ---- RBAC: rootcoord's credential keys (tenant ""), under
 * <root>/meta/root-coord/credential/ ----
 *   users/<user>                                 {"encrypted_password":"..."}
 *   roles/<role>                                 ""
 *   user-role-mapping/<user>/<role>              ""
 *   grantee-privileges/<role>/<type>/<db>.<obj>  the grant's ID
 *   grantee-id/<ID>/<privilege as stored>        the grantor
 *   privilege-groups/<group>                     {"group_name","privileges":[...]}
 * The privilege is stored as Milvus does: "Privilege<Name>" for a privilege,
 * "PrivilegeGroup<Name>" for a group, "*" for any. Milvus keeps the groups
 * as protobuf; the lab's value is JSON. */
#define LSTORE_ROOT_PASSWORD	"Milvus"	/* common.security.defaultRootPassword */

struct lstore_user {
	char *name;
	char *password;			/* the stored form (lstore_password_hash) */
	int64_t mod_rev;
};

struct lstore_user_role {
	char *user, *role;
};

struct lstore_grant {			/* one grantee-privileges key */
	char *role, *type, *db, *obj, *id;
};

struct lstore_grant_priv {		/* one grantee-id key */
	char *id, *priv, *grantor;
};

struct lstore_pgroup {
	char *name;
	char **privs;			/* API names, as given */
	size_t n_privs;
};

struct lstore_coll {
	int64_t id, db_id;
	char *name, *desc, *consistency;
	int shards;
	bool dynamic, auto_id;
	int64_t created;
	int64_t part_id;		/* the _default partition */
	char *props;			/* raw JSON array of {"key","value"} */
	char *indexes;			/* raw JSON array of {"indexName","fieldName","metricType"} */
	char **fields;			/* raw JSON objects as collections/describe shows them */
	int64_t *field_ids;
	size_t n_fields;
	int64_t mod_rev;
};

struct lstore_alias {
	char *name;
	int64_t db_id, coll_id;
	int64_t mod_rev;
};

enum { LSTORE_LOADING = 1, LSTORE_LOADED = 2 };	/* querypb.LoadStatus */

struct lstore_load {
	int64_t coll_id, db_id;
	int replicas;
	int status;
	int64_t since;			/* wall clock ms of the load request */
	int64_t mod_rev;
};

struct lstore_chan {
	char *name;
	int64_t leader;			/* 0 = no shard leader */
};

struct lstore_replica {
	int64_t id, coll_id, db_id;
	int64_t *rw, *ro;
	size_t n_rw, n_ro;
	struct lstore_chan *chans;
	size_t n_chans;
	int64_t mod_rev;
};

struct lstore_seg {
	int64_t id, coll_id, part_id, rows;
	bool growing;
	/* Raw JSON array of FieldBinlog-like records, one per field, each with its
	 * binlogs in insert order: [{"fieldID":"100","binlogs":[{"logID":"..",
	 * "entries_num":"250","log_size":"1234"}]}] (as 2.2 kept them inside the
	 * segment's value); NULL when the proxies keep no rows. */
	char *binlogs;
	int64_t mod_rev;
};

struct lstore_node {
	int64_t id;
	char *addr;			/* "127.0.0.5:21123" */
	bool stopping;
};

/* One consistent view. Owns everything; free with lstore_free. */
struct lstore {
	char *root;			/* "by-dev" */
	int64_t rev;			/* etcd revision of the snapshot */
	int64_t gid;			/* last allocated ID, 0 when the counter is absent */
	struct lstore_db *dbs;
	size_t n_dbs;
	struct lstore_coll *colls;
	size_t n_colls;
	struct lstore_alias *aliases;
	size_t n_aliases;
	struct lstore_load *loads;
	size_t n_loads;
	struct lstore_replica *replicas;
	size_t n_replicas;
	struct lstore_seg *segs;
	size_t n_segs;
	struct lstore_node *nodes;	/* live querynode sessions (2.6: embedded ones too) */
	size_t n_nodes;
	struct lstore_pending *pending;	/* field kvs until lstore_sort attaches them */
	size_t n_pending;
	/* RBAC, sorted as etcd lists the keys. Until rootcoord's built-ins are
	 * written (rbac_init), lstore_sort shows them as Milvus creates them at
	 * start: roles admin and public, user root, public's default grants;
	 * the first RBAC write stores them (lstore_rbac_init_ops). */
	bool rbac_init;
	struct lstore_user *users;
	size_t n_users;
	char **roles;
	size_t n_roles;
	struct lstore_user_role *user_roles;
	size_t n_user_roles;
	struct lstore_grant *grants;
	size_t n_grants;
	struct lstore_grant_priv *grant_privs;
	size_t n_grant_privs;
	struct lstore_pgroup *pgroups;
	size_t n_pgroups;
};

/* An empty store for root (with the implicit default database). */
struct lstore *lstore_new(const char *root);
void lstore_free(struct lstore *s);
/* Add one kv of <root>/meta/... or the ID counter; unknown keys are ignored,
 * malformed values skipped. */
void lstore_add_kv(struct lstore *s, const char *key, size_t key_len, const char *val,
    size_t val_len, int64_t mod_rev);
/* Order everything by ID (the order etcd keys do not give). */
void lstore_sort(struct lstore *s);

/* The key of the ID counter (<root>/kv/gid/idTimestamp) and the meta prefix. */
char *lstore_gid_key(const struct lstore *s);
char *lstore_meta_prefix(const struct lstore *s);

/* Lookups; NULL if absent. */
const struct lstore_db *lstore_db_by_name(const struct lstore *s, const char *name);
const struct lstore_db *lstore_db_by_id(const struct lstore *s, int64_t id);
struct lstore_coll *lstore_coll_by_name(const struct lstore *s, int64_t db_id, const char *name);
struct lstore_coll *lstore_coll_by_id(const struct lstore *s, int64_t id);
/* A collection by name or by alias of that database. */
struct lstore_coll *lstore_coll_resolve(const struct lstore *s, int64_t db_id, const char *name);
const struct lstore_alias *lstore_alias_find(const struct lstore *s, int64_t db_id,
    const char *name);
struct lstore_load *lstore_load_find(const struct lstore *s, int64_t coll_id);
const struct lstore_node *lstore_node_find(const struct lstore *s, int64_t id);
int64_t lstore_rows(const struct lstore *s, int64_t coll_id);
/* vchannel name of shard i: <root>-rootcoord-dml_<i % 16>_<collID>v<i>. */
char *lstore_vchannel(const struct lstore *s, int64_t coll_id, int shard);

/* ---- writing: a list of etcd operations, committed as one txn ---- */

enum lstore_op_kind {
	LSTORE_PUT,
	LSTORE_DEL,			/* key, or every key under it when prefix */
	LSTORE_CMP_ABSENT,		/* the key does not exist */
	LSTORE_CMP_MOD,			/* the key's mod_revision is n (0 = absent) */
	LSTORE_CMP_GID,			/* the ID counter still holds n (0 = absent) */
};

struct lstore_op {
	enum lstore_op_kind kind;
	char *key;
	char *val;
	bool prefix;
	int64_t n;
};

struct lstore_ops {
	struct lstore_op *v;
	size_t n, cap;
	int64_t gid_next;		/* the counter after allocations, 0 = untouched */
};

void lstore_ops_release(struct lstore_ops *o);
void lstore_op_put(struct lstore_ops *o, char *key, char *val);	/* takes both */
void lstore_op_del(struct lstore_ops *o, char *key, bool prefix);	/* takes key */
void lstore_op_cmp(struct lstore_ops *o, enum lstore_op_kind k, char *key, int64_t n);
/* Allocate a cluster-wide ID (guarded by a compare on the counter at commit). */
int64_t lstore_alloc_id(const struct lstore *s, struct lstore_ops *o);
/* Append the counter put and compare once allocations were made. */
void lstore_ops_finish(const struct lstore *s, struct lstore_ops *o);

/* Values, as the lab writes them (caller frees). */
char *lstore_db_key(const struct lstore *s, int64_t db_id);
char *lstore_db_json(const struct lstore_db *db);
char *lstore_coll_key(const struct lstore *s, int64_t db_id, int64_t coll_id);
char *lstore_coll_json(const struct lstore_coll *c);
char *lstore_field_key(const struct lstore *s, int64_t coll_id, int64_t field_id);
char *lstore_part_key(const struct lstore *s, int64_t coll_id, int64_t part_id);
char *lstore_alias_key(const struct lstore *s, int64_t db_id, const char *alias);
char *lstore_alias_json(const struct lstore_alias *a);
char *lstore_load_key(const struct lstore *s, int64_t coll_id);
char *lstore_load_json(const struct lstore_load *l);
char *lstore_replica_key(const struct lstore *s, int64_t coll_id, int64_t replica_id);
char *lstore_replica_json(const struct lstore_replica *r);
char *lstore_seg_key(const struct lstore *s, int64_t coll_id, int64_t part_id, int64_t seg_id);
char *lstore_seg_json(const struct lstore_seg *g);

/* Delete everything of one collection: catalog, aliases, load, replicas, segments. */
void lstore_drop_coll(const struct lstore *s, const struct lstore_coll *c,
    struct lstore_ops *o);

/* ---- RBAC (labd-store-rbac.c) ---- */

/* Parse one kv under <root>/meta/root-coord/credential/ (rest after it). */
void lstore_rbac_add_kv(struct lstore *s, const char *rest, size_t rest_len, const char *val,
    size_t val_len, int64_t mod_rev);
/* Sort the RBAC arrays and show the built-ins when not stored yet. */
void lstore_rbac_sort(struct lstore *s);
void lstore_rbac_free(struct lstore *s);

const struct lstore_user *lstore_user_find(const struct lstore *s, const char *name);
bool lstore_role_exists(const struct lstore *s, const char *name);
bool lstore_user_has_role(const struct lstore *s, const char *user, const char *role);
const struct lstore_pgroup *lstore_pgroup_find(const struct lstore *s, const char *name);
const struct lstore_grant *lstore_grant_find(const struct lstore *s, const char *role,
    const char *type, const char *db, const char *obj);
const struct lstore_grant_priv *lstore_grant_priv_find(const struct lstore *s, const char *id,
    const char *priv);

/* <root>/meta/root-coord/credential/<rest> (caller frees). */
char *lstore_cred_key(const struct lstore *s, const char *rest);
/* The lab's stored form of a password (not Milvus's bcrypt): a tagged
 * FNV-1a hash, so that the plain text is never written. Caller frees. */
char *lstore_password_hash(const char *password);
/* A grant's ID: a hash of its grantee-privileges key (Milvus: its MD5). */
char *lstore_grant_id(const char *role, const char *type, const char *db, const char *obj);

/* Write rootcoord's built-ins (guarded: once), as its start does. */
void lstore_rbac_init_ops(const struct lstore *s, struct lstore_ops *o);
/* Before committing an RBAC change made on a store whose built-ins were
 * only shown: put them first, merged with o (one txn may not name a key
 * twice). */
void lstore_rbac_finish(const struct lstore *s, struct lstore_ops *o);
/* Grant or revoke one privilege (stored form) on type/db.obj; false when
 * there is nothing to do (granted already, or no such grant). */
bool lstore_grant_op(const struct lstore *s, struct lstore_ops *o, bool grant, const char *role,
    const char *type, const char *db, const char *obj, const char *priv, const char *grantor);
/* Drop a role (its key and its users' mappings; grants stay, as without
 * force), a user (its key and mappings). */
void lstore_role_drop_ops(const struct lstore *s, struct lstore_ops *o, const char *role);
void lstore_user_drop_ops(const struct lstore *s, struct lstore_ops *o, const char *user);
/* Delete every grant on collection obj of database db (any role, type). */
size_t lstore_coll_grants_drop_ops(const struct lstore *s, struct lstore_ops *o, const char *db,
    const char *obj);
char *lstore_pgroup_json(const char *name, const char *const *privs, size_t n);

/* Append a JSON array of int64s as bare numbers, or as strings. */
void lstore_json_ids(struct buf *b, const int64_t *v, size_t n, bool strings);

#endif
