/* SPDX-License-Identifier: MIT */
/* Theme colours and their resolution: colour literals, the xterm palette,
 * nearest-colour matching, colour depth detection, and the role table that
 * views draw with. No curses here (theme-curses.c applies the table). */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "milvusadm/theme.h"
#include "milvusadm/xalloc.h"
#include "theme-int.h"

static const char *const theme_role_names[THEME_NROLES] = {
	"text", "ok", "warn", "critical", "active", "standby", "stale",
	"header", "border", "selection", "muted", "accent", "banner",
	"title", "key", "dim",
};

/* Index order: colour numbers 0-15. */
static const char *const theme_std_names[16] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
	"bright-black", "bright-red", "bright-green", "bright-yellow",
	"bright-blue", "bright-magenta", "bright-cyan", "bright-white",
};

/* xterm's defaults for 0-15; terminals differ, so these only steer the
 * nearest-colour choice, and indexed colours are sent as indexes. */
static const uint32_t theme_std_rgb[16] = {
	0x000000, 0xcd0000, 0x00cd00, 0xcdcd00, 0x0000ee, 0xcd00cd, 0x00cdcd,
	0xe5e5e5, 0x7f7f7f, 0xff0000, 0x00ff00, 0xffff00, 0x5c5cff, 0xff00ff,
	0x00ffff, 0xffffff,
};

/* The built-in styles every theme starts from: fg, bg, attributes. */
static const struct {
	const char *fg;
	const char *bg;
	unsigned attrs;
} theme_base[THEME_NROLES] = {
	[THEME_TEXT] = { "", "", 0 },
	[THEME_OK] = { "green", "", 0 },
	[THEME_WARN] = { "yellow", "", THEME_BOLD },
	[THEME_CRITICAL] = { "bright-white", "red", THEME_BOLD },
	[THEME_ACTIVE] = { "bright-green", "", THEME_BOLD },
	[THEME_STANDBY] = { "cyan", "", 0 },
	[THEME_STALE] = { "bright-black", "", 0 },
	[THEME_HEADER] = { "", "", THEME_REVERSE | THEME_BOLD },
	[THEME_BORDER] = { "bright-black", "", 0 },
	[THEME_SELECTION] = { "", "", THEME_REVERSE },
	[THEME_MUTED] = { "bright-black", "", 0 },
	[THEME_ACCENT] = { "magenta", "", 0 },
	[THEME_BANNER] = { "bright-white", "blue", THEME_BOLD },
	[THEME_TITLE] = { "", "", THEME_BOLD },
	[THEME_KEY] = { "yellow", "", THEME_BOLD },
	[THEME_DIM] = { "", "", THEME_DIM_ATTR },
};

/* Without colour, states must still differ: ACTIVE bold, CRITICAL reversed,
 * WARN underlined, STANDBY plain, STALE dim. */
const unsigned theme_mono_attrs[THEME_NROLES] = {
	[THEME_TEXT] = 0,
	[THEME_OK] = 0,
	[THEME_WARN] = THEME_UNDERLINE,
	[THEME_CRITICAL] = THEME_BOLD | THEME_REVERSE,
	[THEME_ACTIVE] = THEME_BOLD,
	[THEME_STANDBY] = 0,
	[THEME_STALE] = THEME_DIM_ATTR,
	[THEME_HEADER] = THEME_REVERSE,
	[THEME_BORDER] = 0,
	[THEME_SELECTION] = THEME_REVERSE,
	[THEME_MUTED] = THEME_DIM_ATTR,
	[THEME_ACCENT] = THEME_UNDERLINE,
	[THEME_BANNER] = THEME_REVERSE | THEME_BOLD,
	[THEME_TITLE] = THEME_BOLD | THEME_UNDERLINE,
	[THEME_KEY] = THEME_BOLD,
	[THEME_DIM] = THEME_DIM_ATTR,
};

const char *
theme_role_name(enum theme_role role)
{
	if ((int)role < 0 || role >= THEME_NROLES)
		return NULL;
	return theme_role_names[role];
}

int
theme_role_find(const char *name)
{
	int i;

	for (i = 0; i < THEME_NROLES; i++) {
		if (strcmp(theme_role_names[i], name) == 0)
			return i;
	}
	return -1;
}

const char *
theme_depth_name(enum theme_depth depth)
{
	switch (depth) {
	case THEME_DEPTH_MONO:
		return "mono";
	case THEME_DEPTH_8:
		return "8";
	case THEME_DEPTH_16:
		return "16";
	case THEME_DEPTH_256:
		return "256";
	case THEME_DEPTH_TRUECOLOR:
		return "truecolor";
	}
	return "mono";
}

