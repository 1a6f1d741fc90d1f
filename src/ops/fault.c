/* SPDX-License-Identifier: MIT */
/* The list of fault backends and the helpers they share. */
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "milvusadm/fault.h"
#include "milvusadm/loop.h"
#include "milvusadm/xalloc.h"
#include "fault-int.h"

/* The lab backend lives beside `milvusadm lab` (it reads the lab's state files
 * through lablib, which the library does not link), so it is referenced
 * weakly: front ends that link it get it, the rest list the others. */
extern const struct fault_ops fault_lab_ops __attribute__((weak));

const struct fault_ops *const *
fault_backends(void)
{
	static const struct fault_ops *list[8];
	size_t n = 0;

	if (list[0] == NULL) {
		list[n++] = &fault_lease_ops;
		list[n++] = &fault_stop_ops;
		list[n++] = &fault_k8s_ops;
		list[n++] = &fault_docker_ops;
		list[n++] = &fault_exec_ops;
		if (&fault_lab_ops != NULL)
			list[n++] = &fault_lab_ops;
		list[n] = NULL;
	}
	return list;
}

const struct fault_ops *
fault_backend_find(const char *name)
{
	const struct fault_ops *const *b;

	if (name == NULL)
		return NULL;
	for (b = fault_backends(); *b != NULL; b++) {
		if (strcmp((*b)->name, name) == 0)
			return *b;
	}
	return NULL;
}

const char *
fault_option(const char *const *options, const char *key)
{
	size_t klen = strlen(key);

	if (options == NULL)
		return NULL;
	for (; *options != NULL; options++) {
		if (strncmp(*options, key, klen) == 0 && (*options)[klen] == '=')
			return *options + klen + 1;
	}
	return NULL;
}

static void
fault_later_fire(void *arg)
{
	struct fault_later *fl = arg;
	fault_cb cb = fl->cb;

	fl->timer = 0;
	fl->cb = NULL;
	cb(&fl->res, fl->arg);
}

void
fault_later_post(struct fault_later *fl, struct loop *l, fault_cb cb, void *arg)
{
	fl->loop = l;
	fl->cb = cb;
	fl->arg = arg;
	fl->timer = loop_timer_add(l, 0, fault_later_fire, fl);
}

void
fault_later_fail(struct fault_later *fl, struct loop *l, fault_cb cb, void *arg,
    const char *errmsg)
{
	char msg[sizeof fl->res.errmsg];

	snprintf(msg, sizeof msg, "%s", errmsg);
	memset(&fl->res, 0, sizeof fl->res);
	fl->res.err = -1;
	memcpy(fl->res.errmsg, msg, sizeof msg);
	fault_later_post(fl, l, cb, arg);
}

void
fault_later_cancel(struct fault_later *fl)
{
	if (fl->timer != 0)
		loop_timer_cancel(fl->loop, fl->timer);
	fl->timer = 0;
	fl->cb = NULL;
}

void
fault_keep_error(const struct fault_result *res, void *arg)
{
	char **slot = arg;

	if (res->err != 0 && *slot == NULL)
		*slot = xstrdup(res->errmsg);
}
