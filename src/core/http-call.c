/* SPDX-License-Identifier: MIT */
/* The call bookkeeping shared by the HTTP clients (see http_call.h). */
#include <stddef.h>

#include "milvusadm/http_call.h"
#include "milvusadm/loop.h"

void
http_calls_init(struct http_calls *s, struct loop *l, const struct http_call_ops *ops)
{
	s->loop = l;
	s->ops = ops;
	s->head = NULL;
}

static void
http_call_unlink(struct http_call *c)
{
	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		c->set->head = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	c->prev = c->next = NULL;
}

void
http_calls_cancel(struct http_calls *s)
{
	while (s->head != NULL) {
		struct http_call *c = s->head;

		http_cancel(c->req);
		http_race_cancel(c->race);
		if (c->timer != 0)
			loop_timer_cancel(s->loop, c->timer);
		if (c->later != NULL)
			s->ops->result_free(c->later);
		http_call_unlink(c);
		s->ops->release(c);
	}
}

void
http_call_add(struct http_calls *s, struct http_call *c, http_call_fn cb, void *arg,
    struct http_sync *take)
{
	c->set = s;
	c->cb = cb;
	c->arg = arg;
	c->take = take;
	c->prev = NULL;
	c->next = s->head;
	if (s->head != NULL)
		s->head->prev = c;
	s->head = c;
}

void
http_call_deliver(struct http_call *c, void *res)
{
	const struct http_call_ops *ops = c->set->ops;
	struct http_sync *take = c->take;
	http_call_fn cb = c->cb;
	void *arg = c->arg;

	http_call_unlink(c);
	ops->release(c);
	if (cb != NULL)
		ops->invoke(cb, res, arg);
	if (take != NULL) {
		take->res = res;
		take->done = 1;
	} else
		ops->result_free(res);
}

static void
http_call_timer(void *arg)
{
	struct http_call *c = arg;

	c->timer = 0;
	c->on_timer(c);
}

void
http_call_after(struct http_call *c, int64_t ms, void (*fn)(struct http_call *c))
{
	c->on_timer = fn;
	c->timer = loop_timer_add(c->set->loop, ms, http_call_timer, c);
}

static void
http_call_later(struct http_call *c)
{
	void *res = c->later;

	c->later = NULL;
	http_call_deliver(c, res);
}

void
http_call_deliver_later(struct http_call *c, void *res)
{
	c->later = res;
	http_call_after(c, 0, http_call_later);
}

void *
http_call_wait(struct loop *l, int rc, struct http_sync *s)
{
	if (rc != 0)
		return NULL;
	loop_run_until(l, &s->done, -1);
	return s->res;
}
