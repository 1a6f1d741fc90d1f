/* SPDX-License-Identifier: MIT */
/* Which theme to draw with and where themes live: the --theme flag, the
 * choice saved by `theme use`, the profile's ui.theme, then "default".
 * Shared by the TUI and the theme commands; no curses here. */
#ifndef MILVUSADM_THEME_CHOICE_H
#define MILVUSADM_THEME_CHOICE_H

#include <stddef.h>

/* Where a chosen theme name came from. */
enum theme_from {
	THEME_FROM_FLAG,		/* --theme NAME */
	THEME_FROM_SAVED,		/* $XDG_STATE_HOME/milvusadm/theme */
	THEME_FROM_PROFILE,		/* the profile's ui.theme */
	THEME_FROM_DEFAULT,
};

/* Remember the --theme flag (main calls this before running anything). */
void theme_choice_set_flag(const char *name);
/* The installed themes: the source tree's themes/ when the binary runs from
 * its build directory, else DATADIR/milvusadm/themes. */
const char *theme_choice_installed(void);
/* theme_dirs_default() with the installed directory; free with theme_dirs_free. */
char **theme_choice_dirs(void);
/* $XDG_STATE_HOME/milvusadm/theme; caller frees; NULL with no state directory. */
char *theme_choice_path(void);
/* Save name as the chosen theme (mode 0600 file, directories made). */
int theme_choice_save(const char *name, char *err, size_t errlen);
/* The theme to use given the profile's ui.theme (may be NULL); *from says
 * which rule picked it. Caller frees. */
char *theme_choice_name(const char *profile_theme, enum theme_from *from);
/* "--theme", "theme use", "profile", "default". */
const char *theme_from_name(enum theme_from from);

#endif
