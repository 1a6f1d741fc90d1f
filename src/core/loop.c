/* SPDX-License-Identifier: MIT */
/* The one loop: curl_multi_poll() over libcurl's sockets, our fds, a self-pipe
 * for signals, and the nearest timer. No threads anywhere. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>

#include "milvusadm/loop.h"
#include "milvusadm/timeutil.h"
#include "milvusadm/xalloc.h"

#define LOOP_MAX_FDS 256
#define LOOP_MAX_CONNS 64	/* idle connections kept (etcd, proxies, 9091s) */

struct loop_fd {
	int fd;
	int events;
	loop_fd_cb cb;
	void *arg;
};

struct loop_timer {
	uint64_t id;
	int64_t due;		/* time_mono_ms() */
	loop_timer_cb cb;
	void *arg;
};

struct loop_sig {
	loop_signal_cb cb;
	void *arg;
	struct sigaction old;
	int installed;
};

struct loop {
	CURLM *multi;
	void (*curl_done)(struct loop *);
	struct loop_fd fds[LOOP_MAX_FDS];
	size_t n_fds;
	struct loop_timer *timers;
	size_t n_timers;
	size_t cap_timers;
	uint64_t next_timer_id;
	struct loop_sig sigs[NSIG];
	int stop;
};

/* Signals reach the loop through this pipe; one per process (there is one loop). */
static int sig_pipe[2] = { -1, -1 };
static volatile sig_atomic_t sig_pending[NSIG];

static void
sig_handler(int signo)
{
	int saved = errno;
	char c = (char)signo;

	if (signo > 0 && signo < NSIG)
		sig_pending[signo] = 1;
	if (sig_pipe[1] != -1)
		(void)!write(sig_pipe[1], &c, 1);
	errno = saved;
}

struct loop *
loop_new(void)
{
	struct loop *l = xcalloc(1, sizeof *l);

	l->multi = curl_multi_init();
	if (l->multi == NULL) {
		free(l);
		return NULL;
	}
	/* Keep connections for reuse: by default the cache holds four per
	 * transfer in progress, so between two refresh rounds (nothing in
	 * progress) every connection was closed and each request of the next
	 * round paid a new TCP connection (syscalls, both ends). */
	curl_multi_setopt(l->multi, CURLMOPT_MAXCONNECTS, (long)LOOP_MAX_CONNS);
	l->next_timer_id = 1;
	if (sig_pipe[0] == -1 && pipe2(sig_pipe, O_NONBLOCK | O_CLOEXEC) != 0)
		sig_pipe[0] = sig_pipe[1] = -1;
	return l;
}

void
loop_free(struct loop *l)
{
	int i;

	if (l == NULL)
		return;
	for (i = 1; i < NSIG; i++)
		if (l->sigs[i].installed)
			loop_signal(l, i, NULL, NULL);
	curl_multi_cleanup(l->multi);
	free(l->timers);
	free(l);
}

void *
loop_curl_multi(struct loop *l)
{
	return l->multi;
}

void
loop_set_curl_done(struct loop *l, void (*fn)(struct loop *))
{
	l->curl_done = fn;
}

int
loop_fd_add(struct loop *l, int fd, int events, loop_fd_cb cb, void *arg)
{
	size_t i;

	for (i = 0; i < l->n_fds; i++) {
		if (l->fds[i].fd == fd) {
			l->fds[i].events = events;
			l->fds[i].cb = cb;
			l->fds[i].arg = arg;
			return 0;
		}
	}
	if (l->n_fds == LOOP_MAX_FDS)
		return -1;
	l->fds[l->n_fds++] = (struct loop_fd){ fd, events, cb, arg };
	return 0;
}

void
loop_fd_del(struct loop *l, int fd)
{
	size_t i;

	for (i = 0; i < l->n_fds; i++) {
		if (l->fds[i].fd == fd) {
			l->fds[i] = l->fds[--l->n_fds];
			return;
		}
	}
}

