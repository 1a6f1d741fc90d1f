/* SPDX-License-Identifier: MIT */
/* Unit tests for themes: colour literals and matching, depth detection,
 * every load error with its line:column, inheritance and lookup order, the
 * shipped themes at every depth, and the curses bridge on a fake terminal. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "milvusadm/theme.h"
#include "milvusadm/xalloc.h"
#include "../../src/ui/theme-curses.h"

static const char *const shipped[] = { "default", "light", "high-contrast",
    "solarized-dark", "mono" };
static const char *const src_dirs[] = { THEMES_DIR, NULL };
static char err[512];

static struct theme *
load(const char *text)
{
	return theme_load_string("t.yaml", text, strlen(text), src_dirs, err,
	    sizeof err);
}

/* Loading text must fail with exactly want. */
static void
check_error(const char *text, const char *want)
{
	struct theme *t = load(text);

	ck_assert_msg(t == NULL, "loaded: %s", text);
	ck_assert_str_eq(err, want);
}

static void
write_file(const char *dir, const char *name, const char *text)
{
	char *path = xasprintf("%s/%s", dir, name);
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
	free(path);
}

static uint32_t
rgb_of(struct theme_colour c)
{
	return c.kind == THEME_COLOUR_RGB ? c.value : theme_index_rgb((int)c.value);
}

START_TEST(test_detect_depth)
{
	ck_assert_int_eq(theme_detect_depth("xterm-256color", NULL, 256, "1"),
	    THEME_DEPTH_MONO);
	ck_assert_int_eq(theme_detect_depth("xterm-256color", "truecolor", 256,
	    "yes"), THEME_DEPTH_MONO);
	/* An empty NO_COLOR does not count (no-color.org). */
	ck_assert_int_eq(theme_detect_depth("xterm-256color", NULL, 256, ""),
	    THEME_DEPTH_256);
	ck_assert_int_eq(theme_detect_depth("dumb", NULL, 8, NULL),
	    THEME_DEPTH_MONO);
	ck_assert_int_eq(theme_detect_depth(NULL, NULL, 8, NULL),
	    THEME_DEPTH_MONO);
	ck_assert_int_eq(theme_detect_depth("", NULL, -1, NULL),
	    THEME_DEPTH_MONO);
	ck_assert_int_eq(theme_detect_depth("xterm-256color", "truecolor", 256,
	    NULL), THEME_DEPTH_TRUECOLOR);
	ck_assert_int_eq(theme_detect_depth("xterm-256color", "24bit", 256,
	    NULL), THEME_DEPTH_TRUECOLOR);
	ck_assert_int_eq(theme_detect_depth("xterm-256color", "yes", 256, NULL),
	    THEME_DEPTH_256);
	ck_assert_int_eq(theme_detect_depth("xterm", "truecolor", 8, NULL),
	    THEME_DEPTH_8);
	ck_assert_int_eq(theme_detect_depth("xterm-16color", NULL, 16, NULL),
	    THEME_DEPTH_16);
	ck_assert_int_eq(theme_detect_depth("vt100", NULL, 0, NULL),
	    THEME_DEPTH_MONO);
	ck_assert_int_eq(theme_detect_depth("xterm-direct", NULL, 0x1000000,
	    NULL), THEME_DEPTH_TRUECOLOR);
	/* Before initscr: from the name. */
	ck_assert_int_eq(theme_detect_depth("screen-256color", NULL, -1, NULL),
	    THEME_DEPTH_256);
	ck_assert_int_eq(theme_detect_depth("tmux-256color", "truecolor", -1,
	    NULL), THEME_DEPTH_TRUECOLOR);
	ck_assert_int_eq(theme_detect_depth("linux", NULL, -1, NULL),
	    THEME_DEPTH_8);
	ck_assert_str_eq(theme_depth_name(THEME_DEPTH_TRUECOLOR), "truecolor");
}
END_TEST

