/* SPDX-License-Identifier: MIT */
/* milvusadm's entry point: picks the mode and maps the result to an exit code. */
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "build-config.h"
#include "milvusadm/cmd.h"
#include "milvusadm/http.h"
#include "milvusadm/loop.h"

static int
main_usage(void)
{
	fprintf(stderr, "usage: milvusadm [--version] [-p PROFILE] [COMMAND [ARGS...]]\n");
	return CMD_USAGE;
}

int
main(int argc, char **argv)
{
	struct cmd_ctx ctx;
	struct loop *loop;
	const char *profile = NULL;
	char *watch[] = { "watch", NULL };
	int i = 1, rc;

	while (i < argc && argv[i][0] == '-') {
		if (strcmp(argv[i], "--version") == 0) {
			printf("milvusadm %s\n", MILVUSADM_VERSION);
			return CMD_OK;
		}
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			argv[i] = "help";
			break;
		}
		if (strcmp(argv[i], "-p") == 0 && i + 1 < argc) {
			profile = argv[i + 1];
			i += 2;
			continue;
		}
		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		}
		fprintf(stderr, "milvusadm: unknown option '%s'\n", argv[i]);
		return main_usage();
	}
	signal(SIGPIPE, SIG_IGN);
	http_global_init();
	loop = loop_new();
	if (loop == NULL) {
		fprintf(stderr, "milvusadm: cannot set up the event loop\n");
		return CMD_FAILED;
	}
	cmd_ctx_init(&ctx, loop, stdout, stderr);
	ctx.profile = profile;
	/* No command: the live status view (the TUI will take this over). */
	if (i == argc)
		rc = cmd_run(&ctx, 1, watch);
	else
		rc = cmd_run(&ctx, argc - i, argv + i);
	fflush(stdout);
	loop_free(loop);
	http_global_cleanup();
	return rc;
}