uint64_t
loop_timer_add(struct loop *l, int64_t ms, loop_timer_cb cb, void *arg)
{
	if (l->n_timers == l->cap_timers) {
		l->cap_timers = l->cap_timers ? l->cap_timers * 2 : 16;
		l->timers = xreallocarray(l->timers, l->cap_timers, sizeof *l->timers);
	}
	if (ms < 0)
		ms = 0;
	l->timers[l->n_timers++] = (struct loop_timer){ l->next_timer_id, time_mono_ms() + ms,
	    cb, arg };
	return l->next_timer_id++;
}

void
loop_timer_cancel(struct loop *l, uint64_t id)
{
	size_t i;

	for (i = 0; i < l->n_timers; i++) {
		if (l->timers[i].id == id) {
			l->timers[i] = l->timers[--l->n_timers];
			return;
		}
	}
}

int
loop_signal(struct loop *l, int signo, loop_signal_cb cb, void *arg)
{
	struct sigaction sa;

	if (signo <= 0 || signo >= NSIG)
		return -1;
	if (cb == NULL) {
		if (l->sigs[signo].installed)
			sigaction(signo, &l->sigs[signo].old, NULL);
		l->sigs[signo].installed = 0;
		l->sigs[signo].cb = NULL;
		return 0;
	}
	l->sigs[signo].cb = cb;
	l->sigs[signo].arg = arg;
	if (!l->sigs[signo].installed) {
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = sig_handler;
		sigemptyset(&sa.sa_mask);
		sa.sa_flags = SA_RESTART;
		if (signo == SIGCHLD)
			sa.sa_flags |= SA_NOCLDSTOP;
		if (sigaction(signo, &sa, &l->sigs[signo].old) != 0)
			return -1;
		l->sigs[signo].installed = 1;
	}
	return 0;
}

loop_signal_cb
loop_signal_get(struct loop *l, int signo, void **arg)
{
	if (signo <= 0 || signo >= NSIG) {
		*arg = NULL;
		return NULL;
	}
	*arg = l->sigs[signo].arg;
	return l->sigs[signo].cb;
}

/* Milliseconds until the nearest timer, or -1 when there is none. */
static int64_t
loop_next_timer(struct loop *l, int64_t now)
{
	int64_t best = -1;
	size_t i;

	for (i = 0; i < l->n_timers; i++) {
		int64_t d = l->timers[i].due - now;

		if (d < 0)
			d = 0;
		if (best < 0 || d < best)
			best = d;
	}
	return best;
}

static void
loop_run_signals(struct loop *l)
{
	char drain[64];
	int i;

	while (sig_pipe[0] != -1 && read(sig_pipe[0], drain, sizeof drain) > 0)
		;
	for (i = 1; i < NSIG; i++) {
		if (!sig_pending[i])
			continue;
		sig_pending[i] = 0;
		if (l->sigs[i].cb != NULL)
			l->sigs[i].cb(i, l->sigs[i].arg);
	}
}

/* Fire due timers. A callback may add or cancel timers, so pick one at a time
 * and only those that were due when this pass started. */
static void
loop_run_timers(struct loop *l)
{
	int64_t now = time_mono_ms();
	uint64_t limit = l->next_timer_id;
	size_t i;

	for (;;) {
		struct loop_timer t;
		int found = 0;

		for (i = 0; i < l->n_timers; i++) {
			if (l->timers[i].due <= now && l->timers[i].id < limit) {
				t = l->timers[i];
				l->timers[i] = l->timers[--l->n_timers];
				found = 1;
				break;
			}
		}
		if (!found)
			return;
		t.cb(t.arg);
	}
}

