/* SPDX-License-Identifier: MIT */
/* Placeholder: being written. */
#include "supervisor.h"

int
supervisor_main(int argc, char **argv)
{
	return 1;
}
