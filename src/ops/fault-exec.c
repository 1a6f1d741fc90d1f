/* SPDX-License-Identifier: MIT */
/* The exec fault backend: an argv template whose {placeholders} are filled in
 * per argument from the target, run with fork/execvp (never a shell) on the
 * loop, with its exit status and bounded stderr captured and a timeout. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "milvusadm/buf.h"
#include "milvusadm/config.h"
#include "milvusadm/fault.h"
#include "milvusadm/loop.h"
#include "milvusadm/timeutil.h"
#include "milvusadm/xalloc.h"
#include "fault-int.h"

#define EXEC_MAX_ARGS		256
#define EXEC_MAX_STDERR		4096
#define EXEC_DEFAULT_TIMEOUT	60000
/* Without a pidfd, how often to look for the child's exit. */
#define EXEC_POLL_MS		20

struct fault_backend {
	struct loop *loop;
	char **tmpl;			/* the template, NULL-terminated */
	size_t n_tmpl;
	int64_t timeout_ms;
	struct exec_run *run;
	struct fault_later later;	/* a failure waiting to be reported */
};

struct exec_run {
	struct fault_backend *b;
	pid_t pid;
	int err_fd;			/* the child's stderr, -1 once closed */
	int pid_fd;			/* pidfd, or -1 (then poll_timer) */
	uint64_t poll_timer;
	uint64_t kill_timer;
	bool timed_out;
	char *prog;
	struct buf err;			/* first EXEC_MAX_STDERR bytes of stderr */
	fault_cb cb;
	void *arg;
};

static const char *const exec_names[] = {
	"host", "server_id", "address", "pod", "role", NULL,
};

/* The value of placeholder name for t; NULL when the target has none. */
static const char *
exec_value(const struct fault_target *t, const char *name, size_t n, char *num, size_t numlen)
{
	if (n == 4 && strncmp(name, "host", 4) == 0)
		return t->host;
	if (n == 9 && strncmp(name, "server_id", 9) == 0) {
		snprintf(num, numlen, "%lld", (long long)t->server_id);
		return num;
	}
	if (n == 7 && strncmp(name, "address", 7) == 0)
		return t->address;
	if (n == 3 && strncmp(name, "pod", 3) == 0)
		return t->kind != NULL && strcmp(t->kind, "etcd-member") == 0 &&
		    t->etcd_member_name != NULL ? t->etcd_member_name : t->host_name;
	if (n == 4 && strncmp(name, "role", 4) == 0)
		return t->role;
	return NULL;
}

/* Length of the placeholder name at s (after '{'), when s holds "name}". */
static size_t
exec_placeholder(const char *s)
{
	size_t n = 0;

	while ((s[n] >= 'a' && s[n] <= 'z') || s[n] == '_')
		n++;
	return n > 0 && s[n] == '}' ? n : 0;
}

static bool
exec_known(const char *s, size_t n)
{
	size_t i;

	for (i = 0; exec_names[i] != NULL; i++)
		if (strlen(exec_names[i]) == n && strncmp(exec_names[i], s, n) == 0)
			return true;
	return false;
}

/*
 * Is a value from the cluster (a session's HostName, Address, ServerID) safe
 * as a whole argument or part of one? The same rule as the k8s backend's
 * pod names, widened to what addresses need (':', '[', ']' of IPv6, '_'):
 * nothing a program could take for an option (a leading '-'), no blanks,
 * quotes, globs, control characters or anything outside ASCII, at most 253
 * bytes. A session is written by whoever can write etcd; the command it
 * reaches runs with the operator's rights.
 */
static bool
exec_value_safe(const char *v)
{
	size_t i, n = strlen(v);

	if (n == 0 || n > 253)
		return false;
	for (i = 0; i < n; i++) {
		char c = v[i];
		bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9');

		if (!alnum && strchr(".-_:[]", c) == NULL)
			return false;
		if (i == 0 && !alnum && c != '[')
			return false;
	}
	return true;
}

/* Fill one argument; -1 with err when the target lacks a value or its value
 * is not safe in an argv. */