enum theme_depth
theme_detect_depth(const char *term, const char *colorterm, int ncurses_colors,
    const char *no_color)
{
	int truecolor;

	if (no_color != NULL && no_color[0] != '\0')
		return THEME_DEPTH_MONO;
	if (term == NULL || term[0] == '\0' || strcmp(term, "dumb") == 0)
		return THEME_DEPTH_MONO;
	truecolor = colorterm != NULL && (strcasecmp(colorterm, "truecolor") == 0 ||
	    strcasecmp(colorterm, "24bit") == 0);
	if (ncurses_colors < 0) {
		/* Before initscr: a guess from the name, as terminfo would say. */
		if (strstr(term, "mono") != NULL)
			return THEME_DEPTH_MONO;
		if (strstr(term, "direct") != NULL)
			return THEME_DEPTH_TRUECOLOR;
		if (strstr(term, "256color") != NULL)
			return truecolor ? THEME_DEPTH_TRUECOLOR : THEME_DEPTH_256;
		if (strstr(term, "16color") != NULL)
			return THEME_DEPTH_16;
		return THEME_DEPTH_8;
	}
	/* A direct-colour terminfo (xterm-direct) says RGB itself. */
	if (ncurses_colors >= 0x1000000)
		return THEME_DEPTH_TRUECOLOR;
	/* COLORTERM alone is not enough: without 256 colours in terminfo
	 * ncurses has no fallback index to draw with. */
	if (ncurses_colors >= 256)
		return truecolor ? THEME_DEPTH_TRUECOLOR : THEME_DEPTH_256;
	if (ncurses_colors >= 16)
		return THEME_DEPTH_16;
	if (ncurses_colors >= 8)
		return THEME_DEPTH_8;
	return THEME_DEPTH_MONO;
}

uint32_t
theme_index_rgb(int index)
{
	static const int level[6] = { 0, 95, 135, 175, 215, 255 };
	int r, g, b, v;

	if (index < 0)
		return 0;
	if (index < 16)
		return theme_std_rgb[index];
	if (index < 232) {
		index -= 16;
		r = level[index / 36];
		g = level[(index / 6) % 6];
		b = level[index % 6];
		return (uint32_t)r << 16 | (uint32_t)g << 8 | (uint32_t)b;
	}
	if (index > 255)
		index = 255;
	v = 8 + 10 * (index - 232);
	return (uint32_t)v << 16 | (uint32_t)v << 8 | (uint32_t)v;
}

static long
theme_distance(uint32_t a, uint32_t b)
{
	long dr = (long)(a >> 16 & 0xff) - (long)(b >> 16 & 0xff);
	long dg = (long)(a >> 8 & 0xff) - (long)(b >> 8 & 0xff);
	long db = (long)(a & 0xff) - (long)(b & 0xff);

	return dr * dr + dg * dg + db * db;
}

/* Whether rgb is clearly a colour rather than a grey. */
static int
theme_chromatic(uint32_t rgb)
{
	int r = rgb >> 16 & 0xff, g = rgb >> 8 & 0xff, b = rgb & 0xff;
	int hi = r > g ? (r > b ? r : b) : (g > b ? g : b);
	int lo = r < g ? (r < b ? r : b) : (g < b ? g : b);

	return hi - lo >= 64;
}

/* Hue in whole degrees, 0-359 (0 for greys). */
static int
theme_hue(uint32_t rgb)
{
	int r = rgb >> 16 & 0xff, g = rgb >> 8 & 0xff, b = rgb & 0xff;
	int hi = r > g ? (r > b ? r : b) : (g > b ? g : b);
	int lo = r < g ? (r < b ? r : b) : (g < b ? g : b);
	double h;

	if (hi == lo)
		return 0;
	if (hi == r)
		h = 60.0 * (double)(g - b) / (double)(hi - lo);
	else if (hi == g)
		h = 60.0 * (double)(b - r) / (double)(hi - lo) + 120.0;
	else
		h = 60.0 * (double)(r - g) / (double)(hi - lo) + 240.0;
	if (h < 0)
		h += 360.0;
	return (int)(h + 0.5) % 360;
}

/* Nearest colour among 0-7, 0-15 or 16-255, skipping except (-1: none).
 * Among the basic colours plain RGB distance loses the hue (#5fd75f is
 * nearer bright-black than green, #87ff5f nearer yellow than green), and a
 * state colour must keep it: a colour matches the nearest hue, then the
 * nearer of its normal and bright forms; a grey matches a grey. */