START_TEST(test_colours)
{
	struct theme_colour c;

	ck_assert_int_eq(theme_colour_parse("#Ff8700", &c), 0);
	ck_assert_int_eq(c.kind, THEME_COLOUR_RGB);
	ck_assert_uint_eq(c.value, 0xff8700);
	ck_assert_int_eq(theme_colour_parse("bright-red", &c), 0);
	ck_assert_int_eq(c.kind, THEME_COLOUR_INDEX);
	ck_assert_uint_eq(c.value, 9);
	ck_assert_int_eq(theme_colour_parse("255", &c), 0);
	ck_assert_uint_eq(c.value, 255);
	ck_assert_int_eq(theme_colour_parse("default", &c), 0);
	ck_assert_int_eq(c.kind, THEME_COLOUR_DEFAULT);
	ck_assert_int_eq(theme_colour_parse("256", &c), -1);
	ck_assert_int_eq(theme_colour_parse("99999999999999999999", &c), -1);
	ck_assert_int_eq(theme_colour_parse("#12345", &c), -1);
	ck_assert_int_eq(theme_colour_parse("#12345g", &c), -1);
	ck_assert_int_eq(theme_colour_parse("redd", &c), -1);
	ck_assert_int_eq(theme_colour_parse("12a", &c), -1);

	/* The xterm palette: cube, grey ramp, and the matches back. */
	ck_assert_uint_eq(theme_index_rgb(196), 0xff0000);
	ck_assert_uint_eq(theme_index_rgb(16), 0x000000);
	ck_assert_uint_eq(theme_index_rgb(67), 0x5f87af);
	ck_assert_uint_eq(theme_index_rgb(232), 0x080808);
	ck_assert_uint_eq(theme_index_rgb(255), 0xeeeeee);
	ck_assert_int_eq(theme_nearest(0xff0000, 256), 196);
	ck_assert_int_eq(theme_nearest(0x5f87af, 256), 67);
	ck_assert_int_eq(theme_nearest(0x808080, 256), 244);
	ck_assert_int_eq(theme_nearest(0x090909, 256), 232);
	ck_assert_int_eq(theme_nearest(0x000000, 256), 16);
	ck_assert_int_eq(theme_nearest(0xd75f00, 256), 166);
	ck_assert_int_eq(theme_nearest(0xff0000, 16), 9);
	ck_assert_int_eq(theme_nearest(0xff0000, 8), 1);
	ck_assert_int_eq(theme_nearest(0x7f7f7f, 16), 8);
	ck_assert_int_eq(theme_nearest(0x0a0a0a, 8), 0);
	ck_assert_int_eq(theme_nearest(0x5fd75f, 16), 2);
	ck_assert_int_eq(theme_nearest(0x5fafd7, 8), 6);
	ck_assert_int_eq(theme_nearest(0xd0d0d0, 16), 7);

	ck_assert(theme_contrast(0xffffff, 0x000000) > 20.99);
	ck_assert(theme_contrast(0x000000, 0xffffff) > 20.99);
	ck_assert(theme_contrast(0x777777, 0x777777) < 1.0001);
}
END_TEST

