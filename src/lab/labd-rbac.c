/* SPDX-License-Identifier: MIT */
/* Milvus's privileges, the object types v1 grants take them on, and the
 * built-in privilege groups (pkg/util/constant.go ObjectPrivileges,
 * *PrivilegeGroup, *Privileges; milvus-proto ObjectPrivilege), per version. */
#include <stdlib.h>
#include <string.h>

#include "milvusadm/xalloc.h"
#include "labd.h"
#include "labd-rbac.h"
#include "labd-store.h"

#define GROUP	1u	/* stored as PrivilegeGroup<Name> */
#define V2	2u	/* RBAC v2 (2.5+) */

static const struct priv {
	const char *name;
	const char *type;
	unsigned flags;
} privs[] = {
	/* ObjectType_Collection */
	{ "Load", "Collection", 0 }, { "Release", "Collection", 0 },
	{ "Compaction", "Collection", 0 }, { "Insert", "Collection", 0 },
	{ "Delete", "Collection", 0 }, { "Upsert", "Collection", 0 },
	{ "GetStatistics", "Collection", 0 }, { "CreateIndex", "Collection", 0 },
	{ "IndexDetail", "Collection", 0 }, { "DropIndex", "Collection", 0 },
	{ "Search", "Collection", 0 }, { "Flush", "Collection", 0 },
	{ "Query", "Collection", 0 }, { "LoadBalance", "Collection", 0 },
	{ "Import", "Collection", 0 }, { "GetLoadingProgress", "Collection", 0 },
	{ "GetLoadState", "Collection", 0 }, { "CreatePartition", "Collection", 0 },
	{ "DropPartition", "Collection", 0 }, { "ShowPartitions", "Collection", 0 },
	{ "HasPartition", "Collection", 0 }, { "GetFlushState", "Collection", 0 },
	{ "ReadOnly", "Collection", GROUP }, { "ReadWrite", "Collection", GROUP },
	/* ObjectType_Global */
	{ "All", "Global", 0 }, { "CreateCollection", "Global", 0 },
	{ "DropCollection", "Global", 0 }, { "DescribeCollection", "Global", 0 },
	{ "ShowCollections", "Global", 0 }, { "RenameCollection", "Global", 0 },
	{ "CreateOwnership", "Global", 0 }, { "DropOwnership", "Global", 0 },
	{ "SelectOwnership", "Global", 0 }, { "ManageOwnership", "Global", 0 },
	{ "BackupRBAC", "Global", V2 }, { "RestoreRBAC", "Global", V2 },
	{ "CreateResourceGroup", "Global", 0 }, { "UpdateResourceGroups", "Global", 0 },
	{ "DropResourceGroup", "Global", 0 }, { "DescribeResourceGroup", "Global", 0 },
	{ "ListResourceGroups", "Global", 0 }, { "TransferReplica", "Global", 0 },
	{ "TransferNode", "Global", 0 }, { "FlushAll", "Global", 0 },
	{ "CreateDatabase", "Global", 0 }, { "DropDatabase", "Global", 0 },
	{ "ListDatabases", "Global", 0 }, { "AlterDatabase", "Global", 0 },
	{ "DescribeDatabase", "Global", 0 }, { "CreateAlias", "Global", 0 },
	{ "DropAlias", "Global", 0 }, { "DescribeAlias", "Global", 0 },
	{ "ListAliases", "Global", 0 }, { "Admin", "Global", GROUP },
	{ "CreatePrivilegeGroup", "Global", V2 }, { "DropPrivilegeGroup", "Global", V2 },
	{ "ListPrivilegeGroups", "Global", V2 }, { "OperatePrivilegeGroup", "Global", V2 },
	{ "ClusterReadOnly", "Global", GROUP | V2 }, { "ClusterReadWrite", "Global", GROUP | V2 },
	{ "ClusterAdmin", "Global", GROUP | V2 }, { "DatabaseReadOnly", "Global", GROUP | V2 },
	{ "DatabaseReadWrite", "Global", GROUP | V2 }, { "DatabaseAdmin", "Global", GROUP | V2 },
	{ "CollectionReadOnly", "Global", GROUP | V2 },
	{ "CollectionReadWrite", "Global", GROUP | V2 },
	{ "CollectionAdmin", "Global", GROUP | V2 },
	/* ObjectType_User */
	{ "UpdateUser", "User", 0 }, { "SelectUser", "User", 0 },
};

/* ---- the built-in groups ---- */

