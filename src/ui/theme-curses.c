/* SPDX-License-Identifier: MIT */
/* The bridge from a resolved theme (plain table) to ncurses colour pairs. */
#include <string.h>

#include "theme-curses.h"

static attr_t
theme_curses_flags(unsigned attrs)
{
	attr_t a = A_NORMAL;

	if (attrs & THEME_BOLD)
		a |= A_BOLD;
	if (attrs & THEME_UNDERLINE)
		a |= A_UNDERLINE;
	if (attrs & THEME_REVERSE)
		a |= A_REVERSE;
	if (attrs & THEME_DIM_ATTR)
		a |= A_DIM;
	return a;
}

/* The curses colour number for c: a direct-colour terminfo (COLORS of 2^24,
 * as xterm-direct) takes RGB values as colour numbers; otherwise the
 * nearest xterm index stands in. */
static int
theme_curses_colour(struct theme_colour c, int index)
{
	uint32_t rgb;

	if (c.kind == THEME_COLOUR_DEFAULT)
		return -1;
	if (COLORS >= 0x1000000) {
		rgb = c.kind == THEME_COLOUR_RGB ? c.value :
		    theme_index_rgb((int)c.value);
		/* Numbers below 8 are still the indexed colours there. */
		return rgb < 8 ? 8 : (int)rgb;
	}
	return index < COLORS ? index : -1;
}

int
theme_curses_init(struct theme_curses *tc, const struct theme_resolved *r,
    int first_pair)
{
	const struct theme_style *s;
	int i, fg, bg, pair, rc = 0;

	memset(tc, 0, sizeof *tc);
	for (i = 0; i < THEME_NROLES; i++)
		tc->attrs[i] = theme_curses_flags(r->roles[i].attrs);
	if (r->depth == THEME_DEPTH_MONO || !has_colors())
		return 0;
	/* -1 (the terminal's own colours) needs this. */
	use_default_colors();
	for (i = 0; i < THEME_NROLES; i++) {
		s = &r->roles[i];
		pair = first_pair + i;
		fg = theme_curses_colour(s->fg, s->fg_index);
		bg = theme_curses_colour(s->bg, s->bg_index);
		if (pair >= COLOR_PAIRS) {
			rc = -1;
			continue;
		}
#if NCURSES_EXT_COLORS
		if (init_extended_pair(pair, fg, bg) == ERR) {
#else
		if (fg > 32767 || bg > 32767 ||
		    init_pair((short)pair, (short)fg, (short)bg) == ERR) {
#endif
			rc = -1;
			continue;
		}
		tc->pair[i] = pair;
	}
	return rc;
}

void
theme_curses_set(const struct theme_curses *tc, WINDOW *w, enum theme_role role)
{
	int pair = tc->pair[role];

	/* The opts pointer carries pairs beyond a short (ncurses 6.1). */
	wattr_set(w, tc->attrs[role], (short)(pair < 32768 ? pair : 0), &pair);
}

attr_t
theme_curses_attr(const struct theme_curses *tc, enum theme_role role)
{
	attr_t a = tc->attrs[role];

	if (tc->pair[role] > 0 && tc->pair[role] < 256)
		a |= COLOR_PAIR(tc->pair[role]);
	return a;
}