START_TEST(test_errors)
{
	check_error("roles:\n  okk: green\n",
	    "t.yaml:2:3: unknown role 'okk'");
	check_error("roles:\n  ok: { fg: greem }\n",
	    "t.yaml:2:13: unknown colour 'greem'");
	check_error("palette:\n  a: \"#12345g\"\n",
	    "t.yaml:2:6: bad colour '#12345g': expected #rrggbb");
	check_error("palette:\n  a: 300\n",
	    "t.yaml:2:6: colour index '300' out of range 0-255");
	check_error("palette:\n  a: #ff0000\n",
	    "t.yaml:2:5: palette colour 'a' is empty (quote hex colours: \"#rrggbb\")");
	check_error("roles:\n  ok:\n    fg: #ff0000\n",
	    "t.yaml:3:8: 'fg' is empty (quote hex colours: \"#rrggbb\")");
	check_error("roles:\n  ok: { fg: [red] }\n",
	    "t.yaml:2:13: 'fg' must be a colour name");
	check_error("roles:\n  ok: { bold: maybe }\n",
	    "t.yaml:2:15: 'bold' must be true or false");
	check_error("roles:\n  ok: { italic: true }\n",
	    "t.yaml:2:9: unknown style key 'italic'");
	check_error("roles:\n  ok: [green]\n",
	    "t.yaml:2:7: role 'ok' must be a colour or a mapping");
	check_error("roles: [ok]\n", "t.yaml:1:8: 'roles' must be a mapping");
	check_error("palette: red\n", "t.yaml:1:10: 'palette' must be a mapping");
	check_error("palette:\n  a: [red]\n",
	    "t.yaml:2:6: palette colour 'a' must be a string");
	check_error("palette:\n  a: { colour: red, ansi: 200 }\n",
	    "t.yaml:2:27: 'ansi' must be one of the 16 standard colours");
	check_error("palette:\n  a: { ansi: red }\n",
	    "t.yaml:2:6: palette colour 'a' needs 'colour'");
	check_error("palette:\n  a: { colour: red, rgb: 1 }\n",
	    "t.yaml:2:21: unknown palette key 'rgb'");
	check_error("description: [x]\n",
	    "t.yaml:1:14: 'description' must be a string");
	check_error("roles:\n  ok: red\n  warn: red\n  ok: blue\n",
	    "t.yaml:4:3: duplicate key 'ok'");
	check_error("palette:\n  a: red\n  a: blue\n",
	    "t.yaml:3:3: duplicate key 'a'");
	check_error("roles:\n  ok: { fg: red, fg: blue }\n",
	    "t.yaml:2:18: duplicate key 'fg'");
	check_error("description: x\ncolours: {}\n",
	    "t.yaml:2:1: unknown top-level key 'colours'");
	check_error("- a\n- b\n", "t.yaml:1:1: a theme must be a mapping");
	check_error("roles:\n  ok: { fg: red\n",
	    "t.yaml:3:1: did not find expected ',' or '}' (while parsing a flow mapping at line 2)");
	check_error("a: 1\n---\nb: 2\n",
	    "t.yaml:3:1: only one YAML document is allowed");
	check_error("inherit: nosuch\n",
	    "t.yaml:1:10: theme 'nosuch' not found");
	check_error("inherit: ../etc\n",
	    "t.yaml:1:10: theme name '../etc' is not valid");
	check_error("roles:\n  ok: { fg: \"\x01\" }\n",
	    "t.yaml:2:14: control characters are not allowed");
}
END_TEST

