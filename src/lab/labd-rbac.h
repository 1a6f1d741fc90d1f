/* SPDX-License-Identifier: MIT */
/* Milvus's privileges and privilege groups as the lab's proxies know them
 * (pkg/util/constant.go, contract §5.5): pure tables, per version. */
#ifndef MILVUSADM_LAB_LABD_RBAC_H
#define MILVUSADM_LAB_LABD_RBAC_H

#include <stddef.h>
#include <stdbool.h>

struct labd_version;
struct lstore;

/* GetPrivilegeLevel (RBAC v2, 2.5+). */
enum lrbac_level { LRBAC_NONE, LRBAC_CLUSTER, LRBAC_DATABASE, LRBAC_COLLECTION };

/* Whether name (an API name: "DropCollection", "DatabaseAdmin") is a
 * privilege or built-in group of version v (IsPrivilegeNameDefined). */
bool lrbac_defined(const struct labd_version *v, const char *name);
/* A built-in group: the nine of RBAC v2 (2.5+; legacy false) or the legacy
 * ReadOnly, ReadWrite, Admin (legacy true). */
bool lrbac_builtin_group(const struct labd_version *v, const char *name, bool legacy);
/* The privileges of a built-in group, NULL-terminated; NULL if name is none. */
const char *const *lrbac_group_privs(const struct labd_version *v, const char *name);
/* Whether a v1 grant may name this privilege on this object type
 * (ObjectPrivileges: "Collection", "Global" or "User"). */
bool lrbac_on_type(const struct labd_version *v, const char *name, const char *type);
/* Whether type is one of commonpb.ObjectType. */
bool lrbac_type_valid(const char *type);
/* util.GetObjectType: the type a v2 grant is stored under. */
const char *lrbac_object_type(const struct labd_version *v, const char *name);
enum lrbac_level lrbac_level(const char *name);
/* The metastore form of a defined name or a custom group ("Privilege...",
 * "PrivilegeGroup..."), "*" for "*"; a new string. */
char *lrbac_meta_name(const struct labd_version *v, const char *name, bool custom_group);
/* The API form of a stored name (PrivilegeNameForAPI). */
const char *lrbac_api_name(const char *stored);
/* Whether privilege (an API name: a privilege, "All", "*", a built-in or a
 * custom group of s) grants target (a single privilege). */
bool lrbac_includes(const struct labd_version *v, const struct lstore *s, const char *privilege,
    const char *target);
/* Go's strconv.ParseBool: 1 for true, 0 for false, -1 for neither. */
int lrbac_parse_bool(const char *s);

#endif
