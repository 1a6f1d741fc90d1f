/* SPDX-License-Identifier: MIT */
/* The theme module's private types, shared by theme.c (colours, resolution)
 * and theme-load.c (YAML files, inheritance, directories). */
#ifndef MILVUSADM_THEME_INT_H
#define MILVUSADM_THEME_INT_H

#include "milvusadm/theme.h"

#define THEME_NAME_MAX		64	/* theme, palette and colour names */
#define THEME_MAX_PALETTE	256

/* A named palette colour; a later entry of the same name replaces it.
 * ansi (-1: none) is the basic colour 0-15 to use at 8 and 16 colours, where
 * nearest-colour matching would pick a hue the theme did not mean. */
struct theme_pal {
	char name[THEME_NAME_MAX];
	struct theme_colour c;
	int ansi;
};

/* A role's style as written: colours are kept as text (a palette name or a
 * literal) so that a child theme redefining a palette name recolours the
 * roles it inherits; fgc/bgc hold them bound against the theme's palette. */
struct theme_role_def {
	char fg[THEME_NAME_MAX];	/* "" = terminal default */
	char bg[THEME_NAME_MAX];
	struct theme_colour fgc;
	struct theme_colour bgc;
	unsigned attrs;
	int fg_ansi;			/* from the palette; -1: none */
	int bg_ansi;
};

/* Owns description and pal. */
struct theme {
	char name[THEME_NAME_MAX];
	char *description;
	struct theme_pal *pal;
	size_t npal;
	struct theme_role_def roles[THEME_NROLES];
};

/* The attributes used at MONO for roles that a theme tells apart by colour. */
extern const unsigned theme_mono_attrs[THEME_NROLES];

/* Look colour text up in t's palette, then as a literal; -1 if neither.
 * ansi gets the palette entry's basic-colour fallback, or -1. */
int theme_bind(const struct theme *t, const char *text, struct theme_colour *out,
    int *ansi);
/* Parse a literal colour; on failure -1 with a message in err. */
int theme_colour_parse_err(const char *s, struct theme_colour *out,
    char *err, size_t errlen);
/* A theme with the base roles, no palette, named name. */
struct theme *theme_new_base(const char *name);
/* Deep copy of src into dst (dst's old contents are not freed). */
void theme_copy(struct theme *dst, const struct theme *src);
/* Whether s is a valid theme name: [A-Za-z0-9._-], 1-63 chars, no leading dot. */
bool theme_name_valid(const char *s);

#endif
