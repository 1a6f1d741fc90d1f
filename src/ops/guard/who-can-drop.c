/* SPDX-License-Identifier: MIT */
/* Who can drop a collection, from an RBAC read (pure): the grants that carry
 * DropCollection, directly, through All or through a privilege group
 * (contract §5.5), and the users holding those roles. */
#include <stdlib.h>
#include <string.h>

#include "milvusadm/milvus_admin.h"
#include "milvusadm/xalloc.h"

/* Custom groups may name groups; deeper than this is a loop or abuse. */
#define WCD_MAX_DEPTH	4

/* The built-in groups that hold DropCollection (§5.5): the legacy Admin
 * group (never in privilege_groups/list) and 2.5's DatabaseAdmin. The other
 * built-in groups (ClusterAdmin, Collection*, *ReadOnly, *ReadWrite) do not. */
static const char *const builtin_drop_groups[] = { "Admin", "DatabaseAdmin", NULL };

static bool
wcd_eq(const char *a, const char *b)
{
	return a != NULL && b != NULL && strcmp(a, b) == 0;
}

/* The privilege itself or everything: "*" is taken as All, as the proxy
 * takes it. */
static bool
wcd_direct(const char *p)
{
	return wcd_eq(p, "DropCollection") || wcd_eq(p, "All") || wcd_eq(p, "*");
}

static const struct milvus_privilege_group *
wcd_group(const struct milvus_rbac *rb, const char *name)
{
	size_t i;

	for (i = 0; rb->groups_known && i < rb->n_groups; i++) {
		if (wcd_eq(rb->groups[i].name, name))
			return &rb->groups[i];
	}
	return NULL;
}

static bool
wcd_builtin(const char *name)
{
	size_t i;

	for (i = 0; builtin_drop_groups[i] != NULL; i++) {
		if (wcd_eq(builtin_drop_groups[i], name))
			return true;
	}
	return false;
}

/* Whether privilege p (a privilege's or a group's name) carries the right
 * to drop. A group the server listed is taken as listed; one it did not
 * list (every group before 2.5, the legacy Admin always) from what the
 * contract says the built-in ones hold. */
static bool
wcd_carries(const struct milvus_rbac *rb, const char *p, int depth)
{
	const struct milvus_privilege_group *g;
	size_t i;

	if (p == NULL || depth > WCD_MAX_DEPTH)
		return false;
	if (wcd_direct(p))
		return true;
	if ((g = wcd_group(rb, p)) != NULL) {
		for (i = 0; i < g->n_privileges; i++) {
			if (wcd_carries(rb, g->privileges[i], depth + 1))
				return true;
		}
		return false;
	}
	if (wcd_builtin(p))
		return true;
	/* The metastore's spelling, should a server show it: PrivilegeX for a
	 * privilege, PrivilegeGroupX for a group. */
	if (strncmp(p, "PrivilegeGroup", 14) == 0 && p[14] != '\0')
		return wcd_carries(rb, p + 14, depth + 1);
	if (strncmp(p, "Privilege", 9) == 0 && p[9] != '\0')
		return wcd_carries(rb, p + 9, depth + 1);
	return false;
}

/* A database name as Milvus reads it: none is "default". */
static const char *
wcd_db(const char *db)
{
	return db == NULL || *db == '\0' ? "default" : db;
}

static bool
wcd_applies(const struct milvus_grant *g, const char *db, const char *coll)
{
	const char *gdb = wcd_db(g->db_name);

	return (strcmp(gdb, "*") == 0 || strcmp(gdb, wcd_db(db)) == 0) &&
	    (wcd_eq(g->object_name, "*") || wcd_eq(g->object_name, coll));
}

static bool
wcd_has_role(const struct milvus_user *u, const char *role)
{
	size_t i;

	for (i = 0; i < u->n_roles; i++) {
		if (wcd_eq(u->roles[i], role))
			return true;
	}
	return false;
}

/* Append a right of role; the users that hold it: every user for the role
 * public (the proxy adds it to everyone's roles), else those it is granted
 * to. */
static void
wcd_add(const struct milvus_rbac *rb, struct drop_right **v, size_t *n, size_t *cap,
    const char *role, const char *via, const char *db, const char *obj)
{
	struct drop_right *d;
	bool everyone = strcmp(role, "public") == 0;
	size_t i;

	if (*n == *cap) {
		*cap = *cap > 0 ? *cap * 2 : 8;
		*v = xreallocarray(*v, *cap, sizeof **v);
	}
	d = &(*v)[(*n)++];
	memset(d, 0, sizeof *d);
	d->role = xstrdup(role);
	d->via = xstrdup(via);
	d->db_name = xstrdup(db);
	d->object_name = xstrdup(obj);
	if (rb->n_users > 0)
		d->users = xcalloc(rb->n_users, sizeof *d->users);
	for (i = 0; i < rb->n_users; i++) {
		if (rb->users[i].name != NULL && (everyone || wcd_has_role(&rb->users[i], role)))
			d->users[d->n_users++] = xstrdup(rb->users[i].name);
	}
}

size_t
milvus_who_can_drop(const struct milvus_rbac *rb, const char *db, const char *coll,
    struct drop_right **out)
{
	struct drop_right *v = NULL;
	size_t n = 0, cap = 0, i, j;

	*out = NULL;
	if (rb == NULL || coll == NULL)
		return 0;
	/* The built-in role admin may do anything, listed grants or not. */
	wcd_add(rb, &v, &n, &cap, "admin", "role admin", "*", "*");
	for (i = 0; i < rb->n_roles; i++) {
		const struct milvus_role *ro = &rb->roles[i];

		if (ro->name == NULL || strcmp(ro->name, "admin") == 0)
			continue;
		for (j = 0; j < ro->n_grants; j++) {
			const struct milvus_grant *g = &ro->grants[j];
			char *via;

			if (!wcd_applies(g, db, coll) || !wcd_carries(rb, g->privilege, 0))
				continue;
			via = wcd_direct(g->privilege) || (strncmp(g->privilege, "Privilege", 9) == 0 &&
			    wcd_direct(g->privilege + 9)) ? xstrdup(g->privilege) :
			    xasprintf("group %s", g->privilege);
			wcd_add(rb, &v, &n, &cap, ro->name, via,
			    g->db_name != NULL && *g->db_name != '\0' ? g->db_name : "default",
			    g->object_name);
			free(via);
		}
	}
	*out = v;
	return n;
}

void
drop_rights_free(struct drop_right *d, size_t n)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		free(d[i].role);
		free(d[i].via);
		free(d[i].db_name);
		free(d[i].object_name);
		for (j = 0; j < d[i].n_users; j++)
			free(d[i].users[j]);
		free(d[i].users);
	}
	free(d);
}
