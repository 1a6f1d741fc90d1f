/* SPDX-License-Identifier: MIT */
/* Which lab a `milvusadm lab` verb means when it is given no --name: the one
 * behind the current profile, else the only one running, else a question. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "milvusadm/buf.h"
#include "milvusadm/cmd.h"
#include "milvusadm/config.h"
#include "milvusadm/lab.h"
#include "milvusadm/xalloc.h"
#include "cmd-lab.h"

static int
lab_find_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Is there a lab called name: any (its directory), or a running one? */
static bool
lab_find_is(const char *name, bool running)
{
	char *dir = lab_dir_path(name);
	bool is = running ? lab_supervisor_pid(dir) != 0 : access(dir, F_OK) == 0;

	free(dir);
	return is;
}

char **
lab_find_names(bool running, size_t *n)
{
	char *root = lab_dir_path(""), err[256], **v;
	struct dirent *de;
	DIR *d;

	*n = 0;
	v = xcalloc(1, sizeof *v);
	d = opendir(root);
	free(root);
	if (d == NULL)
		return v;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.' || lab_check_name(de->d_name, err, sizeof err) == -1 ||
		    (running && !lab_find_is(de->d_name, true)))
			continue;
		v = xreallocarray(v, *n + 2, sizeof *v);
		v[(*n)++] = xstrdup(de->d_name);
		v[*n] = NULL;
	}
	closedir(d);
	/* readdir's order is the file system's: messages list labs by name. */
	qsort(v, *n, sizeof *v, lab_find_cmp);
	return v;
}

/* The lab a profile stands for: `lab up` names the default lab's profile "lab"
 * and lab NAME's "lab-NAME" (cmd-lab.c). false when it is no lab's. */
static bool
lab_of_profile(const char *profile, char *name, size_t len)
{
	char err[256];

	if (profile == NULL)
		return false;
	if (strcmp(profile, "lab") == 0) {
		snprintf(name, len, "default");
		return true;
	}
	if (strncmp(profile, "lab-", 4) != 0 || lab_check_name(profile + 4, err,
	    sizeof err) == -1)
		return false;
	snprintf(name, len, "%s", profile + 4);
	return true;
}

/*
 * The profile other commands would use without -p. The lab verbs load no
 * config otherwise (a broken file must never keep a lab from being stopped),
 * so a file that does not load counts as naming no profile.
 */
static bool
lab_default_profile_lab(char *name, size_t len, char *profile, size_t plen)
{
	const struct profile *p;
	struct config *c;
	char err[512];
	bool ok = false;

	if ((c = config_load(NULL, err, sizeof err)) == NULL)
		return false;
	p = config_profile(c, NULL);
	if (p != NULL && lab_of_profile(p->name, name, len)) {
		snprintf(profile, plen, "%s", p->name);
		ok = true;
	}
	config_free(c);
	return ok;
}

static void
lab_find_list(struct buf *b, char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		buf_printf(b, "%s'%s'", i == 0 ? "" : i + 1 == n ? " and " : ", ", v[i]);
}

/* Take name as the lab meant. */
static int
lab_find_use(struct lab_args *a, const char *name)
{
	snprintf(a->name_buf, sizeof a->name_buf, "%s", name);
	a->name = a->name_buf;
	return CMD_OK;
}

int
lab_find(struct cmd_ctx *ctx, struct lab_args *a)
{
	char name[64], profile[128], **run, **all;
	struct buf b = BUF_INIT;
	size_t nrun, nall;
	bool have;
	int rc;

	/* -p names the lab outright, running or not: its verbs then say which. */
	if (lab_of_profile(ctx->profile, name, sizeof name))
		return lab_find_use(a, name);
	have = ctx->profile == NULL &&
	    lab_default_profile_lab(name, sizeof name, profile, sizeof profile);
	if (have && lab_find_is(name, true))
		return lab_find_use(a, name);
	/* The default profile outlives its lab: `lab up` sets it once, and a
	 * lab brought up later under another name is the one meant now. */
	run = lab_find_names(true, &nrun);
	if (nrun == 1) {
		if (have)
			fprintf(ctx->err, "milvusadm: using lab '%s', the only one running "
			    "(profile '%s' is lab '%s', which is not)\n", run[0], profile, name);
		rc = lab_find_use(a, run[0]);
	} else if (nrun > 1) {
		lab_find_list(&b, run, nrun);
		rc = cmd_error(ctx, CMD_USAGE, "%zu labs are running: %s; say which with "
		    "--name NAME (or -p lab-NAME)", nrun, b.data);
	} else if (have && lab_find_is(name, false)) {
		/* None runs: the profile's lab, made once, can say so itself
		 * (and `lab down` can still clear what a dead supervisor left). */
		rc = lab_find_use(a, name);
	} else {
		all = lab_find_names(false, &nall);
		if (nall > 0) {
			lab_find_list(&b, all, nall);
			rc = cmd_error(ctx, CMD_FAILED, "no lab is running (stopped: %s; "
			    "'milvusadm lab up --name NAME' starts one again)", b.data);
		} else
			rc = cmd_error(ctx, CMD_FAILED, "no lab is running (start one with "
			    "'milvusadm lab up')");
		lab_strv_free(all);
	}
	buf_release(&b);
	lab_strv_free(run);
	return rc;
}
