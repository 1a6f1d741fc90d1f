/* SPDX-License-Identifier: MIT */
/* REST v2 admin calls that the protect and drop commands need, on top of the
 * milvus_rest client (same conventions: see milvus_rest.h): aliases create
 * and drop, database properties and drop, and reading RBAC (users, roles,
 * grants, privilege groups). Calls that change state are never repeated on
 * another proxy after a timeout. Contract: ../shared/contracts/milvus.md
 * §5.3, §5.5, §6. */
#ifndef MILVUSADM_MILVUS_ADMIN_H
#define MILVUSADM_MILVUS_ADMIN_H

#include <stdbool.h>
#include <stddef.h>

#include "milvusadm/milvus_rest.h"

/* aliases/create {"dbName","aliasName","collectionName"}; db NULL: the
 * client's default. Bad or missing names: MREST_EINVAL, nothing sent. */
struct milvus_rest_result *milvus_rest_alias_create_sync(struct milvus_rest *r,
    const char *db, const char *alias, const char *collection);
/* aliases/drop {"dbName","aliasName"}. */
struct milvus_rest_result *milvus_rest_alias_drop_sync(struct milvus_rest *r,
    const char *db, const char *alias);

/* databases/describe {"dbName"}: the properties into res->info.properties
 * (n_properties); res->info.name = the database's name, res->info.id its
 * dbID (0 when not given). An answer of another shape is MREST_EPROTO.
 * The databases/ calls need db named (NULL is MREST_EINVAL): the client's
 * default database is never their implicit target. */
struct milvus_rest_result *milvus_rest_database_describe_sync(struct milvus_rest *r,
    const char *db);
/* databases/alter {"dbName","properties":{key:value}}, value sent as a
 * JSON string (at most 64 KiB). */
struct milvus_rest_result *milvus_rest_database_alter_sync(struct milvus_rest *r,
    const char *db, const char *key, const char *value);
/* databases/drop_properties {"dbName","propertyKeys":[key]}. */
struct milvus_rest_result *milvus_rest_database_drop_properties_sync(struct milvus_rest *r,
    const char *db, const char *key);
/* databases/drop {"dbName"}: only the call; guards live in ops/. */
struct milvus_rest_result *milvus_rest_database_drop_sync(struct milvus_rest *r,
    const char *db);

/* ---- RBAC, read whole ---- */

struct milvus_grant {
	char *object_type;		/* "Global", "Collection", ... */
	char *object_name;		/* "*" or a collection */
	char *privilege;		/* "DropCollection", "All", a group's name */
	char *db_name;			/* "*" or a database; "" read as "default" */
	char *grantor;
};

struct milvus_role {
	char *name;
	struct milvus_grant *grants;
	size_t n_grants;
};

struct milvus_user {
	char *name;
	char **roles;
	size_t n_roles;
};

struct milvus_privilege_group {
	char *name;
	char **privileges;
	size_t n_privileges;
};

struct milvus_rbac {
	struct milvus_user *users;
	size_t n_users;
	struct milvus_role *roles;
	size_t n_roles;
	struct milvus_privilege_group *groups;
	size_t n_groups;
	bool groups_known;		/* privilege_groups/list answered (2.5+) */
};

/* users/list, users/describe of each, roles/list, roles/describe of each
 * (with dbName "*": the grants in every database), privilege_groups/list
 * (absent before 2.5, an HTTP 404: groups_known false, not an error). At
 * most 4096 users and 4096 roles (more is MREST_EPROTO). 0, or -1 with a
 * one-line err naming the call ("users/describe 'bob': ...") and *rc_err
 * the MREST_* of the call that failed (MREST_EPROTO for a malformed
 * answer), so the caller can tell unreachable from refused. On error out is
 * left empty. Reads only, so each call may move on to another proxy. */
int milvus_rbac_read(struct milvus_rest *r, struct milvus_rbac *out, int *rc_err,
    char *err, size_t errlen);
/* Only roles/list and roles/describe of each (their grants): what a count of
 * the grants on one object needs, without a call per user. */
int milvus_rbac_read_roles(struct milvus_rest *r, struct milvus_rbac *out, int *rc_err,
    char *err, size_t errlen);
/* Free everything rb holds and zero it (a zeroed rb, or NULL, is fine). */
void milvus_rbac_free(struct milvus_rbac *rb);

/* The pure parsers (unit tests, fuzzing): body is the envelope's whole body
 * as the server sent it (code 0 required). 0, or -1 when it does not have
 * the expected shape (then nothing is left allocated). Only the lists are
 * filled (roles, grants, groups), not the names. A list that is null or
 * absent is empty. Every string is kept to 1024 bytes, lists to 100000
 * elements. A grant needs privilege (not "") and objectName; its other
 * strings are "" when absent, never NULL. A group's privileges are a
 * comma-separated string (the REST handler's) or a list of strings. */
int milvus_parse_user_roles(const char *body, size_t len, struct milvus_user *out);
int milvus_parse_role_grants(const char *body, size_t len, struct milvus_role *out);
int milvus_parse_privilege_groups(const char *body, size_t len,
    struct milvus_privilege_group **out, size_t *n);
/* databases/describe's data: name (dbName, NULL when absent), id (dbID, 0
 * when absent) and properties into out (zeroed first). */
int milvus_parse_database(const char *body, size_t len, struct milvus_collection_info *out);

/* ---- who can drop a collection (pure) ---- */

struct drop_right {
	char *role;			/* the role that holds it */
	char *via;			/* "DropCollection", "All", "group Admin", ... */
	char *db_name;			/* the grant's database ("*" all; "" as "default") */
	char *object_name;		/* the grant's object ("*" all) */
	char **users;			/* users with the role */
	size_t n_users;
};

/* Every grant that lets a role drop db.coll: DropCollection itself, `All`
 * (or "*"), or a privilege group holding either, nested groups followed
 * (groups as privilege_groups/list gave them; a group it did not list, as
 * before 2.5, from the contract: the legacy Admin and DatabaseAdmin hold it,
 * ClusterAdmin and the others do not); the grant's database must be db or
 * "*" (NULL or "" is "default", on either side), its object coll or "*".
 * The role `admin` always comes first (via "role admin", on "*"."*"), its
 * listed grants not repeated. via: the privilege as granted, or "group
 * NAME". users: those with the role; for the role `public`, every user (the
 * proxy gives it to all). Returns how many (malloc'd array in *out, free
 * with drop_rights_free). The user root, a superuser, is not a grant:
 * callers say so separately. */
size_t milvus_who_can_drop(const struct milvus_rbac *rb, const char *db, const char *coll,
    struct drop_right **out);
/* Free the n rights of milvus_who_can_drop and their strings. */
void drop_rights_free(struct drop_right *d, size_t n);

#endif