START_TEST(test_palette_and_roles)
{
	struct theme_resolved r;
	struct theme *t;

	t = load("description: test\n"
	    "palette:\n  leaf: \"#5fd75f\"\n  ember: 202\n  sky: bright-blue\n"
	    "roles:\n"
	    "  ok: leaf\n"
	    "  warn: { fg: ember, bold: yes, underline: true }\n"
	    "  critical: { fg: \"#ffffff\", bg: red, reverse: on, dim: off }\n"
	    "  accent: sky\n");
	ck_assert_msg(t != NULL, "%s", err);
	ck_assert_str_eq(theme_name(t), "t");
	ck_assert_str_eq(theme_description(t), "test");
	theme_resolve(t, THEME_DEPTH_TRUECOLOR, &r);
	ck_assert_int_eq(r.roles[THEME_OK].fg.kind, THEME_COLOUR_RGB);
	ck_assert_uint_eq(r.roles[THEME_OK].fg.value, 0x5fd75f);
	ck_assert_int_eq(r.roles[THEME_OK].fg_index, 77);
	ck_assert_int_eq(r.roles[THEME_OK].bg.kind, THEME_COLOUR_DEFAULT);
	ck_assert_int_eq(r.roles[THEME_OK].bg_index, -1);
	ck_assert_uint_eq(r.roles[THEME_WARN].attrs, THEME_BOLD | THEME_UNDERLINE);
	ck_assert_int_eq(r.roles[THEME_WARN].fg.kind, THEME_COLOUR_INDEX);
	ck_assert_uint_eq(r.roles[THEME_WARN].fg.value, 202);
	ck_assert_uint_eq(r.roles[THEME_CRITICAL].attrs, THEME_REVERSE);
	ck_assert_uint_eq(r.roles[THEME_CRITICAL].bg.value, 1);
	/* Roles not written keep the built-in style. */
	ck_assert_uint_eq(r.roles[THEME_ACTIVE].attrs, THEME_BOLD);

	theme_resolve(t, THEME_DEPTH_256, &r);
	ck_assert_uint_eq(r.roles[THEME_OK].fg.value, 77);
	ck_assert_uint_eq(r.roles[THEME_ACCENT].fg.value, 12);
	theme_resolve(t, THEME_DEPTH_16, &r);
	/* Plain distance would make it bright-black: the hue is kept. */
	ck_assert_uint_eq(r.roles[THEME_OK].fg.value, 2);
	ck_assert_uint_eq(r.roles[THEME_ACCENT].fg.value, 12);
	theme_resolve(t, THEME_DEPTH_8, &r);
	ck_assert_uint_eq(r.roles[THEME_OK].fg.value, 2);
	ck_assert_uint_eq(r.roles[THEME_ACCENT].fg.value, 4);
	theme_resolve(t, THEME_DEPTH_MONO, &r);
	ck_assert_int_eq(r.roles[THEME_OK].fg.kind, THEME_COLOUR_DEFAULT);
	ck_assert_int_eq(r.roles[THEME_WARN].fg_index, -1);
	theme_free(t);

	/* A palette colour's own choice for few colours wins over matching. */
	t = load("palette:\n  olive: { colour: \"#859900\", ansi: bright-green }\n"
	    "roles:\n  ok: olive\n");
	ck_assert_msg(t != NULL, "%s", err);
	theme_resolve(t, THEME_DEPTH_16, &r);
	ck_assert_uint_eq(r.roles[THEME_OK].fg.value, 10);
	theme_resolve(t, THEME_DEPTH_8, &r);
	ck_assert_uint_eq(r.roles[THEME_OK].fg.value, 2);
	theme_resolve(t, THEME_DEPTH_256, &r);
	ck_assert_uint_eq(r.roles[THEME_OK].fg.value, 100);
	theme_free(t);
}
END_TEST

/* "default" takes the text role's colours, and two colours that meet on
 * one index are pulled apart. */
START_TEST(test_text_default_and_collision)
{
	struct theme_resolved r;
	struct theme *t;

	t = load("roles:\n"
	    "  text: { fg: \"#c0c0c0\", bg: \"#101010\" }\n"
	    "  ok: green\n"
	    "  warn: { fg: \"#0a0a0a\", bg: \"#000000\" }\n");
	ck_assert_msg(t != NULL, "%s", err);
	theme_resolve(t, THEME_DEPTH_TRUECOLOR, &r);
	ck_assert_uint_eq(r.roles[THEME_OK].bg.value, 0x101010);
	theme_resolve(t, THEME_DEPTH_8, &r);
	ck_assert_int_eq(r.roles[THEME_WARN].bg_index, 0);
	ck_assert_int_ne(r.roles[THEME_WARN].fg_index, 0);
	theme_resolve(t, THEME_DEPTH_256, &r);
	ck_assert_int_ne(r.roles[THEME_WARN].fg_index,
	    r.roles[THEME_WARN].bg_index);
	theme_free(t);
}
END_TEST

START_TEST(test_inherit)
{
	struct theme_resolved r;
	struct theme *t;

	/* Redefining a palette name recolours the roles inherited with it. */
	t = load("inherit: default\n"
	    "palette:\n  alarm: \"#ff0000\"\n"
	    "roles:\n  ok: { fg: blue }\n");
	ck_assert_msg(t != NULL, "%s", err);
	theme_resolve(t, THEME_DEPTH_TRUECOLOR, &r);
	ck_assert_uint_eq(r.roles[THEME_CRITICAL].bg.value, 0xff0000);
	ck_assert_uint_eq(r.roles[THEME_CRITICAL].attrs, THEME_BOLD);
	ck_assert_uint_eq(r.roles[THEME_OK].fg.value, 4);
	/* An overridden role is replaced whole. */
	ck_assert_uint_eq(r.roles[THEME_OK].attrs, 0);
	ck_assert_uint_eq(r.roles[THEME_ACTIVE].fg.value, 0x87ff5f);
	theme_free(t);
}
END_TEST

