/* SPDX-License-Identifier: MIT */
/* Colour themes: YAML files mapping semantic roles to styles, loaded with
 * positioned errors and resolved to the terminal's colour depth as a plain
 * table (no curses here, so it is testable without a terminal). */
#ifndef MILVUSADM_THEME_H
#define MILVUSADM_THEME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* What the terminal can show, weakest first. */
enum theme_depth {
	THEME_DEPTH_MONO,		/* no colour: attributes only */
	THEME_DEPTH_8,			/* the 8 basic ANSI colours */
	THEME_DEPTH_16,			/* the 8 basic and their bright forms */
	THEME_DEPTH_256,		/* xterm-256: 16 + 6x6x6 cube + 24 greys */
	THEME_DEPTH_TRUECOLOR,		/* exact 24-bit RGB */
};

/* Semantic roles; views ask for a role, never for a colour. THEME_TEXT is the
 * body text and the window background. */
enum theme_role {
	THEME_TEXT,
	THEME_OK,
	THEME_WARN,
	THEME_CRITICAL,
	THEME_ACTIVE,
	THEME_STANDBY,
	THEME_STALE,
	THEME_HEADER,
	THEME_BORDER,
	THEME_SELECTION,
	THEME_MUTED,
	THEME_ACCENT,
	THEME_BANNER,
	THEME_TITLE,
	THEME_KEY,
	THEME_DIM,
	THEME_NROLES
};

/* Style attributes, combinable. */
#define THEME_BOLD	0x1u
#define THEME_UNDERLINE	0x2u
#define THEME_REVERSE	0x4u
#define THEME_DIM_ATTR	0x8u

/* A colour as written or as resolved. For THEME_COLOUR_INDEX, value is an
 * xterm colour number 0-255 (0-15 the standard names); for RGB, 0xRRGGBB. */
enum theme_colour_kind {
	THEME_COLOUR_DEFAULT,		/* the terminal's own foreground/background */
	THEME_COLOUR_INDEX,
	THEME_COLOUR_RGB,
};
struct theme_colour {
	enum theme_colour_kind kind;
	uint32_t value;
};

/* One resolved role. At TRUECOLOR, fg/bg are as written (RGB, or an index
 * for the standard names so the terminal's scheme still applies) and
 * fg_index/bg_index hold the nearest xterm-256 colour for terminals whose
 * terminfo cannot say RGB; at the other depths fg/bg are INDEX (or DEFAULT)
 * and the *_index copy them. At MONO both are always DEFAULT. An index is -1
 * for DEFAULT. A role's "default" colour is the text role's colour. */
struct theme_style {
	struct theme_colour fg;
	struct theme_colour bg;
	int fg_index;
	int bg_index;
	unsigned attrs;			/* THEME_BOLD | ... */
};

/* The result of theme_resolve: a plain role → style table. */
struct theme_resolved {
	char name[64];
	enum theme_depth depth;
	struct theme_style roles[THEME_NROLES];
};

/* A loaded (unresolved) theme; opaque, freed with theme_free. */
struct theme;

/* Where theme_list found a theme: the first directory (in lookup order)
 * holding NAME.yaml wins; overrides says it hides a theme of the same name
 * further down the list. Strings are owned by the list. */
struct theme_entry {
	char *name;
	char *path;
	size_t dir;			/* index into the dirs given to theme_list */
	bool overrides;
};
struct theme_list {
	struct theme_entry *v;
	size_t n;
};

/* One row of `theme show`: role name and its resolved fg, bg and attributes
 * as text ("#d70000", "196", "bright-red", "default"; "bold,reverse" or "-"). */
struct theme_row {
	const char *role;
	char fg[16];
	char bg[16];
	char attrs[40];
};

/* Largest theme file read, and the deepest inherit: chain followed. */
#define THEME_MAX_SIZE		(64 * 1024)
#define THEME_MAX_INHERIT	8

/* The depth to draw with. no_color set and non-empty (no-color.org), a
 * missing or "dumb" term, or fewer than 8 colours → MONO; COLORTERM
 * "truecolor"/"24bit" with >= 256 colours, or a direct-colour terminfo
 * (>= 2^24 colours) → TRUECOLOR; else 256/16/8 from ncurses_colors.
 * ncurses_colors < 0 means not known yet: guessed from term's name. */
enum theme_depth theme_detect_depth(const char *term, const char *colorterm,
    int ncurses_colors, const char *no_color);
/* "mono", "8", "16", "256" or "truecolor". */
const char *theme_depth_name(enum theme_depth depth);

/* The role's name in theme files ("ok", "critical", ...), or NULL. */
const char *theme_role_name(enum theme_role role);
/* The role named name, or -1. */
int theme_role_find(const char *name);

/* Theme directories in lookup order: $XDG_CONFIG_HOME/milvusadm/themes (or
 * $HOME/.config/milvusadm/themes) then installed; NULL-terminated, freed
 * with theme_dirs_free. */
char **theme_dirs_default(const char *installed);
void theme_dirs_free(char **dirs);

/* Every NAME.yaml in dirs (NULL-terminated), sorted by name. */
void theme_list(const char *const *dirs, struct theme_list *out);
void theme_list_release(struct theme_list *l);

/* Load theme name from the first of dirs holding it, following inherit:.
 * NULL with a one-line "file:line:col: message" in err on failure. A theme
 * that inherits its own name gets the one from the next directory, so a user
 * file can amend the installed theme of the same name. */
struct theme *theme_load(const char *name, const char *const *dirs,
    char *err, size_t errlen);
/* Load from text; inherit: is looked up in dirs (may be NULL: no inherit).
 * file names the text in errors and is also the theme's name without its
 * directory and ".yaml". */
struct theme *theme_load_string(const char *file, const char *text,
    size_t len, const char *const *dirs, char *err, size_t errlen);
/* The compiled-in fallback used when no theme file can be read: terminal
 * colours with attributes that keep the roles apart. */
struct theme *theme_builtin(void);
void theme_free(struct theme *t);
/* The theme's name and its description (may be ""). */
const char *theme_name(const struct theme *t);
const char *theme_description(const struct theme *t);

/* Resolve t for depth into out (always succeeds). */
void theme_resolve(const struct theme *t, enum theme_depth depth,
    struct theme_resolved *out);
/* Replace the banner's background (a profile's "banner: red") with a colour
 * written as in a theme palette; -1 if colour is not one. */
int theme_set_banner(struct theme_resolved *r, const char *colour);
/* Fill rows (THEME_NROLES of them) for `theme show`; returns THEME_NROLES. */
size_t theme_describe(const struct theme_resolved *r,
    struct theme_row rows[THEME_NROLES]);

/* Parse a colour literal: "#rrggbb", "0".."255", a standard name
 * ("bright-red") or "default". -1 if it is none of these. */
int theme_colour_parse(const char *s, struct theme_colour *out);
/* The 0xRRGGBB an xterm shows for colour number index (0-255). */
uint32_t theme_index_rgb(int index);
/* The nearest colour to rgb among the first n xterm colours (8 or 16), or in
 * the 256 cube and grey ramp when n is 256, by squared RGB distance. For 8
 * and 16 a colour keeps its hue: the nearest of the six hues, then the
 * nearer of its normal and bright forms; a grey matches a grey. */
int theme_nearest(uint32_t rgb, int n);
/* WCAG 2 contrast ratio of two sRGB colours (1 to 21). */
double theme_contrast(uint32_t a, uint32_t b);

#endif