static char *
exec_subst(const char *arg, const struct fault_target *t, char *err, size_t errlen)
{
	struct buf b = BUF_INIT;
	char num[32];
	const char *v;
	size_t n;

	buf_add(&b, "", 0);
	while (*arg != '\0') {
		if (*arg == '{' && (n = exec_placeholder(arg + 1)) > 0 && exec_known(arg + 1, n)) {
			if ((v = exec_value(t, arg + 1, n, num, sizeof num)) == NULL) {
				snprintf(err, errlen, "the target has no value for {%.*s}", (int)n, arg + 1);
				buf_release(&b);
				return NULL;
			}
			if (!exec_value_safe(v)) {
				char shown[64];
				size_t i;

				/* Shown, not echoed: the value is what is not trusted. */
				for (i = 0; v[i] != '\0' && i + 1 < sizeof shown; i++)
					shown[i] = (unsigned char)v[i] < 0x20 ||
					    (unsigned char)v[i] >= 0x7f ? '?' : v[i];
				shown[i] = '\0';
				snprintf(err, errlen, "the target's {%.*s} '%s' is not safe in a "
				    "command line (letters, digits, '.', '-', '_', ':', '[', ']'; "
				    "not starting with '-'): refused", (int)n, arg + 1, shown);
				buf_release(&b);
				return NULL;
			}
			buf_adds(&b, v);
			arg += n + 2;
			continue;
		}
		buf_addc(&b, *arg++);
	}
	return buf_detach(&b, NULL);
}