/* A user theme overrides the installed one; inheriting its own name
 * reaches the installed one; cycles are errors; list shows the winners. */
START_TEST(test_dirs_and_list)
{
	char tmpl[] = "/tmp/test-theme-XXXXXX";
	char *user, *dirs[3];
	struct theme_resolved r;
	struct theme_list l;
	struct theme *t;
	size_t i;

	ck_assert_ptr_nonnull(mkdtemp(tmpl));
	user = xasprintf("%s/user", tmpl);
	ck_assert_int_eq(mkdir(user, 0700), 0);
	dirs[0] = user;
	dirs[1] = (char *)THEMES_DIR;
	dirs[2] = NULL;
	write_file(user, "default.yaml",
	    "inherit: default\nroles:\n  ok: magenta\n");
	write_file(user, "a.yaml", "inherit: b\n");
	write_file(user, "b.yaml", "inherit: a\n");
	write_file(user, "broken.yaml", "roles:\n  ok: { fg: nope }\n");
	write_file(user, "uses-broken.yaml", "inherit: broken\n");
	write_file(user, "bad name.yaml", "{}\n");

	t = theme_load("default", (const char *const *)dirs, err, sizeof err);
	ck_assert_msg(t != NULL, "%s", err);
	theme_resolve(t, THEME_DEPTH_TRUECOLOR, &r);
	ck_assert_uint_eq(r.roles[THEME_OK].fg.value, 5);
	ck_assert_uint_eq(r.roles[THEME_CRITICAL].bg.value, 0xd70000);
	theme_free(t);

	ck_assert_ptr_null(theme_load("a", (const char *const *)dirs, err,
	    sizeof err));
	ck_assert_msg(strstr(err, "/user/b.yaml:1:10: theme 'a' inherits itself")
	    != NULL, "%s", err);
	/* The parent's own error, at its own file and position. */
	ck_assert_ptr_null(theme_load("uses-broken", (const char *const *)dirs,
	    err, sizeof err));
	ck_assert_msg(strstr(err, "/user/broken.yaml:2:13: unknown colour 'nope'")
	    != NULL, "%s", err);
	ck_assert_ptr_null(theme_load("../x", (const char *const *)dirs, err,
	    sizeof err));
	ck_assert_str_eq(err, "theme name '../x' is not valid");
	ck_assert_ptr_null(theme_load("nosuch", (const char *const *)dirs, err,
	    sizeof err));
	ck_assert_str_eq(err, "theme 'nosuch' not found");

	theme_list((const char *const *)dirs, &l);
	ck_assert_uint_eq(l.n, 5 + 4);
	for (i = 0; i + 1 < l.n; i++)
		ck_assert_int_lt(strcmp(l.v[i].name, l.v[i + 1].name), 0);
	for (i = 0; i < l.n; i++) {
		if (strcmp(l.v[i].name, "default") == 0) {
			ck_assert_uint_eq(l.v[i].dir, 0);
			ck_assert(l.v[i].overrides);
		} else if (strcmp(l.v[i].name, "mono") == 0) {
			ck_assert_uint_eq(l.v[i].dir, 1);
			ck_assert(!l.v[i].overrides);
		}
	}
	theme_list_release(&l);

	for (i = 0; i < 6; i++) {
		static const char *const f[] = { "default.yaml", "a.yaml",
		    "b.yaml", "broken.yaml", "uses-broken.yaml",
		    "bad name.yaml" };
		char *p = xasprintf("%s/%s", user, f[i]);

		unlink(p);
		free(p);
	}
	rmdir(user);
	rmdir(tmpl);
	free(user);
}
END_TEST