#define COLL_RO "Query", "Search", "IndexDetail", "GetFlushState", "GetLoadState", \
	"GetLoadingProgress", "HasPartition", "ShowPartitions", "DescribeCollection", \
	"DescribeAlias", "GetStatistics", "ListAliases"
#define COLL_RW COLL_RO, "Load", "Release", "Insert", "Delete", "Upsert", "Import", "Flush", \
	"Compaction", "LoadBalance", "CreateIndex", "DropIndex", "CreatePartition", \
	"DropPartition"
#define COLL_ADMIN COLL_RW, "CreateAlias", "DropAlias"
#define DB_RO "ShowCollections", "DescribeDatabase"
#define DB_RW DB_RO, "AlterDatabase"
#define DB_ADMIN DB_RW, "CreateCollection", "DropCollection"
#define CLUSTER_RO "ListDatabases", "SelectOwnership", "SelectUser", "DescribeResourceGroup", \
	"ListResourceGroups", "ListPrivilegeGroups"
#define CLUSTER_RW CLUSTER_RO, "FlushAll", "TransferNode", "TransferReplica", \
	"UpdateResourceGroups"
#define CLUSTER_ADMIN CLUSTER_RW, "BackupRBAC", "RestoreRBAC", "CreateDatabase", \
	"DropDatabase", "CreateOwnership", "DropOwnership", "ManageOwnership", \
	"CreateResourceGroup", "DropResourceGroup", "UpdateUser", "RenameCollection", \
	"CreatePrivilegeGroup", "DropPrivilegeGroup", "OperatePrivilegeGroup"

static const char *const g_coll_ro[] = { COLL_RO, NULL };
static const char *const g_coll_rw[] = { COLL_RW, NULL };
static const char *const g_coll_admin[] = { COLL_ADMIN, NULL };
static const char *const g_db_ro[] = { DB_RO, NULL };
static const char *const g_db_rw[] = { DB_RW, NULL };
static const char *const g_db_admin[] = { DB_ADMIN, NULL };
static const char *const g_cluster_ro[] = { CLUSTER_RO, NULL };
static const char *const g_cluster_rw[] = { CLUSTER_RW, NULL };
static const char *const g_cluster_admin[] = { CLUSTER_ADMIN, NULL };

/* The legacy groups (ReadOnlyPrivilegeGroup, ReadWritePrivilegeGroup,
 * AdminPrivilegeGroup). */
#define LEGACY_RO "Query", "Search", "IndexDetail", "GetFlushState", "GetLoadState", \
	"GetLoadingProgress", "HasPartition", "ShowPartitions", "ShowCollections", \
	"ListAliases", "ListDatabases", "DescribeCollection", "DescribeDatabase", \
	"DescribeAlias", "GetStatistics"
static const char *const g_ro[] = { LEGACY_RO, NULL };
static const char *const g_rw[] = { LEGACY_RO, "CreateIndex", "DropIndex", "CreatePartition",
	"DropPartition", "Load", "Release", "Insert", "Delete", "Upsert", "Import", "Flush",
	"Compaction", "LoadBalance", "RenameCollection", "CreateAlias", "DropAlias", NULL };
static const char *const g_admin[] = { "CreateCollection", "DropCollection", LEGACY_RO,
	"CreateIndex", "DropIndex", "CreatePartition", "DropPartition", "Load", "Release",
	"Insert", "Delete", "Upsert", "Import", "Flush", "Compaction", "LoadBalance",
	"RenameCollection", "CreateAlias", "DropAlias", "CreateOwnership", "DropOwnership",
	"SelectOwnership", "ManageOwnership", "SelectUser", "UpdateUser", "BackupRBAC",
	"RestoreRBAC", "CreateResourceGroup", "UpdateResourceGroups", "DropResourceGroup",
	"DescribeResourceGroup", "ListResourceGroups", "TransferReplica", "TransferNode",
	"CreateDatabase", "DropDatabase", "AlterDatabase", NULL };

static const struct {
	const char *name;
	const char *const *privs;
	bool legacy;
} groups[] = {
	{ "ClusterReadOnly", g_cluster_ro, false },
	{ "ClusterReadWrite", g_cluster_rw, false },
	{ "ClusterAdmin", g_cluster_admin, false },
	{ "DatabaseReadOnly", g_db_ro, false },
	{ "DatabaseReadWrite", g_db_rw, false },
	{ "DatabaseAdmin", g_db_admin, false },
	{ "CollectionReadOnly", g_coll_ro, false },
	{ "CollectionReadWrite", g_coll_rw, false },
	{ "CollectionAdmin", g_coll_admin, false },
	{ "ReadOnly", g_ro, true },
	{ "ReadWrite", g_rw, true },
	{ "Admin", g_admin, true },
};

