/* SPDX-License-Identifier: MIT */
/* Placeholder: being written. */
#include <string.h>
#include "supervisor.h"

int
main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "supervise") == 0)
		return supervisor_main(argc - 1, argv + 1);
	return 1;
}