START_TEST(test_dirs_default)
{
	char **d;

	setenv("XDG_CONFIG_HOME", "/x/cfg", 1);
	d = theme_dirs_default("/usr/share/milvusadm/themes");
	ck_assert_str_eq(d[0], "/x/cfg/milvusadm/themes");
	ck_assert_str_eq(d[1], "/usr/share/milvusadm/themes");
	ck_assert_ptr_null(d[2]);
	theme_dirs_free(d);
	setenv("XDG_CONFIG_HOME", "relative", 1);
	setenv("HOME", "/home/op", 1);
	d = theme_dirs_default(NULL);
	ck_assert_str_eq(d[0], "/home/op/.config/milvusadm/themes");
	ck_assert_ptr_null(d[1]);
	theme_dirs_free(d);
	unsetenv("XDG_CONFIG_HOME");
}
END_TEST

/* Styles that must differ for a state to be readable. */
static void
check_distinct(const struct theme_resolved *r, enum theme_role a,
    enum theme_role b)
{
	const struct theme_style *x = &r->roles[a], *y = &r->roles[b];

	ck_assert_msg(x->fg_index != y->fg_index || x->bg_index != y->bg_index ||
	    x->attrs != y->attrs, "%s: %s and %s look alike at %s", r->name,
	    theme_role_name(a), theme_role_name(b), theme_depth_name(r->depth));
}

START_TEST(test_shipped_every_depth)
{
	const struct theme_style *s;
	struct theme_resolved r;
	struct theme *t;
	int d, i;
	bool dark = _i != 1 && _i != 4;

	t = theme_load(shipped[_i], src_dirs, err, sizeof err);
	ck_assert_msg(t != NULL, "%s: %s", shipped[_i], err);
	ck_assert_str_ne(theme_description(t), "");
	for (d = THEME_DEPTH_MONO; d <= THEME_DEPTH_TRUECOLOR; d++) {
		theme_resolve(t, (enum theme_depth)d, &r);
		for (i = 0; i < THEME_NROLES; i++) {
			s = &r.roles[i];
			ck_assert_msg(s->fg_index < 0 || s->fg_index != s->bg_index,
			    "%s: %s fg = bg at %s", shipped[_i],
			    theme_role_name(i), theme_depth_name(r.depth));
			if (d == THEME_DEPTH_8 || d == THEME_DEPTH_16)
				ck_assert_int_lt(s->fg_index, d == THEME_DEPTH_8 ? 8 : 16);
			/* On the terminal's own background, which is dark for
			 * dark themes and light for light ones. */
			if (s->bg_index < 0 && s->fg_index >= 0 && dark)
				ck_assert_msg(s->fg_index != 0 && s->fg_index != 16,
				    "%s: %s black on dark", shipped[_i],
				    theme_role_name(i));
			if (s->bg_index < 0 && s->fg_index >= 0 && !dark)
				ck_assert_msg(s->fg_index != 7 && s->fg_index != 15,
				    "%s: %s white on light", shipped[_i],
				    theme_role_name(i));
		}
		check_distinct(&r, THEME_ACTIVE, THEME_STANDBY);
		check_distinct(&r, THEME_ACTIVE, THEME_CRITICAL);
		check_distinct(&r, THEME_OK, THEME_CRITICAL);
		check_distinct(&r, THEME_OK, THEME_WARN);
		check_distinct(&r, THEME_WARN, THEME_CRITICAL);
		check_distinct(&r, THEME_STANDBY, THEME_CRITICAL);
		check_distinct(&r, THEME_TEXT, THEME_SELECTION);
		check_distinct(&r, THEME_OK, THEME_STALE);
		check_distinct(&r, THEME_ACTIVE, THEME_WARN);
		check_distinct(&r, THEME_ACTIVE, THEME_STALE);
		check_distinct(&r, THEME_STANDBY, THEME_STALE);
	}
	theme_free(t);
}
END_TEST

