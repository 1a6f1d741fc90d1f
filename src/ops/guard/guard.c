/* SPDX-License-Identifier: MIT */
/* The one guard for destructive commands. Order matters: what can be
 * refused without asking (read-only, a wildcard, --yes alone, a --confirm
 * that does not match) is refused first, so a script learns its mistake
 * without a prompt; then the exact name (PROFILE/NAME on a production
 * profile) is taken from --confirm or typed back. */
#include <stdio.h>
#include <string.h>

#include "milvusadm/config.h"
#include "milvusadm/guard.h"
#include "milvusadm/url.h"

const char *
guard_how_name(enum guard_how h)
{
	switch (h) {
	case GUARD_HOW_FLAG: return "--confirm";
	case GUARD_HOW_TYPED: return "typed";
	case GUARD_HOW_NONE: break;
	}
	return "none";
}

void
guard_expected(const struct profile *p, const char *name, char *out, size_t len)
{
	if (p != NULL && p->production)
		snprintf(out, len, "%s/%s", p->name, name);
	else
		snprintf(out, len, "%s", name);
}

void
guard_where(const struct profile *p, char *out, size_t len)
{
	char etcd[300] = "", milvus[300] = "";

	if (p == NULL) {
		snprintf(out, len, "no profile");
		return;
	}
	if (p->n_etcd_endpoints > 0) {
		url_origin(p->etcd_endpoints[0], etcd, sizeof etcd);
		if (p->n_etcd_endpoints > 1)
			snprintf(etcd + strlen(etcd), sizeof etcd - strlen(etcd), " +%zu",
			    p->n_etcd_endpoints - 1);
	}
	if (p->milvus_uri != NULL && p->milvus_uri[0] != '\0')
		url_origin(p->milvus_uri, milvus, sizeof milvus);
	snprintf(out, len, "%sprofile '%s' (%s%s%s%s%s)", p->production ? "PRODUCTION " : "",
	    p->name, etcd[0] != '\0' ? "etcd " : "", etcd,
	    etcd[0] != '\0' && milvus[0] != '\0' ? ", " : "",
	    milvus[0] != '\0' ? "milvus " : "", milvus[0] != '\0' ? milvus :
	    etcd[0] != '\0' ? "" : "no endpoint");
}

void
guard_prompt(const struct guard_req *r, const char *expected, char *out, size_t len)
{
	char where[700];

	guard_where(r->p, where, sizeof where);
	snprintf(out, len, "%s '%s'%s%s%s in %s: %s", r->action, r->name,
	    r->detail != NULL ? " (" : "", r->detail != NULL ? r->detail : "",
	    r->detail != NULL ? ")" : "", where,
	    r->irreversible != NULL ? r->irreversible : "this cannot be undone");
	(void)expected;
}

bool
guard_check(const struct guard_req *r, guard_ask_fn ask, void *arg, struct guard_result *res)
{
	char prompt[2048];
	int ok;

	memset(res, 0, sizeof *res);
	guard_expected(r->p, r->name != NULL ? r->name : "", res->expected,
	    sizeof res->expected);
	if (r->read_only) {
		snprintf(res->why, sizeof res->why, "%s '%.200s' refused: read-only (--read-only or "
		    "the profile's read_only)", r->action, r->name);
		return false;
	}
	/* Elasticsearch's action.destructive_requires_name: a pattern is not a name. */
	if (r->name == NULL || r->name[0] == '\0' || strpbrk(r->name, "*?[") != NULL) {
		snprintf(res->why, sizeof res->why, "%s '%.200s' refused: a destructive command "
		    "takes one exact name, not a pattern", r->action, r->name != NULL ? r->name : "");
		return false;
	}
	if (r->confirm != NULL) {
		if (strcmp(r->confirm, res->expected) != 0) {
			snprintf(res->why, sizeof res->why, "%s '%.200s' refused: --confirm '%.200s' does "
			    "not match '%.200s'", r->action, r->name, r->confirm, res->expected);
			return false;
		}
		res->how = GUARD_HOW_FLAG;
		res->pass = true;
		return true;
	}
	if (r->yes) {
		snprintf(res->why, sizeof res->why, "%s '%.200s' refused: --yes is not a "
		    "confirmation for what cannot be undone; give --confirm %.200s", r->action,
		    r->name, res->expected);
		return false;
	}
	guard_prompt(r, res->expected, prompt, sizeof prompt);
	ok = ask != NULL ? ask(arg, prompt, res->expected) : -1;
	if (ok == 1) {
		res->how = GUARD_HOW_TYPED;
		res->pass = true;
		return true;
	}
	snprintf(res->why, sizeof res->why, "%s '%.200s' refused: %s", r->action, r->name,
	    ok == -1 ? "nobody to ask: give --confirm " : "the confirmation did not match '");
	if (ok == -1)
		snprintf(res->why + strlen(res->why), sizeof res->why - strlen(res->why), "%s",
		    res->expected);
	else
		snprintf(res->why + strlen(res->why), sizeof res->why - strlen(res->why), "%s'",
		    res->expected);
	return false;
}
