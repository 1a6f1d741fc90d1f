/* SPDX-License-Identifier: MIT */
/* The single-threaded reactor: libcurl multi, extra fds, timers and signals,
 * all waited on with curl_multi_poll(). Everything asynchronous runs here. */
#ifndef MILVUSADM_LOOP_H
#define MILVUSADM_LOOP_H

#include <stdint.h>

struct loop;

/* fd readiness callback; revents is a mask of LOOP_READ / LOOP_WRITE / LOOP_ERROR. */
#define LOOP_READ  0x1
#define LOOP_WRITE 0x2
#define LOOP_ERROR 0x4
typedef void (*loop_fd_cb)(int fd, int revents, void *arg);
typedef void (*loop_timer_cb)(void *arg);
typedef void (*loop_signal_cb)(int signo, void *arg);

struct loop *loop_new(void);
/* Frees the loop; pending timers are dropped, fds are not closed. */
void loop_free(struct loop *l);

/* Watch fd for events (LOOP_READ and/or LOOP_WRITE). One registration per fd;
 * adding an fd again replaces its callback. Returns 0, or -1 when full. */
int loop_fd_add(struct loop *l, int fd, int events, loop_fd_cb cb, void *arg);
void loop_fd_del(struct loop *l, int fd);

/* One-shot timer after ms milliseconds; returns an id > 0 for loop_timer_cancel.
 * Ids are never reused, so cancelling a timer that already fired is harmless. */
uint64_t loop_timer_add(struct loop *l, int64_t ms, loop_timer_cb cb, void *arg);
void loop_timer_cancel(struct loop *l, uint64_t id);

/* Deliver signo through the loop (a self-pipe), never in signal context.
 * One callback per signal; cb NULL restores the default disposition. */
int loop_signal(struct loop *l, int signo, loop_signal_cb cb, void *arg);
/* The callback signo has now (NULL: none), so that one who takes a signal for
 * a while (a drill inside the TUI) can give it back. */
loop_signal_cb loop_signal_get(struct loop *l, int signo, void **arg);

/* Run one pass: wait at most max_wait_ms (-1 = until something happens) and
 * dispatch whatever is ready. */
void loop_once(struct loop *l, int max_wait_ms);
/* Run until loop_break() is called. */
void loop_run(struct loop *l);
void loop_break(struct loop *l);
/* Run until *done becomes non-zero or timeout_ms passes (-1 = no limit).
 * Returns 0 when done, -1 on timeout. This is how script mode waits for a
 * command's completion callback while everything else keeps running. */
int loop_run_until(struct loop *l, const int *done, int64_t timeout_ms);
/* Wake a loop blocked in curl_multi_poll (safe from a signal handler). */
void loop_wakeup(struct loop *l);

/* The libcurl multi handle (a CURLM *), for http.c only. */
void *loop_curl_multi(struct loop *l);
/* Called by http.c with the function that reaps finished transfers. */
void loop_set_curl_done(struct loop *l, void (*fn)(struct loop *l));

#endif
