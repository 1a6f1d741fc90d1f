/* SPDX-License-Identifier: MIT */
/* milvusadm's entry point: picks the mode (one command, -c, -f, piped stdin,
 * the shell, the live view) and maps the result to an exit code. */
#include <errno.h>
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "build-config.h"
#include "milvusadm/cmd.h"
#include "milvusadm/http.h"
#include "milvusadm/loop.h"
#include "milvusadm/repl.h"
#include "milvusadm/tui.h"
#include "ui/theme-choice.h"

struct main_opts {
	const char *profile;
	const char *text;		/* -c */
	const char *runbook;		/* -f */
	bool keep_going;
	bool read_only;
	int format;			/* -1: by the terminal */
	const char *theme;		/* --theme */
};

static int
main_usage(void)
{
	fprintf(stderr, "usage: milvusadm [--version] [-p PROFILE] [-o json|table|tsv|prom] "
	    "[--read-only]\n"
	    "                 [--theme NAME] [--keep-going]\n"
	    "                 [-c 'CMD; CMD' | -f RUNBOOK | COMMAND [ARGS...]]\n");
	return CMD_USAGE;
}

/* The value of option argv[*i] ("-p X", "-pX", "--profile X", "--profile=X"),
 * advancing *i past it; NULL if argv[*i] is not that option. */
static const char *
main_value(int argc, char **argv, int *i, const char *shrt, const char *lng, bool *missing)
{
	const char *a = argv[*i];
	size_t n = strlen(lng);

	if (strcmp(a, shrt) == 0 || strcmp(a, lng) == 0) {
		if (*i + 1 >= argc) {
			*missing = true;
			return NULL;
		}
		*i += 2;
		return argv[*i - 1];
	}
	if (strncmp(a, shrt, 2) == 0 && a[1] != '-' && a[2] != '\0') {
		*i += 1;
		return a + 2;
	}
	if (strncmp(a, lng, n) == 0 && a[n] == '=') {
		*i += 1;
		return a + n + 1;
	}
	return NULL;
}

/* Parse the options before the command. Returns the index of the command's
 * first word, or -1 (usage error reported), or -2 (--version printed). */
static int
main_parse(int argc, char **argv, struct main_opts *o)
{
	const char *v;
	bool missing = false;
	int i = 1;

	while (i < argc && argv[i][0] == '-' && argv[i][1] != '\0') {
		const char *a = argv[i];

		if (strcmp(a, "--version") == 0) {
			printf("milvusadm %s\n", MILVUSADM_VERSION);
			return -2;
		}
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			argv[i] = "help";
			return i;
		}
		if (strcmp(a, "--") == 0)
			return i + 1;
		if (strcmp(a, "--keep-going") == 0) {
			o->keep_going = true;
			i++;
		} else if (strcmp(a, "--read-only") == 0) {
			o->read_only = true;
			i++;
		} else if ((v = main_value(argc, argv, &i, "-p", "--profile", &missing)) != NULL)
			o->profile = v;
		else if ((v = main_value(argc, argv, &i, "-c", "--command", &missing)) != NULL)
			o->text = v;
		else if ((v = main_value(argc, argv, &i, "-f", "--file", &missing)) != NULL)
			o->runbook = v;
		else if ((v = main_value(argc, argv, &i, "--theme", "--theme", &missing)) != NULL)
			o->theme = v;
		else if ((v = main_value(argc, argv, &i, "-o", "--output", &missing)) != NULL) {
			if ((o->format = out_format_parse(v)) == -1) {
				fprintf(stderr, "milvusadm: output '%s' is not one of json, "
				    "table, tsv, prom\n", v);
				return -1;
			}
		} else {
			/* One line, like every other error; help has the rest. */
			if (missing)
				fprintf(stderr, "milvusadm: option '%s' needs a value\n", a);
			else
				fprintf(stderr, "milvusadm: unknown option '%s' (try 'milvusadm "
				    "help')\n", a);
			return -1;
		}
	}
	return i;
}

/* Is the command named by argv the shell? (It is a mode, not a handler.) */
static bool
main_is_shell(int argc, char **argv)
{
	const struct cmd_entry *e;
	char err[256];
	int n;

	e = cmd_find(argc, argv, &n, err, sizeof err);
	return e != NULL && strcmp(e->name, "shell") == 0 && n == argc;
}

static int
main_runbook(struct cmd_ctx *ctx, const struct main_opts *o)
{
	struct cmd_script s = { o->runbook, o->keep_going, 0, false };
	FILE *f;
	int rc;

	if (strcmp(o->runbook, "-") == 0) {
		s.name = "<stdin>";
		return cmd_script_file(ctx, &s, stdin);
	}
	f = fopen(o->runbook, "r");
	if (f == NULL)
		return cmd_error(ctx, CMD_FAILED, "cannot open runbook '%s': %s", o->runbook,
		    strerror(errno));
	rc = cmd_script_file(ctx, &s, f);
	fclose(f);
	return rc;
}

static int
main_dispatch(struct cmd_ctx *ctx, const struct main_opts *o, int argc, char **argv)
{
	struct cmd_script s = { NULL, o->keep_going, 0, false };
	const char *why;

	if ((o->text != NULL) + (o->runbook != NULL) + (argc > 0) > 1) {
		fprintf(stderr, "milvusadm: give one of -c, -f or a command\n");
		return main_usage();
	}
	if (o->text != NULL)
		return cmd_script_text(ctx, &s, o->text, 1);
	if (o->runbook != NULL)
		return main_runbook(ctx, o);
	if (argc > 0 && main_is_shell(argc, argv))
		return repl_run(ctx);
	if (argc > 0)
		return cmd_run(ctx, argc, argv);
	/* No command: a script on a pipe, else the TUI on a terminal. */
	if (!isatty(STDIN_FILENO)) {
		s.name = "<stdin>";
		return cmd_script_file(ctx, &s, stdin);
	}
	if ((why = tui_unavailable()) != NULL) {
		fprintf(stderr, "milvusadm: no TUI here (%s): use 'milvusadm shell', or script "
		    "mode: 'milvusadm COMMAND', -c 'CMD; CMD', -f RUNBOOK\n", why);
		return CMD_USAGE;
	}
	return tui_run(ctx);
}

int
main(int argc, char **argv)
{
	struct main_opts o = { NULL, NULL, NULL, false, false, -1, NULL };
	struct cmd_ctx ctx;
	struct loop *loop;
	int i, rc;

	setlocale(LC_CTYPE, "");
	if ((i = main_parse(argc, argv, &o)) < 0)
		return i == -2 ? CMD_OK : CMD_USAGE;
	signal(SIGPIPE, SIG_IGN);
	theme_choice_set_flag(o.theme);
	http_global_init();
	loop = loop_new();
	if (loop == NULL) {
		fprintf(stderr, "milvusadm: cannot set up the event loop\n");
		return CMD_FAILED;
	}
	cmd_ctx_init(&ctx, loop, stdout, stderr);
	ctx.profile = o.profile;
	ctx.read_only = o.read_only;
	if (o.format != -1)
		ctx.format = (enum out_format)o.format;
	rc = main_dispatch(&ctx, &o, argc - i, argv + i);
	fflush(stdout);
	loop_free(loop);
	http_global_cleanup();
	return rc;
}
