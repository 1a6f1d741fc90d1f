/* SPDX-License-Identifier: MIT */
/* The stop fault: a graceful GET /management/stop?role= on the target's
 * metrics port (2.4+; the component stops, the process stays up, §2.9). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/config.h"
#include "milvusadm/fault.h"
#include "milvusadm/milvus_mgmt.h"
#include "milvusadm/timeutil.h"
#include "milvusadm/xalloc.h"

struct fault_backend {
	struct milvus_mgmt *mgmt;	/* owned */
	fault_cb cb;
	void *arg;
};

static struct fault_backend *
stop_open(struct loop *l, const struct profile *p, struct etcd *e,
    const char *const *options, char *err, size_t errlen)
{
	struct milvus_mgmt_opts mo;
	struct fault_backend *b;
	char *admin_pass = NULL;

	if (options != NULL && options[0] != NULL) {
		snprintf(err, errlen, "option '%s' is not known to the stop backend", options[0]);
		return NULL;
	}
	memset(&mo, 0, sizeof mo);
	if (p != NULL) {
		mo.tls.ca_file = p->milvus_ca_file;
		mo.tls.insecure = p->milvus_insecure;
		mo.timeout_ms = (long)p->timeout_ms;
		/* /management/stop is what adminAuthEnabled protects (3.0+). */
		if (p->milvus_admin_password_file != NULL &&
		    (admin_pass = config_read_secret(p->milvus_admin_password_file,
		    "milvus admin password", err, errlen)) == NULL)
			return NULL;
		mo.admin_user = p->milvus_admin_user;
		mo.admin_password = admin_pass;
	}
	b = xcalloc(1, sizeof *b);
	b->mgmt = milvus_mgmt_new(l, &mo);
	if (admin_pass != NULL) {
		explicit_bzero(admin_pass, strlen(admin_pass));
		free(admin_pass);
	}
	return b;
}

static void
stop_close(struct fault_backend *b)
{
	if (b == NULL)
		return;
	milvus_mgmt_free(b->mgmt);
	free(b);
}

static char *
stop_base(const struct fault_target *t)
{
	if (t->host == NULL || t->host[0] == '\0')
		return NULL;
	return xasprintf("http://%s:%d", t->host, t->metrics_port > 0 ? t->metrics_port : 9091);
}

static int
stop_plan(struct fault_backend *b, const struct fault_target *t, char *out, size_t outlen)
{
	char *base;

	if (t->kind != NULL && strcmp(t->kind, "etcd-member") == 0) {
		snprintf(out, outlen, "an etcd member has no Milvus management port: use the lab, "
		    "k8s, docker or exec backend");
		return -1;
	}
	base = stop_base(t);
	if (base == NULL) {
		snprintf(out, outlen, "no address known for %s %" PRId64, t->role, t->server_id);
		return -1;
	}
	snprintf(out, outlen, "GET %s/management/stop?role=%s: graceful stop of %s %" PRId64
	    " (its lease is revoked; the process stays up)", base, t->role, t->role,
	    t->server_id);
	free(base);
	return 0;
}

static void
stop_done(const struct milvus_mgmt_result *res, void *arg)
{
	struct fault_backend *b = arg;
	struct fault_result fr;

	memset(&fr, 0, sizeof fr);
	fr.injected_ms = time_wall_ms();
	if (res->err != MGMT_OK || !res->ready) {
		fr.err = -1;
		snprintf(fr.errmsg, sizeof fr.errmsg, "stop failed: %.200s",
		    res->err != MGMT_OK ? res->errmsg : res->msg != NULL ? res->msg :
		    "not accepted");
	} else
		snprintf(fr.detail, sizeof fr.detail, "%s answered %s", res->url,
		    res->msg != NULL ? res->msg : "OK");
	b->cb(&fr, b->arg);
}

static int
stop_inject(struct fault_backend *b, const struct fault_target *t, fault_cb cb, void *arg)
{
	char *base = stop_base(t);
	int rc;

	if (base == NULL)
		return -1;
	b->cb = cb;
	b->arg = arg;
	rc = milvus_mgmt_stop(b->mgmt, base, t->role, stop_done, b);
	free(base);
	return rc;
}

const struct fault_ops fault_stop_ops = {
	.name = "stop",
	.open = stop_open,
	.close = stop_close,
	.plan = stop_plan,
	.inject = stop_inject,
	.restore = NULL,
	.restarts = NULL,	/* the management API says nothing of restarts */
};
