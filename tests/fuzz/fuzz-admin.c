/* SPDX-License-Identifier: MIT */
/* libFuzzer target for the REST v2 admin parsers (milvus_admin.h): a user's
 * roles, a role's grants, the privilege groups and a database, then who can
 * drop a collection over what they gave. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/milvus_admin.h"
#include "milvusadm/xalloc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *body = (const char *)data;
	struct milvus_rbac rb;
	struct milvus_user u;
	struct milvus_role ro;
	struct milvus_rest_result db;
	struct drop_right *d;
	size_t n;

	memset(&rb, 0, sizeof rb);
	memset(&u, 0, sizeof u);
	memset(&ro, 0, sizeof ro);
	/* One input read as every answer: a user holding every role it names,
	 * a role of that name holding the grants, the groups. */
	if (milvus_parse_role_grants(body, size, &ro) == 0) {
		ro.name = xstrdup(size > 0 && data[0] & 1 ? "public" : "ops");
		rb.roles = xmalloc(sizeof ro);
		rb.roles[0] = ro;
		rb.n_roles = 1;
	}
	if (milvus_parse_user_roles(body, size, &u) == 0) {
		u.name = xstrdup("u");
		rb.users = xmalloc(sizeof u);
		rb.users[0] = u;
		rb.n_users = 1;
	}
	if (milvus_parse_privilege_groups(body, size, &rb.groups, &rb.n_groups) == 0)
		rb.groups_known = size > 1 && data[1] & 1;
	n = milvus_who_can_drop(&rb, size > 2 && data[2] & 1 ? "*" : "default", "docs", &d);
	drop_rights_free(d, n);
	milvus_rbac_free(&rb);
	memset(&db, 0, sizeof db);
	if (milvus_parse_database(body, size, &db.info) == 0)
		milvus_rest_result_release(&db);
	return 0;
}