static const struct priv *
find(const struct labd_version *v, const char *name)
{
	size_t i;

	for (i = 0; i < sizeof privs / sizeof privs[0]; i++) {
		if (strcmp(privs[i].name, name) == 0)
			return (privs[i].flags & V2) == 0 || v->privilege_groups ? &privs[i] : NULL;
	}
	return NULL;
}

static bool
in_list(const char *const *list, const char *name)
{
	size_t i;

	for (i = 0; list[i] != NULL; i++) {
		if (strcmp(list[i], name) == 0)
			return true;
	}
	return false;
}

bool
lrbac_defined(const struct labd_version *v, const char *name)
{
	return find(v, name) != NULL;
}

bool
lrbac_builtin_group(const struct labd_version *v, const char *name, bool legacy)
{
	size_t i;

	if (find(v, name) == NULL)
		return false;
	for (i = 0; i < sizeof groups / sizeof groups[0]; i++) {
		if (strcmp(groups[i].name, name) == 0)
			return groups[i].legacy == legacy;
	}
	return false;
}

const char *const *
lrbac_group_privs(const struct labd_version *v, const char *name)
{
	size_t i;

	if (find(v, name) == NULL)
		return NULL;
	for (i = 0; i < sizeof groups / sizeof groups[0]; i++) {
		if (strcmp(groups[i].name, name) == 0)
			return groups[i].privs;
	}
	return NULL;
}

bool
lrbac_type_valid(const char *type)
{
	return strcmp(type, "Collection") == 0 || strcmp(type, "Global") == 0 ||
	    strcmp(type, "User") == 0;
}

bool
lrbac_on_type(const struct labd_version *v, const char *name, const char *type)
{
	const struct priv *p = find(v, name);

	return p != NULL && strcmp(p->type, type) == 0;
}

const char *
lrbac_object_type(const struct labd_version *v, const char *name)
{
	const struct priv *p = find(v, name);

	return p != NULL ? p->type : "Global";
}

enum lrbac_level
lrbac_level(const char *name)
{
	if (in_list(g_cluster_admin, name))
		return LRBAC_CLUSTER;
	if (in_list(g_db_admin, name))
		return LRBAC_DATABASE;
	if (in_list(g_coll_admin, name))
		return LRBAC_COLLECTION;
	return LRBAC_NONE;
}

char *
lrbac_meta_name(const struct labd_version *v, const char *name, bool custom_group)
{
	const struct priv *p = find(v, name);

	if (strcmp(name, "*") == 0)
		return xstrdup("*");
	if (p == NULL && !custom_group)
		return NULL;
	return xasprintf("%s%s", p == NULL || (p->flags & GROUP) ? "PrivilegeGroup" : "Privilege",
	    name);
}

const char *
lrbac_api_name(const char *stored)
{
	if (strncmp(stored, "PrivilegeGroup", 14) == 0)
		return stored + 14;
	if (strncmp(stored, "Privilege", 9) == 0)
		return stored + 9;
	return stored;
}

static bool
includes(const struct labd_version *v, const struct lstore *s, const char *privilege,
    const char *target, int depth)
{
	const char *const *list;
	const struct lstore_pgroup *g;
	size_t i;

	if (strcmp(privilege, target) == 0 || strcmp(privilege, "All") == 0 ||
	    strcmp(privilege, "*") == 0)
		return true;
	if ((list = lrbac_group_privs(v, privilege)) != NULL)
		return in_list(list, target);
	if (s == NULL || depth > 4 || !v->privilege_groups ||
	    (g = lstore_pgroup_find(s, privilege)) == NULL)
		return false;
	/* A custom group holds privileges (and groups) by their API names. */
	for (i = 0; i < g->n_privs; i++) {
		if (includes(v, s, g->privs[i], target, depth + 1))
			return true;
	}
	return false;
}

bool
lrbac_includes(const struct labd_version *v, const struct lstore *s, const char *privilege,
    const char *target)
{
	return includes(v, s, privilege, target, 0);
}

int
lrbac_parse_bool(const char *s)
{
	static const char *const yes[] = { "1", "t", "T", "TRUE", "true", "True", NULL };
	static const char *const no[] = { "0", "f", "F", "FALSE", "false", "False", NULL };

	if (s == NULL)
		return -1;
	if (in_list(yes, s))
		return 1;
	if (in_list(no, s))
		return 0;
	return -1;
}
