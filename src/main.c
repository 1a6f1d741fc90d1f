/* SPDX-License-Identifier: MIT */
/* Placeholder main: being written. */
int
main(void)
{
	return 0;
}