START_TEST(test_high_contrast)
{
	struct theme_resolved r;
	struct theme *t;
	double c;
	int i, d;

	t = theme_load("high-contrast", src_dirs, err, sizeof err);
	ck_assert_msg(t != NULL, "%s", err);
	for (d = THEME_DEPTH_256; d <= THEME_DEPTH_TRUECOLOR; d++) {
		theme_resolve(t, (enum theme_depth)d, &r);
		for (i = 0; i < THEME_NROLES; i++) {
			/* Every role holds text; the terminal's own colours
			 * are unknown, so none may be left to it. */
			ck_assert_int_ne(r.roles[i].fg.kind, THEME_COLOUR_DEFAULT);
			ck_assert_int_ne(r.roles[i].bg.kind, THEME_COLOUR_DEFAULT);
			c = theme_contrast(rgb_of(r.roles[i].fg),
			    rgb_of(r.roles[i].bg));
			ck_assert_msg(c >= 7.0, "%s at %s: contrast %.2f",
			    theme_role_name(i), theme_depth_name(r.depth), c);
		}
	}
	theme_free(t);
}
END_TEST

START_TEST(test_mono_and_no_color)
{
	struct theme_resolved r;
	struct theme *t;
	enum theme_depth depth;
	int i, d;

	t = theme_load("mono", src_dirs, err, sizeof err);
	ck_assert_msg(t != NULL, "%s", err);
	for (d = THEME_DEPTH_MONO; d <= THEME_DEPTH_TRUECOLOR; d++) {
		theme_resolve(t, (enum theme_depth)d, &r);
		for (i = 0; i < THEME_NROLES; i++) {
			ck_assert_int_eq(r.roles[i].fg.kind, THEME_COLOUR_DEFAULT);
			ck_assert_int_eq(r.roles[i].bg.kind, THEME_COLOUR_DEFAULT);
			ck_assert_int_eq(r.roles[i].fg_index, -1);
			ck_assert_int_eq(r.roles[i].bg_index, -1);
		}
	}
	theme_free(t);

	/* NO_COLOR on a truecolor terminal: the default theme, no colour,
	 * states still apart. */
	depth = theme_detect_depth("xterm-256color", "truecolor", 256, "1");
	t = theme_load("default", src_dirs, err, sizeof err);
	ck_assert_msg(t != NULL, "%s", err);
	theme_resolve(t, depth, &r);
	for (i = 0; i < THEME_NROLES; i++) {
		ck_assert_int_eq(r.roles[i].fg.kind, THEME_COLOUR_DEFAULT);
		ck_assert_int_eq(r.roles[i].bg.kind, THEME_COLOUR_DEFAULT);
	}
	ck_assert_uint_eq(r.roles[THEME_ACTIVE].attrs, THEME_BOLD);
	ck_assert_uint_eq(r.roles[THEME_CRITICAL].attrs,
	    THEME_BOLD | THEME_REVERSE);
	ck_assert_uint_eq(r.roles[THEME_STANDBY].attrs, 0);
	theme_free(t);
}
END_TEST

START_TEST(test_describe_and_banner)
{
	struct theme_row rows[THEME_NROLES];
	struct theme_resolved r;
	struct theme *t;

	t = theme_load("default", src_dirs, err, sizeof err);
	ck_assert_msg(t != NULL, "%s", err);
	theme_resolve(t, THEME_DEPTH_TRUECOLOR, &r);
	ck_assert_uint_eq(theme_describe(&r, rows), THEME_NROLES);
	ck_assert_str_eq(rows[THEME_CRITICAL].role, "critical");
	ck_assert_str_eq(rows[THEME_CRITICAL].fg, "#ffffff");
	ck_assert_str_eq(rows[THEME_CRITICAL].bg, "#d70000");
	ck_assert_str_eq(rows[THEME_CRITICAL].attrs, "bold");
	ck_assert_str_eq(rows[THEME_TEXT].fg, "default");
	ck_assert_str_eq(rows[THEME_TEXT].attrs, "-");
	ck_assert_str_eq(rows[THEME_DIM].attrs, "dim");
	theme_resolve(t, THEME_DEPTH_256, &r);
	theme_describe(&r, rows);
	ck_assert_str_eq(rows[THEME_CRITICAL].fg, "231");
	ck_assert_str_eq(rows[THEME_CRITICAL].bg, "160");
	theme_resolve(t, THEME_DEPTH_16, &r);
	theme_describe(&r, rows);
	ck_assert_str_eq(rows[THEME_CRITICAL].bg, "red");

	/* A production profile's red banner, white text on it. */
	ck_assert_int_eq(theme_set_banner(&r, "red"), 0);
	ck_assert_int_eq(r.roles[THEME_BANNER].bg_index, 1);
	ck_assert_int_eq(r.roles[THEME_BANNER].fg_index, 15);
	ck_assert_int_eq(theme_set_banner(&r, "#ffff00"), 0);
	ck_assert_int_eq(r.roles[THEME_BANNER].fg_index, 0);
	ck_assert_int_eq(theme_set_banner(&r, "crimson"), -1);
	theme_free(t);

	t = theme_builtin();
	ck_assert_str_eq(theme_name(t), "builtin");
	theme_resolve(t, THEME_DEPTH_8, &r);
	ck_assert_int_eq(r.roles[THEME_CRITICAL].bg_index, 1);
	theme_free(t);
	ck_assert_int_eq(theme_role_find("banner"), THEME_BANNER);
	ck_assert_int_eq(theme_role_find("nope"), -1);
}
END_TEST