static int
theme_nearest_except(uint32_t rgb, int n, int except)
{
	int i, first = 0, last = n, best = -1, grey, dh, besth = 0;
	int chroma = theme_chromatic(rgb), hue = theme_hue(rgb);
	long d, bestd = 0;

	if (n >= 256) {
		/* 0-15 are whatever the user's terminal scheme says; the cube
		 * and grey ramp are fixed, so only they can match exactly. */
		first = 16;
		last = 256;
	}
	for (i = first; i < last; i++) {
		grey = i == 0 || i == 7 || i == 8 || i == 15;
		if (i == except || (n <= 16 && chroma == grey))
			continue;
		dh = 0;
		if (n <= 16 && chroma) {
			dh = abs(hue - theme_hue(theme_index_rgb(i)));
			dh = dh > 180 ? 360 - dh : dh;
		}
		d = theme_distance(rgb, theme_index_rgb(i));
		if (best < 0 || dh < besth || (dh == besth && d < bestd)) {
			best = i;
			besth = dh;
			bestd = d;
		}
	}
	return best;
}

int
theme_nearest(uint32_t rgb, int n)
{
	return theme_nearest_except(rgb, n, -1);
}

static double
theme_channel(uint32_t c)
{
	double v = (double)c / 255.0;

	return v <= 0.03928 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4);
}

double
theme_contrast(uint32_t a, uint32_t b)
{
	double la, lb, t;

	la = 0.2126 * theme_channel(a >> 16 & 0xff) +
	    0.7152 * theme_channel(a >> 8 & 0xff) + 0.0722 * theme_channel(a & 0xff);
	lb = 0.2126 * theme_channel(b >> 16 & 0xff) +
	    0.7152 * theme_channel(b >> 8 & 0xff) + 0.0722 * theme_channel(b & 0xff);
	if (la < lb) {
		t = la;
		la = lb;
		lb = t;
	}
	return (la + 0.05) / (lb + 0.05);
}

