/* SPDX-License-Identifier: MIT */
/* Processes of `milvusadm lab`: finding its programs, starting the supervisor
 * detached, and finding what a lab left running. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "build-config.h"
#include "milvusadm/lab.h"
#include "milvusadm/xalloc.h"
#include "lab-proc.h"

/* Search PATH for an executable; caller frees. */
static char *
lab_which(const char *prog)
{
	const char *path = getenv("PATH"), *p;
	char *cand;

	if (strchr(prog, '/') != NULL)
		return access(prog, X_OK) == 0 ? realpath(prog, NULL) : NULL;
	if (path == NULL)
		path = "/usr/local/bin:/usr/bin:/bin";
	for (p = path; ; ) {
		size_t n = strcspn(p, ":");
		cand = xasprintf("%.*s/%s", (int)n, n ? p : ".", prog);
		if (access(cand, X_OK) == 0)
			return cand;
		free(cand);
		if (p[n] == '\0')
			return NULL;
		p += n + 1;
	}
}

/* milvusadm-labd: $MILVUSADM_LABD, beside this binary (installed or in the build
 * tree), the libexec dir, then PATH. */
char *
lab_proc_find_labd(void)
{
	const char *env = getenv("MILVUSADM_LABD");
	char self[PATH_MAX], *slash, *cand;
	ssize_t n;

	if (env != NULL && env[0] != '\0')
		return lab_which(env);
	n = readlink("/proc/self/exe", self, sizeof self - 1);
	if (n > 0) {
		self[n] = '\0';
		slash = strrchr(self, '/');
		if (slash != NULL) {
			*slash = '\0';
			cand = xasprintf("%s/milvusadm-labd", self);
			if (access(cand, X_OK) == 0)
				return cand;
			free(cand);
			cand = xasprintf("%s/lab/milvusadm-labd", self);
			if (access(cand, X_OK) == 0)
				return cand;
			free(cand);
		}
	}
	cand = xasprintf("%s/milvusadm-labd", MILVUSADM_LIBEXECDIR);
	if (access(cand, X_OK) == 0)
		return cand;
	free(cand);
	return lab_which("milvusadm-labd");
}

char *
lab_proc_find_etcd(void)
{
	const char *env = getenv("MILVUSADM_ETCD");

	return lab_which(env != NULL && env[0] != '\0' ? env : "etcd");
}


/* Start the supervisor detached from us: its own session, stdio to supervisor.log. */
int
lab_proc_spawn_supervisor(const struct lab *lab, char *err, size_t errlen)
{
	char *logpath = lab_path(lab, "supervisor.log");
	pid_t pid;
	int status, fd;

	pid = fork();
	if (pid == -1) {
		snprintf(err, errlen, "cannot fork: %s", strerror(errno));
		free(logpath);
		return -1;
	}
	if (pid == 0) {
		sigset_t none;

		setsid();
		if (fork() != 0) {
			free(logpath);
			_exit(0);
		}
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		if (chdir(lab->dir) == -1)
			_exit(127);
		fd = open("/dev/null", O_RDWR);
		if (fd != -1)
			dup2(fd, 0);
		fd = open(logpath, O_WRONLY | O_CREAT | O_APPEND, 0600);
		if (fd != -1) {
			dup2(fd, 1);
			dup2(fd, 2);
		}
		closefrom(3);
		execl(lab->labd, lab->labd, "supervise", "--dir", lab->dir, (char *)NULL);
		_exit(127);
	}
	free(logpath);
	while (waitpid(pid, &status, 0) == -1 && errno == EINTR)
		;
	return 0;
}

/* Is this process one of the lab's programs (labd or etcd, maybe via a script)? */
static bool
lab_is_lab_program(const struct lab *lab, pid_t pid)
{
	char cmd[4096];
	const char *names[4], *arg, *base;
	size_t n, i, k, off;

	n = lab_proc_read(pid, "cmdline", cmd, sizeof cmd);
	names[0] = "milvusadm-labd";
	names[1] = "etcd";
	names[2] = strrchr(lab->labd, '/') ? strrchr(lab->labd, '/') + 1 : lab->labd;
	names[3] = strrchr(lab->etcd, '/') ? strrchr(lab->etcd, '/') + 1 : lab->etcd;
	/* argv[0], or argv[1] when an interpreter runs a script. */
	for (k = 0, off = 0; k < 2 && off < n; k++, off += strlen(cmd + off) + 1) {
		arg = cmd + off;
		base = strrchr(arg, '/') ? strrchr(arg, '/') + 1 : arg;
		for (i = 0; i < 4; i++) {
			if (strcmp(base, names[i]) == 0)
				return true;
		}
	}
	return false;
}

/* Every live process of this lab: the state file's pids and, in case the state is
 * stale, any lab program whose command line names the lab directory. */
size_t
lab_proc_leftovers(const struct lab *lab, pid_t *pids, size_t max)
{
	struct dirent *de;
	size_t n = 0, i;
	DIR *d;

	for (i = 0; i < lab->n_members && n < max; i++) {
		if (lab_pid_is_ours(lab->members[i].pid, lab->dir))
			pids[n++] = lab->members[i].pid;
	}
	d = opendir("/proc");
	if (d == NULL)
		return n;
	while ((de = readdir(d)) != NULL && n < max) {
		char *end;
		long pid = strtol(de->d_name, &end, 10);
		bool seen = false;

		if (*end != '\0' || pid <= 0 || pid == getpid())
			continue;
		for (i = 0; i < n; i++)
			seen |= pids[i] == (pid_t)pid;
		if (!seen && lab_pid_is_ours((pid_t)pid, lab->dir) &&
		    lab_is_lab_program(lab, (pid_t)pid))
			pids[n++] = (pid_t)pid;
	}
	closedir(d);
	return n;
}