/* The curses bridge on a terminal description, writing to /dev/null. */
START_TEST(test_curses)
{
	struct theme_resolved r;
	struct theme_curses tc;
	struct theme *t;
	SCREEN *scr;
	FILE *out, *in;
	int fg, bg;

	out = fopen("/dev/null", "w");
	in = fopen("/dev/null", "r");
	ck_assert_ptr_nonnull(out);
	scr = newterm("xterm-256color", out, in);
	if (scr == NULL) {
		/* No terminfo entry here: nothing to check against. */
		fclose(out);
		fclose(in);
		return;
	}
	start_color();
	t = theme_load("default", src_dirs, err, sizeof err);
	ck_assert_msg(t != NULL, "%s", err);
	theme_resolve(t, theme_detect_depth("xterm-256color", "truecolor",
	    COLORS, NULL), &r);
	ck_assert_int_eq(r.depth, THEME_DEPTH_TRUECOLOR);
	ck_assert_int_eq(theme_curses_init(&tc, &r, 1), 0);
	ck_assert_int_eq(tc.pair[THEME_CRITICAL], 1 + THEME_CRITICAL);
	ck_assert_int_eq(extended_pair_content(tc.pair[THEME_CRITICAL], &fg, &bg),
	    OK);
	ck_assert_int_eq(fg, 231);
	ck_assert_int_eq(bg, 160);
	ck_assert(theme_curses_attr(&tc, THEME_CRITICAL) & A_BOLD);
	ck_assert_uint_eq(PAIR_NUMBER(theme_curses_attr(&tc, THEME_CRITICAL)),
	    (unsigned)tc.pair[THEME_CRITICAL]);
	theme_curses_set(&tc, stdscr, THEME_ACTIVE);

	theme_resolve(t, THEME_DEPTH_MONO, &r);
	ck_assert_int_eq(theme_curses_init(&tc, &r, 1), 0);
	ck_assert_int_eq(tc.pair[THEME_CRITICAL], 0);
	ck_assert(tc.attrs[THEME_CRITICAL] & A_REVERSE);
	theme_free(t);
	endwin();
	delscreen(scr);
	fclose(out);
	fclose(in);
}
END_TEST

Suite *test_suite(void);

Suite *
test_suite(void)
{
	Suite *s = suite_create("theme");
	TCase *tc = tcase_create("theme");

	tcase_add_test(tc, test_detect_depth);
	tcase_add_test(tc, test_colours);
	tcase_add_test(tc, test_errors);
	tcase_add_test(tc, test_palette_and_roles);
	tcase_add_test(tc, test_text_default_and_collision);
	tcase_add_test(tc, test_inherit);
	tcase_add_test(tc, test_dirs_and_list);
	tcase_add_test(tc, test_dirs_default);
	tcase_add_loop_test(tc, test_shipped_every_depth, 0,
	    (int)(sizeof shipped / sizeof shipped[0]));
	tcase_add_test(tc, test_high_contrast);
	tcase_add_test(tc, test_mono_and_no_color);
	tcase_add_test(tc, test_describe_and_banner);
	tcase_add_test(tc, test_curses);
	suite_add_tcase(s, tc);
	return s;
}