void
loop_once(struct loop *l, int max_wait_ms)
{
	struct curl_waitfd wfds[LOOP_MAX_FDS + 1];
	struct loop_fd snap[LOOP_MAX_FDS];
	struct pollfd pfds[LOOP_MAX_FDS + 1];
	int64_t now = time_mono_ms(), t;
	long curl_ms = -1;
	int timeout = max_wait_ms, running, nready;
	size_t i, n = 0, nsnap = l->n_fds;

	t = loop_next_timer(l, now);
	if (t >= 0 && (timeout < 0 || t < timeout))
		timeout = (int)t;
	curl_multi_timeout(l->multi, &curl_ms);
	if (curl_ms >= 0 && (timeout < 0 || curl_ms < timeout))
		timeout = (int)curl_ms;
	if (timeout < 0)
		timeout = 1000;	/* curl_multi_poll needs a bound; a wakeup comes anyway */

	memcpy(snap, l->fds, nsnap * sizeof *snap);
	for (i = 0; i < nsnap; i++) {
		wfds[n].fd = snap[i].fd;
		wfds[n].events = (short)(((snap[i].events & LOOP_READ) ? CURL_WAIT_POLLIN : 0) |
		    ((snap[i].events & LOOP_WRITE) ? CURL_WAIT_POLLOUT : 0));
		wfds[n].revents = 0;
		n++;
	}
	if (sig_pipe[0] != -1) {
		wfds[n].fd = sig_pipe[0];
		wfds[n].events = CURL_WAIT_POLLIN;
		wfds[n].revents = 0;
		n++;
	}
	curl_multi_poll(l->multi, wfds, (unsigned)n, timeout, &nready);

	curl_multi_perform(l->multi, &running);
	if (l->curl_done != NULL)
		l->curl_done(l);

	/* curl reports only IN/OUT/PRI for extra fds; a hung-up pipe (POLLHUP alone)
	 * would wake curl_multi_poll forever without showing up. Ask poll() itself,
	 * without waiting, so such fds reach their callbacks as errors. */
	for (i = 0; i < n; i++) {
		pfds[i].fd = wfds[i].fd;
		pfds[i].events = (short)(((wfds[i].events & CURL_WAIT_POLLIN) ? POLLIN : 0) |
		    ((wfds[i].events & CURL_WAIT_POLLOUT) ? POLLOUT : 0));
		pfds[i].revents = 0;
	}
	if (n > 0 && poll(pfds, n, 0) <= 0)
		n = 0;

	if (sig_pipe[0] != -1 && n > nsnap && pfds[nsnap].revents != 0)
		loop_run_signals(l);
	for (i = 0; i < nsnap && i < n; i++) {
		int rev = 0, still = 0;
		size_t j;

		if (pfds[i].revents == 0)
			continue;
		/* An earlier callback may have removed or replaced this fd. */
		for (j = 0; j < l->n_fds; j++) {
			if (l->fds[j].fd == snap[i].fd && l->fds[j].cb == snap[i].cb &&
			    l->fds[j].arg == snap[i].arg) {
				still = 1;
				break;
			}
		}
		if (!still)
			continue;
		if (pfds[i].revents & POLLIN)
			rev |= LOOP_READ;
		if (pfds[i].revents & POLLOUT)
			rev |= LOOP_WRITE;
		if (pfds[i].revents & (POLLERR | POLLHUP | POLLNVAL))
			rev |= LOOP_ERROR | LOOP_READ;
		snap[i].cb(snap[i].fd, rev, snap[i].arg);
	}
	loop_run_timers(l);
}

void
loop_run(struct loop *l)
{
	l->stop = 0;
	while (!l->stop)
		loop_once(l, -1);
}

void
loop_break(struct loop *l)
{
	l->stop = 1;
	curl_multi_wakeup(l->multi);
}

int
loop_run_until(struct loop *l, const int *done, int64_t timeout_ms)
{
	int64_t deadline = timeout_ms < 0 ? -1 : time_mono_ms() + timeout_ms;

	while (!*done) {
		int wait = -1;

		if (deadline >= 0) {
			int64_t left = deadline - time_mono_ms();

			if (left <= 0)
				return -1;
			wait = left > 1000 ? 1000 : (int)left;
		}
		loop_once(l, wait);
	}
	return 0;
}

void
loop_wakeup(struct loop *l)
{
	curl_multi_wakeup(l->multi);
}
