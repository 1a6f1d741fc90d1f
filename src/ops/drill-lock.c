/* SPDX-License-Identifier: MIT */
/* The drill lock: one drill at a time per user, a flock held for the whole drill. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "drill-int.h"
#include "milvusadm/xalloc.h"

/*
 * The lock is the flock, not the file: the kernel drops it when the holder
 * exits or crashes, so a file left behind is no lock and is simply taken. The
 * pid written into the file is for the "another drill is running" message
 * only. Release unlinks the file while still holding it, so a taker that
 * opened it before may lock a file no longer at the path: it checks that the
 * file it locked is the one the path names, and tries again if not.
 *
 * The callers name a lock by its path, so the descriptors this process holds
 * are kept here, one per path.
 */
struct lock_held {
	char *path;
	int fd;
	struct lock_held *next;
};

static struct lock_held *held;

/* A holder has just locked and not yet written its pid, or a reader's shared
 * probe is in the way: both last microseconds, so retry briefly. */
#define LOCK_RETRIES	50
#define LOCK_RETRY_NS	1000000L

static void
lock_pause(void)
{
	struct timespec ts = { 0, LOCK_RETRY_NS };

	(void)nanosleep(&ts, NULL);
}

static pid_t
lock_read_pid(int fd)
{
	char b[32], *end;
	ssize_t n;
	long v;

	if ((n = pread(fd, b, sizeof b - 1, 0)) <= 0)
		return 0;
	b[n] = '\0';
	errno = 0;
	v = strtol(b, &end, 10);
	if (errno != 0 || end == b || v <= 0 || (*end != '\n' && *end != '\0'))
		return 0;
	return (pid_t)v;
}

static struct lock_held **
lock_find(const char *path)
{
	struct lock_held **hp;

	for (hp = &held; *hp != NULL; hp = &(*hp)->next) {
		if (strcmp((*hp)->path, path) == 0)
			break;
	}
	return hp;
}

pid_t
drill_lock_holder(const char *path)
{
	pid_t pid = 0;
	int fd, i;

	if (*lock_find(path) != NULL)
		return getpid();
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return 0;
	/* A shared lock granted means no drill holds the exclusive one. */
	if (flock(fd, LOCK_SH | LOCK_NB) == 0 || errno != EWOULDBLOCK) {
		close(fd);
		return 0;
	}
	for (i = 0; i < LOCK_RETRIES && (pid = lock_read_pid(fd)) == 0; i++)
		lock_pause();
	close(fd);
	/* Held, but the holder wrote no pid: still a holder. */
	return pid != 0 ? pid : -1;
}

/* Whether fd is the file path names now (not one a release unlinked). */
static bool
lock_is_path(int fd, const char *path)
{
	struct stat a, b;

	return fstat(fd, &a) == 0 && stat(path, &b) == 0 && a.st_dev == b.st_dev &&
	    a.st_ino == b.st_ino;
}

int
drill_lock_take(const char *path, bool *refused, char *err, size_t errlen)
{
	struct lock_held *h;
	char b[32];
	pid_t holder;
	size_t len;
	int fd, i;

	for (i = 0;; i++) {
		fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
		if (fd == -1) {
			snprintf(err, errlen, "cannot open lock '%s': %s", path, strerror(errno));
			return -1;
		}
		if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
			if (lock_is_path(fd, path))
				break;
			if (i >= LOCK_RETRIES) {
				/* Released and taken again every time we looked. */
				close(fd);
				*refused = true;
				snprintf(err, errlen, "another drill is running (lock '%s')",
				    path);
				return -1;
			}
		} else if (errno != EWOULDBLOCK) {
			snprintf(err, errlen, "cannot lock '%s': %s", path, strerror(errno));
			close(fd);
			return -1;
		} else if (i >= LOCK_RETRIES) {
			holder = lock_read_pid(fd);
			close(fd);
			*refused = true;
			if (holder > 0) {
				snprintf(err, errlen, "another drill is running (pid %ld, "
				    "lock '%s')", (long)holder, path);
			} else
				snprintf(err, errlen, "another drill is running (lock '%s')",
				    path);
			return -1;
		}
		close(fd);
		lock_pause();
	}
	snprintf(b, sizeof b, "%ld\n", (long)getpid());
	len = strlen(b);
	if (ftruncate(fd, 0) == -1 || pwrite(fd, b, len, 0) != (ssize_t)len) {
		/* The flock excludes without it; the pid is only a hint. */
	}
	h = xmalloc(sizeof *h);
	h->path = xstrdup(path);
	h->fd = fd;
	h->next = held;
	held = h;
	return 0;
}

void
drill_lock_release(const char *path)
{
	struct lock_held **hp, *h;

	/* Only a lock this process holds: another drill's file stays. */
	hp = lock_find(path);
	if ((h = *hp) == NULL)
		return;
	*hp = h->next;
	/* Gone while still locked: a taker that opened it since sees it is not
	 * the path's file any more. */
	if (lock_is_path(h->fd, path))
		(void)unlink(path);
	close(h->fd);
	free(h->path);
	free(h);
}