static void
exec_free_argv(char **v)
{
	size_t i;

	for (i = 0; v != NULL && v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

static char **
exec_argv(struct fault_backend *b, const struct fault_target *t, char *err, size_t errlen)
{
	char **v = xcalloc(b->n_tmpl + 1, sizeof *v);
	size_t i;

	for (i = 0; i < b->n_tmpl; i++) {
		if ((v[i] = exec_subst(b->tmpl[i], t, err, errlen)) == NULL) {
			exec_free_argv(v);
			return NULL;
		}
	}
	return v;
}

/* Shell-style quoting for display only (plan, messages); control characters
 * from the cluster are shown as '?'. */
static void
exec_show(struct buf *out, char *const *v)
{
	size_t i;
	const char *p;

	for (i = 0; v[i] != NULL; i++) {
		bool plain = *v[i] != '\0';

		for (p = v[i]; *p != '\0'; p++)
			if (strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
			    "-_./:=@,+%", *p) == NULL)
				plain = false;
		if (i > 0)
			buf_addc(out, ' ');
		if (!plain)
			buf_addc(out, '\'');
		for (p = v[i]; *p != '\0'; p++) {
			if (*p == '\'')
				buf_adds(out, "'\\''");
			else if ((unsigned char)*p < 0x20 || *p == 0x7f)
				buf_addc(out, '?');
			else
				buf_addc(out, *p);
		}
		if (!plain)
			buf_addc(out, '\'');
	}
}

static int
exec_plan(struct fault_backend *b, const struct fault_target *t, char *out, size_t outlen)
{
	struct buf s = BUF_INIT;
	char **v, dur[32];

	if ((v = exec_argv(b, t, out, outlen)) == NULL)
		return -1;
	time_format_duration(b->timeout_ms, dur, sizeof dur);
	buf_adds(&s, "exec: ");
	exec_show(&s, v);
	buf_printf(&s, "\nrun without a shell; killed after %s; a non-zero exit fails the drill\n",
	    dur);
	snprintf(out, outlen, "%s", s.data);
	buf_release(&s);
	exec_free_argv(v);
	return 0;
}

static void
exec_drain(struct exec_run *r)
{
	char chunk[1024];
	ssize_t n;

	while (r->err_fd != -1) {
		n = read(r->err_fd, chunk, sizeof chunk);
		if (n > 0) {
			if (r->err.len < EXEC_MAX_STDERR)
				buf_add(&r->err, chunk, (size_t)n < EXEC_MAX_STDERR - r->err.len ?
				    (size_t)n : EXEC_MAX_STDERR - r->err.len);
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		loop_fd_del(r->b->loop, r->err_fd);
		close(r->err_fd);
		r->err_fd = -1;
	}
}

static void
exec_stderr_cb(int fd, int revents, void *arg)
{
	exec_drain(arg);
}

/* The last non-empty line of stderr, one line, control characters as '?'. */
static void
exec_stderr_line(struct exec_run *r, char *out, size_t outlen)
{
	const char *s = r->err.data != NULL ? r->err.data : "";
	size_t len = r->err.len, end, start, i, o = 0;

	end = len;
	while (end > 0 && strchr(" \t\r\n", s[end - 1]) != NULL)
		end--;
	start = end;
	while (start > 0 && s[start - 1] != '\n')
		start--;
	for (i = start; i < end && o + 1 < outlen; i++)
		out[o++] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?' : s[i];
	if (outlen > 0)
		out[o] = '\0';
}

static void
exec_run_free(struct exec_run *r)
{
	struct loop *l = r->b->loop;

	if (r->err_fd != -1) {
		loop_fd_del(l, r->err_fd);
		close(r->err_fd);
	}
	if (r->pid_fd != -1) {
		loop_fd_del(l, r->pid_fd);
		close(r->pid_fd);
	}
	if (r->poll_timer != 0)
		loop_timer_cancel(l, r->poll_timer);
	if (r->kill_timer != 0)
		loop_timer_cancel(l, r->kill_timer);
	buf_release(&r->err);
	free(r->prog);
	free(r);
}

static void
exec_finish(struct exec_run *r, int status, bool known)
{
	struct fault_result res;
	char line[160], dur[32];
	fault_cb cb = r->cb;
	void *arg = r->arg;

	exec_drain(r);
	exec_stderr_line(r, line, sizeof line);
	memset(&res, 0, sizeof res);
	res.err = -1;
	if (r->timed_out) {
		time_format_duration(r->b->timeout_ms, dur, sizeof dur);
		snprintf(res.errmsg, sizeof res.errmsg, "command '%.60s' timed out after %s and was "
		    "killed%s%.120s", r->prog, dur, *line != '\0' ? ": " : "", line);
	} else if (!known) {
		snprintf(res.errmsg, sizeof res.errmsg, "command '%.60s' ended but its exit status "
		    "was collected elsewhere", r->prog);
	} else if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
		res.err = 0;
		res.injected_ms = time_wall_ms();
		snprintf(res.detail, sizeof res.detail, "ran '%.60s' (exit 0)%s%.150s", r->prog,
		    *line != '\0' ? ": " : "", line);
	} else if (WIFEXITED(status)) {
		snprintf(res.errmsg, sizeof res.errmsg, "command '%.60s' exited with status %d%s%.150s",
		    r->prog, WEXITSTATUS(status), *line != '\0' ? ": " : "", line);
	} else {
		snprintf(res.errmsg, sizeof res.errmsg, "command '%.60s' was killed by signal %d%s%.150s",
		    r->prog, WTERMSIG(status), *line != '\0' ? ": " : "", line);
	}
	r->b->run = NULL;
	exec_run_free(r);
	cb(&res, arg);
}

/* Reap the child if it has exited; true when done. */
static bool
exec_reap(struct exec_run *r)
{
	int status = 0;
	pid_t w;

	do
		w = waitpid(r->pid, &status, WNOHANG);
	while (w == -1 && errno == EINTR);
	if (w == 0)
		return false;
	exec_finish(r, status, w == r->pid);
	return true;
}

static void
exec_pidfd_cb(int fd, int revents, void *arg)
{
	struct exec_run *r = arg;

	if (!exec_reap(r) && (revents & LOOP_ERROR)) {
		loop_fd_del(r->b->loop, r->pid_fd);
		close(r->pid_fd);
		r->pid_fd = -1;
	}
}

static void
exec_poll_cb(void *arg)
{
	struct exec_run *r = arg;

	r->poll_timer = 0;
	if (!exec_reap(r))
		r->poll_timer = loop_timer_add(r->b->loop, EXEC_POLL_MS, exec_poll_cb, r);
}

static void
exec_kill_cb(void *arg)
{
	struct exec_run *r = arg;

	r->kill_timer = 0;
	r->timed_out = true;
	/* The whole group: ssh, kubectl and friends leave children behind. */
	kill(-r->pid, SIGKILL);
	kill(r->pid, SIGKILL);
}

static int
exec_spawn(struct fault_backend *b, char **argv, fault_cb cb, void *arg, char *err,
    size_t errlen)
{
	struct exec_run *r;
	int pipefd[2], devnull;
	pid_t pid;

	if (pipe2(pipefd, O_CLOEXEC) != 0) {
		snprintf(err, errlen, "pipe: %s", strerror(errno));
		return -1;
	}
	if ((devnull = open("/dev/null", O_RDWR | O_CLOEXEC)) == -1) {
		snprintf(err, errlen, "/dev/null: %s", strerror(errno));
		close(pipefd[0]);
		close(pipefd[1]);
		return -1;
	}
	pid = fork();
	if (pid == -1) {
		snprintf(err, errlen, "fork: %s", strerror(errno));
		close(pipefd[0]);
		close(pipefd[1]);
		close(devnull);
		return -1;
	}
	if (pid == 0) {
		/* Only async-signal-safe calls from here to exec. */
		static const char nf[] = "command not found\n";
		static const char perm[] = "permission denied\n";
		static const char other[] = "cannot execute the command\n";
		sigset_t none;
		int e;

		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		signal(SIGPIPE, SIG_DFL);
		setpgid(0, 0);
		dup2(devnull, 0);
		dup2(devnull, 1);
		dup2(pipefd[1], 2);
		execvp(argv[0], argv);
		e = errno;
		if (write(2, e == ENOENT ? nf : e == EACCES ? perm : other,
		    e == ENOENT ? sizeof nf - 1 : e == EACCES ? sizeof perm - 1 : sizeof other - 1) < 0)
			_exit(127);
		_exit(127);
	}
	close(pipefd[1]);
	close(devnull);
	r = xcalloc(1, sizeof *r);
	r->b = b;
	r->pid = pid;
	r->err_fd = pipefd[0];
	r->prog = xstrdup(argv[0]);
	r->cb = cb;
	r->arg = arg;
	fcntl(r->err_fd, F_SETFL, fcntl(r->err_fd, F_GETFL) | O_NONBLOCK);
	loop_fd_add(b->loop, r->err_fd, LOOP_READ, exec_stderr_cb, r);
	/* A pidfd needs no SIGCHLD handler, which belongs to whoever owns the loop. */
	r->pid_fd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (r->pid_fd != -1) {
		fcntl(r->pid_fd, F_SETFD, FD_CLOEXEC);
		loop_fd_add(b->loop, r->pid_fd, LOOP_READ, exec_pidfd_cb, r);
	} else {
		r->poll_timer = loop_timer_add(b->loop, EXEC_POLL_MS, exec_poll_cb, r);
	}
	r->kill_timer = loop_timer_add(b->loop, b->timeout_ms, exec_kill_cb, r);
	b->run = r;
	return 0;
}

static int
exec_inject(struct fault_backend *b, const struct fault_target *t, fault_cb cb, void *arg)
{
	char **argv, msg[256];
	int rc = -1;

	if (b->later.timer != 0 || b->run != NULL)
		return -1;
	if ((argv = exec_argv(b, t, msg, sizeof msg)) != NULL) {
		rc = exec_spawn(b, argv, cb, arg, msg, sizeof msg);
		exec_free_argv(argv);
	}
	if (rc != 0)
		fault_later_fail(&b->later, b->loop, cb, arg, msg);
	return 0;
}

static void
exec_close(struct fault_backend *b)
{
	if (b == NULL)
		return;
	fault_later_cancel(&b->later);
	if (b->run != NULL) {
		/* Closing mid-run: the command is stopped, not left behind. */
		kill(-b->run->pid, SIGKILL);
		kill(b->run->pid, SIGKILL);
		waitpid(b->run->pid, NULL, 0);
		exec_run_free(b->run);
	}
	exec_free_argv(b->tmpl);
	free(b);
}

static void
exec_push(struct fault_backend *b, const char *s, size_t n)
{
	b->tmpl = xreallocarray(b->tmpl, b->n_tmpl + 2, sizeof *b->tmpl);
	b->tmpl[b->n_tmpl++] = xstrndup(s, n);
	b->tmpl[b->n_tmpl] = NULL;
}

/* Split "argv=" into words: blanks separate, '...' and "..." group (no
 * escapes inside '...'; \" and \\ inside "..."). Nothing is expanded. */
static int
exec_split(struct fault_backend *b, const char *s, char *err, size_t errlen)
{
	struct buf w = BUF_INIT;
	bool in_word = false;
	char q;

	for (;;) {
		if (*s == '\0' || *s == ' ' || *s == '\t') {
			if (in_word)
				exec_push(b, w.data != NULL ? w.data : "", w.len);
			buf_reset(&w);
			in_word = false;
			if (*s == '\0')
				break;
			s++;
			continue;
		}
		in_word = true;
		if (*s == '\'' || *s == '"') {
			q = *s++;
			buf_add(&w, "", 0);
			while (*s != '\0' && *s != q) {
				if (q == '"' && *s == '\\' && (s[1] == '"' || s[1] == '\\'))
					s++;
				buf_addc(&w, *s++);
			}
			if (*s != q) {
				snprintf(err, errlen, "argv has an unterminated %c quote", q);
				buf_release(&w);
				return -1;
			}
			s++;
			continue;
		}
		buf_addc(&w, *s++);
	}
	buf_release(&w);
	return 0;
}

static struct fault_backend *
exec_open(struct loop *l, const struct profile *p, struct etcd *e,
    const char *const *options, char *err, size_t errlen)
{
	struct fault_backend *b = xcalloc(1, sizeof *b);
	const char *to = fault_option(options, "timeout");
	size_t i, k, n;

	b->loop = l;
	b->timeout_ms = EXEC_DEFAULT_TIMEOUT;
	for (i = 0; options != NULL && options[i] != NULL; i++) {
		const char *o = options[i];

		k = strcspn(o, "=");
		if (o[k] == '=' && k == 4 && strncmp(o, "argv", 4) == 0) {
			if (exec_split(b, o + 5, err, errlen) != 0)
				goto bad;
		} else if (o[k] == '=' && k == 3 && strncmp(o, "arg", 3) == 0) {
			exec_push(b, o + 4, strlen(o + 4));
		} else if (!(o[k] == '=' && k == 7 && strncmp(o, "timeout", 7) == 0)) {
			snprintf(err, errlen, "unknown exec option '%.*s' (argv, arg, timeout)",
			    (int)k, o);
			goto bad;
		}
	}
	if (b->n_tmpl == 0) {
		snprintf(err, errlen, "the exec backend needs a command: argv='PROG ARG...' or "
		    "arg=PROG arg=ARG... ({host} {server_id} {address} {pod} {role})");
		goto bad;
	}
	if (b->n_tmpl > EXEC_MAX_ARGS) {
		snprintf(err, errlen, "more than %d arguments", EXEC_MAX_ARGS);
		goto bad;
	}
	for (i = 0; i < b->n_tmpl; i++) {
		const char *s = b->tmpl[i];

		for (; (s = strchr(s, '{')) != NULL; s++)
			if ((n = exec_placeholder(s + 1)) > 0 && !exec_known(s + 1, n)) {
				snprintf(err, errlen, "unknown placeholder '{%.*s}' (host, server_id, "
				    "address, pod, role)", (int)n, s + 1);
				goto bad;
			}
	}
	if (*b->tmpl[0] == '\0') {
		snprintf(err, errlen, "the command name is empty");
		goto bad;
	}
	if (to != NULL && (time_parse_duration(to, &b->timeout_ms) != 0 || b->timeout_ms <= 0 ||
	    b->timeout_ms > 3600000)) {
		snprintf(err, errlen, "timeout '%s' is not a duration up to 1h", to);
		goto bad;
	}
	return b;
bad:
	exec_free_argv(b->tmpl);
	free(b);
	return NULL;
}

const struct fault_ops fault_exec_ops = {
	"exec", exec_open, exec_close, exec_plan, exec_inject, NULL,
	NULL,	/* restarts: an arbitrary command cannot say */
};