static int
theme_hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower(c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int
theme_colour_parse_err(const char *s, struct theme_colour *out, char *err,
    size_t errlen)
{
	size_t i, n = strlen(s);
	uint32_t v = 0;
	int h;

	if (n == 0 || strcmp(s, "default") == 0) {
		out->kind = THEME_COLOUR_DEFAULT;
		out->value = 0;
		return 0;
	}
	if (s[0] == '#') {
		if (n != 7)
			goto badhex;
		for (i = 1; i < 7; i++) {
			if ((h = theme_hexval((unsigned char)s[i])) < 0)
				goto badhex;
			v = v << 4 | (uint32_t)h;
		}
		out->kind = THEME_COLOUR_RGB;
		out->value = v;
		return 0;
	}
	if (isdigit((unsigned char)s[0])) {
		for (i = 0; i < n; i++) {
			if (!isdigit((unsigned char)s[i])) {
				snprintf(err, errlen, "unknown colour '%s'", s);
				return -1;
			}
			if (v <= 255)
				v = v * 10 + (uint32_t)(s[i] - '0');
		}
		if (v > 255) {
			snprintf(err, errlen,
			    "colour index '%s' out of range 0-255", s);
			return -1;
		}
		out->kind = THEME_COLOUR_INDEX;
		out->value = v;
		return 0;
	}
	for (i = 0; i < 16; i++) {
		if (strcmp(s, theme_std_names[i]) == 0) {
			out->kind = THEME_COLOUR_INDEX;
			out->value = (uint32_t)i;
			return 0;
		}
	}
	snprintf(err, errlen, "unknown colour '%s'", s);
	return -1;

badhex:
	snprintf(err, errlen, "bad colour '%s': expected #rrggbb", s);
	return -1;
}

int
theme_colour_parse(const char *s, struct theme_colour *out)
{
	char err[128];

	return theme_colour_parse_err(s, out, err, sizeof err);
}

int
theme_bind(const struct theme *t, const char *text, struct theme_colour *out,
    int *ansi)
{
	size_t i;

	*ansi = -1;
	for (i = 0; i < t->npal; i++) {
		if (strcmp(t->pal[i].name, text) == 0) {
			*out = t->pal[i].c;
			*ansi = t->pal[i].ansi;
			return 0;
		}
	}
	return theme_colour_parse(text, out);
}

bool
theme_name_valid(const char *s)
{
	size_t i;

	if (s[0] == '\0' || s[0] == '.')
		return false;
	for (i = 0; s[i] != '\0'; i++) {
		if (i >= THEME_NAME_MAX - 1)
			return false;
		if (!isalnum((unsigned char)s[i]) && s[i] != '.' && s[i] != '_' &&
		    s[i] != '-')
			return false;
	}
	return true;
}

struct theme *
theme_new_base(const char *name)
{
	struct theme *t = xcalloc(1, sizeof *t);
	int i;

	snprintf(t->name, sizeof t->name, "%s", name);
	t->description = xstrdup("");
	for (i = 0; i < THEME_NROLES; i++) {
		snprintf(t->roles[i].fg, sizeof t->roles[i].fg, "%s",
		    theme_base[i].fg);
		snprintf(t->roles[i].bg, sizeof t->roles[i].bg, "%s",
		    theme_base[i].bg);
		t->roles[i].attrs = theme_base[i].attrs;
		theme_bind(t, t->roles[i].fg, &t->roles[i].fgc,
		    &t->roles[i].fg_ansi);
		theme_bind(t, t->roles[i].bg, &t->roles[i].bgc,
		    &t->roles[i].bg_ansi);
	}
	return t;
}

struct theme *
theme_builtin(void)
{
	struct theme *t = theme_new_base("builtin");

	free(t->description);
	t->description = xstrdup("compiled-in fallback");
	return t;
}

void
theme_copy(struct theme *dst, const struct theme *src)
{
	memcpy(dst, src, sizeof *dst);
	dst->description = xstrdup(src->description);
	dst->pal = NULL;
	if (src->npal > 0) {
		dst->pal = xreallocarray(NULL, src->npal, sizeof *dst->pal);
		memcpy(dst->pal, src->pal, src->npal * sizeof *dst->pal);
	}
}

void
theme_free(struct theme *t)
{
	if (t == NULL)
		return;
	free(t->description);
	free(t->pal);
	free(t);
}

const char *
theme_name(const struct theme *t)
{
	return t->name;
}

const char *
theme_description(const struct theme *t)
{
	return t->description;
}

/* The xterm number that stands for c in n colours (8, 16 or 256), avoiding
 * except (-1: none); -1 for the terminal default. */
static int
theme_index_for(struct theme_colour c, int ansi, int n, int except)
{
	/* The theme's own choice for few colours, if it made one. */
	if (ansi >= 0 && n <= 16 && c.kind != THEME_COLOUR_DEFAULT) {
		if (n == 8)
			ansi &= 7;
		if (ansi != except)
			return ansi;
	}
	switch (c.kind) {
	case THEME_COLOUR_DEFAULT:
		return -1;
	case THEME_COLOUR_INDEX:
		/* Low indexes are sent as they are, so the user's terminal
		 * scheme decides what "red" looks like. */
		if ((int)c.value < (n < 256 ? n : 16) && (int)c.value != except)
			return (int)c.value;
		return theme_nearest_except(theme_index_rgb((int)c.value), n,
		    except);
	case THEME_COLOUR_RGB:
		return theme_nearest_except(c.value, n, except);
	}
	return -1;
}

static int
theme_depth_colours(enum theme_depth depth)
{
	switch (depth) {
	case THEME_DEPTH_8:
		return 8;
	case THEME_DEPTH_16:
		return 16;
	default:
		return 256;
	}
}

/* text is the THEME_TEXT role, whose colours stand in for "default" in the
 * others: the window is painted with it, so "default" means "as the body". */
static void
theme_resolve_role(const struct theme_role_def *role_def,
    const struct theme_role_def *text, enum theme_role role,
    enum theme_depth depth, struct theme_style *s)
{
	struct theme_role_def dd = *role_def, *d = &dd;
	int n = theme_depth_colours(depth);
	bool coloured;

	memset(s, 0, sizeof *s);
	coloured = d->fgc.kind != THEME_COLOUR_DEFAULT ||
	    d->bgc.kind != THEME_COLOUR_DEFAULT;
	if (depth == THEME_DEPTH_MONO) {
		/* Colour told this role apart; attributes must do it now. */
		s->attrs = coloured ? theme_mono_attrs[role] : d->attrs;
		s->fg_index = s->bg_index = -1;
		return;
	}
	if (text != NULL && d->fgc.kind == THEME_COLOUR_DEFAULT) {
		d->fgc = text->fgc;
		d->fg_ansi = text->fg_ansi;
	}
	if (text != NULL && d->bgc.kind == THEME_COLOUR_DEFAULT) {
		d->bgc = text->bgc;
		d->bg_ansi = text->bg_ansi;
	}
	s->attrs = d->attrs;
	s->bg_index = theme_index_for(d->bgc, d->bg_ansi, n, -1);
	s->fg_index = theme_index_for(d->fgc, d->fg_ansi, n, -1);
	/* Two distinct colours that land on one index would hide the text. */
	if (s->fg_index >= 0 && s->fg_index == s->bg_index &&
	    (d->fgc.kind != d->bgc.kind || d->fgc.value != d->bgc.value))
		s->fg_index = theme_index_for(d->fgc, -1, n, s->bg_index);
	if (depth == THEME_DEPTH_TRUECOLOR) {
		s->fg = d->fgc;
		s->bg = d->bgc;
		return;
	}
	if (s->fg_index >= 0) {
		s->fg.kind = THEME_COLOUR_INDEX;
		s->fg.value = (uint32_t)s->fg_index;
	}
	if (s->bg_index >= 0) {
		s->bg.kind = THEME_COLOUR_INDEX;
		s->bg.value = (uint32_t)s->bg_index;
	}
}

void
theme_resolve(const struct theme *t, enum theme_depth depth,
    struct theme_resolved *out)
{
	int i;

	memset(out, 0, sizeof *out);
	snprintf(out->name, sizeof out->name, "%s", t->name);
	out->depth = depth;
	for (i = 0; i < THEME_NROLES; i++)
		theme_resolve_role(&t->roles[i],
		    i == THEME_TEXT ? NULL : &t->roles[THEME_TEXT],
		    (enum theme_role)i, depth, &out->roles[i]);
}

int
theme_set_banner(struct theme_resolved *r, const char *colour)
{
	struct theme_role_def d;
	struct theme_colour c;
	uint32_t rgb;

	if (theme_colour_parse(colour, &c) != 0)
		return -1;
	if (c.kind == THEME_COLOUR_DEFAULT)
		return 0;
	memset(&d, 0, sizeof d);
	d.fg_ansi = d.bg_ansi = -1;
	d.bgc = c;
	rgb = c.kind == THEME_COLOUR_RGB ? c.value : theme_index_rgb((int)c.value);
	/* Text in whichever of black and white reads better on it. */
	d.fgc.kind = THEME_COLOUR_INDEX;
	d.fgc.value = theme_contrast(rgb, 0x000000) >
	    theme_contrast(rgb, 0xffffff) ? 0 : 15;
	d.attrs = THEME_BOLD;
	theme_resolve_role(&d, NULL, THEME_BANNER, r->depth,
	    &r->roles[THEME_BANNER]);
	return 0;
}

static void
theme_colour_text(struct theme_colour c, char *buf, size_t len)
{
	switch (c.kind) {
	case THEME_COLOUR_DEFAULT:
		snprintf(buf, len, "default");
		break;
	case THEME_COLOUR_INDEX:
		if (c.value < 16)
			snprintf(buf, len, "%s", theme_std_names[c.value]);
		else
			snprintf(buf, len, "%u", (unsigned)c.value);
		break;
	case THEME_COLOUR_RGB:
		snprintf(buf, len, "#%06x", (unsigned)(c.value & 0xffffff));
		break;
	}
}

size_t
theme_describe(const struct theme_resolved *r, struct theme_row rows[THEME_NROLES])
{
	static const struct {
		unsigned flag;
		const char *name;
	} attrs[] = {
		{ THEME_BOLD, "bold" },
		{ THEME_UNDERLINE, "underline" },
		{ THEME_REVERSE, "reverse" },
		{ THEME_DIM_ATTR, "dim" },
	};
	const struct theme_style *s;
	size_t i, j, off;

	for (i = 0; i < THEME_NROLES; i++) {
		s = &r->roles[i];
		rows[i].role = theme_role_names[i];
		theme_colour_text(s->fg, rows[i].fg, sizeof rows[i].fg);
		theme_colour_text(s->bg, rows[i].bg, sizeof rows[i].bg);
		off = 0;
		rows[i].attrs[0] = '\0';
		for (j = 0; j < sizeof attrs / sizeof attrs[0]; j++) {
			if (s->attrs & attrs[j].flag)
				off += (size_t)snprintf(rows[i].attrs + off,
				    sizeof rows[i].attrs - off, "%s%s",
				    off > 0 ? "," : "", attrs[j].name);
		}
		if (off == 0)
			snprintf(rows[i].attrs, sizeof rows[i].attrs, "-");
	}
	return THEME_NROLES;
}
