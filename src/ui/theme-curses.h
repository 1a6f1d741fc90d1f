/* SPDX-License-Identifier: MIT */
/* Applying a resolved theme to ncurses: colour pairs and attributes per role.
 * Private to src/ui (the only place curses is included). */
#ifndef MILVUSADM_THEME_CURSES_H
#define MILVUSADM_THEME_CURSES_H

#include <curses.h>

#include "milvusadm/theme.h"

/* Pair numbers and attributes for each role; filled by theme_curses_init
 * and owned by the caller (the TUI keeps one). */
struct theme_curses {
	int pair[THEME_NROLES];		/* 0 = none (MONO) */
	attr_t attrs[THEME_NROLES];	/* A_BOLD | ..., without the pair */
};

/* After initscr() and start_color(): define pairs first_pair..first_pair +
 * THEME_NROLES - 1 for r. Returns -1 if curses refused a pair (the role is
 * then drawn with attributes only). */
int theme_curses_init(struct theme_curses *tc, const struct theme_resolved *r,
    int first_pair);
/* Draw with role from now on in w. */
void theme_curses_set(const struct theme_curses *tc, WINDOW *w,
    enum theme_role role);
/* The role's attributes and pair as one attr_t (for bkgd and chtype use;
 * pairs above 255 do not fit and are dropped). */
attr_t theme_curses_attr(const struct theme_curses *tc, enum theme_role role);

#endif
