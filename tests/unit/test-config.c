/* SPDX-License-Identifier: MIT */
/* Unit tests for the config: loading, defaults, every error with its
 * line:column, the keys table, and writing the lab profile. */
#include <check.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "milvusadm/config.h"

static char err[512];

static struct config *
load(const char *text)
{
	return config_load_string("c.yaml", text, strlen(text), err, sizeof err);
}

/* Loading text must fail with exactly want. */
static void
check_error(const char *text, const char *want)
{
	struct config *c = load(text);

	ck_assert_msg(c == NULL, "loaded: %s", text);
	ck_assert_str_eq(err, want);
}

START_TEST(test_good_file)
{
	static const char *text =
	    "# a comment\n"
	    "default_profile: prod-eu\n"
	    "profiles:\n"
	    "  prod-eu:\n"
	    "    etcd: { endpoints: [https://etcd-0:2379, https://etcd-1:2379, https://etcd-2:2379],\n"
	    "            root_path: by-dev, ca_file: ~/ca.pem, username: root, password_file: /run/pw }\n"
	    "    milvus: { uri: https://milvus.example:19530, token_file: ~/tok, metrics_port: 9091 }\n"
	    "    backup: { url: http://milvus-backup:8080 }\n"
	    "    drill: { backend: k8s, kubeconfig: ~/.kube/config, context: prod, namespace: milvus,\n"
	    "             release: my-release, rto_target: 30s }\n"
	    "    guards: { rpo_target: 24h, drop_backup_within: 1h, protected: [default.docs] }\n"
	    "    ui: { theme: default, banner: red, refresh: 5s }\n"
	    "    read_only: false\n"
	    "  lab:\n"
	    "    etcd:\n"
	    "      endpoints:\n"
	    "        - http://127.0.0.1:2379\n"
	    "    read_only: yes\n"
	    "    timeout: 500ms\n";
	const struct profile *p;
	struct config *c;

	setenv("HOME", "/home/op", 1);
	c = load(text);
	ck_assert_msg(c != NULL, "%s", err);
	ck_assert_uint_eq(c->n_profiles, 2);
	ck_assert_str_eq(c->default_profile, "prod-eu");
	p = config_profile(c, NULL);
	ck_assert_str_eq(p->name, "prod-eu");
	ck_assert_uint_eq(p->n_etcd_endpoints, 3);
	ck_assert_str_eq(p->etcd_endpoints[2], "https://etcd-2:2379");
	ck_assert_str_eq(p->etcd_root_path, "by-dev");
	ck_assert_str_eq(p->etcd_ca_file, "/home/op/ca.pem");
	ck_assert_str_eq(p->etcd_username, "root");
	ck_assert_str_eq(p->etcd_password_file, "/run/pw");
	ck_assert_str_eq(p->milvus_uri, "https://milvus.example:19530");
	ck_assert_str_eq(p->milvus_token_file, "/home/op/tok");
	ck_assert_int_eq(p->milvus_metrics_port, 9091);
	ck_assert_str_eq(p->backup_url, "http://milvus-backup:8080");
	ck_assert_str_eq(p->drill_backend, "k8s");
	ck_assert_str_eq(p->drill_kubeconfig, "/home/op/.kube/config");
	ck_assert_str_eq(p->drill_context, "prod");
	ck_assert_str_eq(p->drill_namespace, "milvus");
	ck_assert_str_eq(p->drill_release, "my-release");
	ck_assert_int_eq(p->drill_rto_target_ms, 30000);
	ck_assert_int_eq(p->guards_rpo_target_ms, 86400000);
	ck_assert_int_eq(p->guards_drop_backup_within_ms, 3600000);
	ck_assert_uint_eq(p->n_guards_protected, 1);
	ck_assert_str_eq(p->guards_protected[0], "default.docs");
	ck_assert_str_eq(p->ui_banner, "red");
	ck_assert(!p->read_only);

	p = config_profile(c, "lab");
	ck_assert_uint_eq(p->n_etcd_endpoints, 1);
	ck_assert(p->read_only);
	ck_assert_int_eq(p->timeout_ms, 500);
	ck_assert_ptr_null(config_profile(c, "nope"));
	config_free(c);
}
END_TEST

START_TEST(test_defaults)
{
	const struct profile *p;
	struct config *c;

	c = load("profiles:\n  x: {}\n");
	ck_assert_msg(c != NULL, "%s", err);
	p = config_profile(c, NULL);	/* the only profile */
	ck_assert_str_eq(p->name, "x");
	ck_assert_uint_eq(p->n_etcd_endpoints, 0);
	ck_assert_str_eq(p->etcd_root_path, "by-dev");
	ck_assert_ptr_null(p->etcd_ca_file);
	ck_assert(!p->etcd_insecure);
	ck_assert_int_eq(p->milvus_metrics_port, 9091);
	ck_assert_int_eq(p->drill_rto_target_ms, 30000);
	ck_assert_int_eq(p->guards_rpo_target_ms, 24 * 3600000LL);
	ck_assert_int_eq(p->guards_drop_backup_within_ms, 3600000);
	ck_assert_str_eq(p->ui_theme, "default");
	ck_assert_str_eq(p->ui_banner, "blue");
	ck_assert_int_eq(p->ui_refresh_ms, 5000);
	ck_assert_int_eq(p->timeout_ms, 5000);
	ck_assert(!p->read_only);
	config_free(c);

	/* Empty and comment-only files are empty configs. */
	c = load("");
	ck_assert_ptr_nonnull(c);
	ck_assert_uint_eq(c->n_profiles, 0);
	ck_assert_ptr_null(config_profile(c, NULL));
	config_free(c);
	c = load("# nothing\n");
	ck_assert_ptr_nonnull(c);
	config_free(c);

	/* Null values keep the default; with several profiles "lab" is picked. */
	c = load("profiles:\n  a:\n    etcd:\n      root_path:\n  lab: {}\n");
	ck_assert_msg(c != NULL, "%s", err);
	ck_assert_str_eq(config_profile(c, "a")->etcd_root_path, "by-dev");
	ck_assert_str_eq(config_profile(c, NULL)->name, "lab");
	config_free(c);
}
END_TEST

START_TEST(test_yaml_errors)
{
	check_error("profiles:\n  a: [\n",
	    "c.yaml:3:1: did not find expected node content (while parsing a flow node at line 3)");
	check_error("profiles:\n  a: b\n c: d\n",
	    "c.yaml:3:2: did not find expected key (while parsing a block mapping at line 1)");
	check_error("a: \"x\n",
	    "c.yaml:2:1: found unexpected end of stream (while scanning a quoted scalar at line 1)");
	check_error("profiles: {}\n---\nprofiles: {}\n",
	    "c.yaml:3:1: only one YAML document is allowed");
	check_error("profiles:\n  a:\n    ui: { theme: \"\xff\" }\n",
	    "c.yaml:3:19: invalid leading UTF-8 octet");
}
END_TEST

/* Aliases are references in libyaml's document but copies for its readers:
 * a few hundred bytes that expand to 10^8 nodes are refused at load. */
START_TEST(test_yaml_alias_bomb)
{
	check_error("a: &a [x, x, x, x, x, x, x, x, x, x]\n"
	    "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
	    "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
	    "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
	    "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
	    "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
	    "g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n"
	    "h: [*g, *g, *g, *g, *g, *g, *g, *g, *g, *g]\n",
	    "c.yaml: the document expands to more than 100000 nodes, 16 MiB or 64 levels "
	    "(YAML aliases?)");
}
END_TEST

START_TEST(test_structure_errors)
{
	check_error("- a\n- b\n", "c.yaml:1:1: the top level must be a mapping");
	check_error("profiles: [a]\n", "c.yaml:1:11: 'profiles' must be a mapping");
	check_error("profiles:\n  a: 3\n", "c.yaml:2:6: profile 'a' is not a mapping");
	check_error("profiles:\n  a:\n", "c.yaml:2:5: profile 'a' is not a mapping");
	check_error("profiles:\n  a:\n    etcd: 3\n",
	    "c.yaml:3:11: 'etcd' must be a mapping");
	check_error("default_profile: prod\nprofiles:\n  lab: {}\n",
	    "c.yaml:1:18: default_profile 'prod' is not a profile");
	check_error("profiles:\n  a: {}\n  a: {}\n", "c.yaml:3:3: duplicate key 'a'");
	check_error("profiles:\n  a:\n    etcd: {root_path: x, root_path: y}\n",
	    "c.yaml:3:26: duplicate key 'root_path'");
	check_error("profiles:\n  'b a d': {}\n",
	    "c.yaml:2:3: profile name 'b a d' is not valid (letters, digits, '.', '_', '-')");
}
END_TEST

START_TEST(test_unknown_keys)
{
	check_error("profiles:\n  a:\n    etcd:\n      rootpath: x\n",
	    "c.yaml:4:7: unknown key 'etcd.rootpath' (did you mean 'etcd.root_path'?)");
	check_error("profiles:\n  a:\n    etcd:\n      uri: x\n",
	    "c.yaml:4:7: unknown key 'etcd.uri' (did you mean 'milvus.uri'?)");
	check_error("profiles:\n  a:\n    etdc: {}\n",
	    "c.yaml:3:5: unknown key 'etdc' (did you mean 'etcd'?)");
	check_error("profiles:\n  a:\n    root_path: x\n",
	    "c.yaml:3:5: unknown key 'root_path' (did you mean 'etcd.root_path'?)");
	check_error("profiles:\n  a:\n    readonly: true\n",
	    "c.yaml:3:5: unknown key 'readonly' (did you mean 'read_only'?)");
	check_error("profiles:\n  a:\n    zzzzzz: 1\n",
	    "c.yaml:3:5: unknown key 'zzzzzz'");
	check_error("default_profle: a\n",
	    "c.yaml:1:1: unknown key 'default_profle' (did you mean 'default_profile'?)");
	check_error("etcd: {}\n",
	    "c.yaml:1:1: unknown key 'etcd' (settings belong in a profile under 'profiles')");
}
END_TEST

START_TEST(test_types_and_ranges)
{
	check_error("profiles:\n  a:\n    read_only: maybe\n",
	    "c.yaml:3:16: 'read_only' must be true or false, not 'maybe'");
	check_error("profiles:\n  a:\n    read_only: \"true\"\n",
	    "c.yaml:3:16: 'read_only' must be true or false, not 'true'");
	check_error("profiles:\n  a:\n    milvus: {metrics_port: http}\n",
	    "c.yaml:3:28: 'milvus.metrics_port' must be an integer, not 'http'");
	check_error("profiles:\n  a:\n    milvus: {metrics_port: 70000}\n",
	    "c.yaml:3:28: 'milvus.metrics_port' must be between 1 and 65535, not 70000");
	check_error("profiles:\n  a:\n    milvus: {metrics_port: [1]}\n",
	    "c.yaml:3:28: 'milvus.metrics_port' must be a number");
	check_error("profiles:\n  a:\n    etcd: {endpoints: http://x:2379}\n",
	    "c.yaml:3:23: 'etcd.endpoints' must be a list");
	check_error("profiles:\n  a:\n    etcd: {endpoints: [[a]]}\n",
	    "c.yaml:3:24: 'etcd.endpoints' items must be strings");
	check_error("profiles:\n  a:\n    etcd: {root_path: {a: b}}\n",
	    "c.yaml:3:23: 'etcd.root_path' must be a string");
	check_error("profiles:\n  a:\n    ui: {banner: pink}\n",
	    "c.yaml:3:18: 'ui.banner': 'pink' is not one of none, black, red, green, yellow, blue, magenta, cyan or white");
	check_error("profiles:\n  a:\n    etcd: {ca_file: ~root/ca}\n",
	    "c.yaml:3:21: 'etcd.ca_file': '~user' paths are not supported");
}
END_TEST

/* Mistakes that used to surface only when a command connected, without a line. */
START_TEST(test_etcd_checked_on_load)
{
	struct config *c;

	check_error("profiles:\n  a:\n    etcd:\n      endpoints:\n"
	    "        - http://127.0.0.1:2379\n        - 127.0.0.2:2379\n",
	    "c.yaml:6:11: 'etcd.endpoints': '127.0.0.2:2379' is not an http:// or "
	    "https:// URL");
	check_error("profiles:\n  a:\n    etcd: {endpoints: [\"ftp://x\"]}\n",
	    "c.yaml:3:24: 'etcd.endpoints': 'ftp://x' is not an http:// or https:// URL");
	check_error("profiles:\n  a:\n    etcd:\n      endpoints: [http://x:2379]\n"
	    "      username: root\n",
	    "c.yaml:5:7: 'etcd.username' needs 'etcd.password_file' in profile 'a'");
	check_error("profiles:\n  a: {}\n  b:\n    etcd: {password_file: /run/pw}\n",
	    "c.yaml:4:12: 'etcd.password_file' needs 'etcd.username' in profile 'b'");
	c = load("profiles:\n  a:\n    etcd: {endpoints: [\"https://x:2379\", "
	    "\"http://y:2379\"], username: root, password_file: /run/pw}\n");
	ck_assert_msg(c != NULL, "%s", err);
	ck_assert_uint_eq(c->profiles[0].n_etcd_endpoints, 2);
	config_free(c);
}
END_TEST

START_TEST(test_durations)
{
	struct config *c;

	check_error("profiles:\n  a:\n    drill:\n      rto_target: 30x\n",
	    "c.yaml:4:19: 'drill.rto_target' must be a duration such as 30s, 5m or 1h, not '30x'");
	check_error("profiles:\n  a:\n    drill:\n      rto_target: 500ms\n",
	    "c.yaml:4:19: 'drill.rto_target' must be between 1s and 1d, not '500ms'");
	check_error("profiles:\n  a:\n    ui: {refresh: -1s}\n",
	    "c.yaml:3:19: 'ui.refresh' must be a duration such as 30s, 5m or 1h, not '-1s'");
	check_error("profiles:\n  a:\n    timeout: 11m\n",
	    "c.yaml:3:14: 'timeout' must be between 100ms and 10m, not '11m'");
	c = load("profiles:\n  a:\n    drill: {rto_target: 2m}\n    guards: {rpo_target: 2d, drop_backup_within: 0}\n    ui: {refresh: 250ms}\n    timeout: 10\n");
	ck_assert_msg(c != NULL, "%s", err);
	ck_assert_int_eq(c->profiles[0].drill_rto_target_ms, 120000);
	ck_assert_int_eq(c->profiles[0].guards_rpo_target_ms, 2 * 86400000LL);
	ck_assert_int_eq(c->profiles[0].guards_drop_backup_within_ms, 0);
	ck_assert_int_eq(c->profiles[0].ui_refresh_ms, 250);
	ck_assert_int_eq(c->profiles[0].timeout_ms, 10000);
	config_free(c);
}
END_TEST

START_TEST(test_lists)
{
	struct config *c;

	c = load("profiles:\n  a:\n    guards:\n      protected:\n        - default.docs\n        - \"db1.c 2\"\n    etcd: {endpoints: []}\n");
	ck_assert_msg(c != NULL, "%s", err);
	ck_assert_uint_eq(c->profiles[0].n_guards_protected, 2);
	ck_assert_str_eq(c->profiles[0].guards_protected[1], "db1.c 2");
	ck_assert_ptr_null(c->profiles[0].guards_protected[2]);
	ck_assert_uint_eq(c->profiles[0].n_etcd_endpoints, 0);
	config_free(c);
}
END_TEST

START_TEST(test_keys_table)
{
	const struct config_key_info *k;
	size_t n, i;
	bool root = false, port = false;

	n = config_keys(&k);
	ck_assert_uint_gt(n, 20);
	for (i = 0; i < n; i++) {
		ck_assert_ptr_nonnull(k[i].help);
		ck_assert(*k[i].help != '\0');
		if (strcmp(k[i].name, "etcd.root_path") == 0) {
			root = true;
			ck_assert_str_eq(k[i].type, "string");
			ck_assert_str_eq(k[i].def, "by-dev");
		}
		if (strcmp(k[i].name, "milvus.metrics_port") == 0) {
			port = true;
			ck_assert_str_eq(k[i].def, "9091");
		}
	}
	ck_assert(root && port);
}
END_TEST

/* The man page lists every key of the table (and the table drives it). */
START_TEST(test_man_page)
{
	const struct config_key_info *k;
	char path[1024], *text, *s;
	size_t n, i;
	FILE *f;
	long len;

	snprintf(path, sizeof path, "%s", __FILE__);
	if ((s = strstr(path, "tests/unit/test-config.c")) == NULL)
		return;
	strcpy(s, "man/milvusadm.conf.5");
	if ((f = fopen(path, "r")) == NULL)
		return;		/* not run from the build tree */
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	text = calloc(1, (size_t)len + 1);
	ck_assert_uint_eq(fread(text, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	n = config_keys(&k);
	for (i = 0; i < n; i++) {
		char want[128];

		snprintf(want, sizeof want, ".It Cm %s", k[i].name);
		ck_assert_msg(strstr(text, want) != NULL, "man page lacks %s", k[i].name);
	}
	free(text);
}
END_TEST

/* drill.backend takes the names the drills take (src/ops/fault*.c), checked
 * on load: the names older pages gave ("etcd", "command") are refused there,
 * with the real name when one is meant. */
START_TEST(test_drill_backend)
{
	static const char *const ok[] = { "etcd-lease", "stop", "k8s", "docker", "exec",
	    "lab" };
	struct config *c;
	char text[128];
	size_t i;

	for (i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		snprintf(text, sizeof text, "profiles:\n  a:\n    drill: {backend: %s}\n", ok[i]);
		c = load(text);
		ck_assert_msg(c != NULL, "%s: %s", ok[i], err);
		ck_assert_str_eq(c->profiles[0].drill_backend, ok[i]);
		config_free(c);
	}
	check_error("profiles:\n  a:\n    drill: {backend: etcd}\n",
	    "c.yaml:3:22: 'drill.backend': 'etcd' is not one of etcd-lease, stop, k8s, docker, "
	    "exec or lab (did you mean 'etcd-lease'?)");
	check_error("profiles:\n  a:\n    drill: {backend: command}\n",
	    "c.yaml:3:22: 'drill.backend': 'command' is not one of etcd-lease, stop, k8s, "
	    "docker, exec or lab");
	check_error("profiles:\n  a:\n    drill: {backend: dokcer}\n",
	    "c.yaml:3:22: 'drill.backend': 'dokcer' is not one of etcd-lease, stop, k8s, "
	    "docker, exec or lab (did you mean 'docker'?)");
}
END_TEST

/* config show's values: resolved, default or set, and a URL's password never. */
START_TEST(test_key_values)
{
	const struct config_key_info *k;
	struct config *c;
	size_t n, i;
	bool seen_ep = false, seen_rpo = false, seen_port = false, def;
	char *v, vals[256];

	c = load("profiles:\n  a:\n    etcd: {endpoints: [\"http://root:hunter22@e:2379\", "
	    "\"http://f:2379\"]}\n    milvus: {metrics_port: 9100}\n    guards: {rpo_target: 1d}\n");
	ck_assert_msg(c != NULL, "%s", err);
	n = config_keys(&k);
	for (i = 0; i < n; i++) {
		v = config_key_value(&c->profiles[0], i, &def);
		config_key_values(i, vals, sizeof vals);
		if (strcmp(k[i].name, "etcd.endpoints") == 0) {
			seen_ep = true;
			ck_assert_str_eq(v, "http://root:***@e:2379,http://f:2379");
		} else if (strcmp(k[i].name, "guards.rpo_target") == 0) {
			/* "1d" is the default "24h". */
			seen_rpo = true;
			ck_assert_str_eq(v, "1d");
			ck_assert(def);
			ck_assert_str_eq(vals, "1m..366d");
		} else if (strcmp(k[i].name, "milvus.metrics_port") == 0) {
			seen_port = true;
			ck_assert_str_eq(v, "9100");
			ck_assert(!def);
			ck_assert_str_eq(vals, "1..65535");
		} else if (strcmp(k[i].name, "drill.backend") == 0) {
			ck_assert_ptr_null(v);
			ck_assert_str_eq(vals, "etcd-lease|stop|k8s|docker|exec|lab");
		}
		free(v);
	}
	ck_assert(seen_ep && seen_rpo && seen_port);
	config_free(c);
}
END_TEST

/* A secret file over the limit is refused whole, not cut to a prefix. */
START_TEST(test_secret_limit)
{
	char path[] = "/tmp/milvusadm-secret-XXXXXX", e[512], *s;
	FILE *f;
	int fd, i;

	fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	f = fdopen(fd, "w");
	for (i = 0; i < CONFIG_MAX_SECRET; i++)
		fputc('a', f);
	fclose(f);
	/* Exactly the limit: one line of 4096 bytes is still a secret. */
	s = config_read_secret(path, "etcd password", e, sizeof e);
	ck_assert_msg(s != NULL, "%s", e);
	ck_assert_uint_eq(strlen(s), CONFIG_MAX_SECRET);
	free(s);
	f = fopen(path, "a");
	fputs("b\n", f);
	fclose(f);
	ck_assert_ptr_null(config_read_secret(path, "etcd password", e, sizeof e));
	ck_assert_msg(strstr(e, "etcd password file '") != NULL &&
	    strstr(e, "' is larger than 4096 bytes: refused") != NULL, "%s", e);
	f = fopen(path, "w");
	fputs("\nsecond line\n", f);
	fclose(f);
	ck_assert_ptr_null(config_read_secret(path, "milvus token", e, sizeof e));
	ck_assert_msg(strstr(e, "' is empty") != NULL, "%s", e);
	unlink(path);
	ck_assert_ptr_null(config_read_secret(path, "milvus token", e, sizeof e));
	ck_assert_msg(strstr(e, "cannot read milvus token file '") != NULL, "%s", e);
}
END_TEST

START_TEST(test_paths)
{
	char *p;

	setenv("XDG_CONFIG_HOME", "/xdg", 1);
	p = config_default_path();
	ck_assert_str_eq(p, "/xdg/milvusadm/config.yaml");
	free(p);
	setenv("XDG_CONFIG_HOME", "relative", 1);
	setenv("HOME", "/home/op", 1);
	p = config_default_path();
	ck_assert_str_eq(p, "/home/op/.config/milvusadm/config.yaml");
	free(p);
	unsetenv("XDG_CONFIG_HOME");
	unsetenv("XDG_STATE_HOME");
	p = config_state_dir();
	ck_assert_str_eq(p, "/home/op/.local/state/milvusadm");
	free(p);
}
END_TEST


static char tmpdir[] = "/tmp/test-config-XXXXXX";

static char *
slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *text;
	long len;

	ck_assert_ptr_nonnull(f);
	fseek(f, 0, SEEK_END);
	len = ftell(f);
	rewind(f);
	text = calloc(1, (size_t)len + 1);
	ck_assert_uint_eq(fread(text, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	return text;
}

static void
spit(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

static const char *const lab_endpoints[] = { "http://127.0.0.1:2379", NULL };

static const struct profile_write lab_pw = {
	.name = "lab",
	.etcd_endpoints = lab_endpoints,
	.etcd_root_path = "by-dev",
	.milvus_uri = "http://127.0.0.2:19530",
	.metrics_port = 9091,
	.backup_url = "http://127.0.0.9:8080",
	.drill_backend = "lab",
};

#define BLOCK(I, uri) \
	I "# >>> milvusadm lab profile (managed by 'milvusadm lab up') >>>\n" \
	I "lab:\n" \
	I "  etcd:\n" \
	I "    endpoints: [\"http://127.0.0.1:2379\"]\n" \
	I "    root_path: \"by-dev\"\n" \
	I "  milvus:\n" \
	I "    uri: \"" uri "\"\n" \
	I "    metrics_port: 9091\n" \
	I "  backup:\n" \
	I "    url: \"http://127.0.0.9:8080\"\n" \
	I "  drill:\n" \
	I "    backend: \"lab\"\n" \
	I "# <<< milvusadm lab profile (managed by 'milvusadm lab up') <<<\n"

/* Write pw into a file holding before; the file must then hold after. */
static void
check_write(const char *name, const char *before, const struct profile_write *pw,
    const char *after)
{
	char path[256], *got;
	struct config *c;

	snprintf(path, sizeof path, "%s/%s", tmpdir, name);
	spit(path, before);
	ck_assert_msg(config_write_profile(path, pw, err, sizeof err) == 0, "%s", err);
	got = slurp(path);
	ck_assert_str_eq(got, after);
	free(got);
	c = config_load(path, err, sizeof err);
	ck_assert_msg(c != NULL, "%s", err);
	ck_assert_ptr_nonnull(config_profile(c, pw->name));
	config_free(c);
	unlink(path);
}

START_TEST(test_write_missing)
{
	const struct profile *p;
	struct config *c;
	struct stat st;
	char path[256], *got;

	snprintf(path, sizeof path, "%s/a/b/config.yaml", tmpdir);
	ck_assert_msg(config_write_profile(path, &lab_pw, err, sizeof err) == 0, "%s", err);
	ck_assert_int_eq(stat(path, &st), 0);
	ck_assert_int_eq(st.st_mode & 0777, 0600);
	got = slurp(path);
	ck_assert_str_eq(got,
	    "# milvusadm configuration, see milvusadm.conf(5)\n"
	    "default_profile: lab\n"
	    "profiles:\n"
	    BLOCK("    ", "http://127.0.0.2:19530"));
	free(got);
	c = config_load(path, err, sizeof err);
	ck_assert_msg(c != NULL, "%s", err);
	ck_assert_str_eq(c->path, path);
	p = config_profile(c, NULL);
	ck_assert_str_eq(p->name, "lab");
	ck_assert_str_eq(p->etcd_endpoints[0], "http://127.0.0.1:2379");
	ck_assert_str_eq(p->milvus_uri, "http://127.0.0.2:19530");
	ck_assert_str_eq(p->backup_url, "http://127.0.0.9:8080");
	ck_assert_str_eq(p->drill_backend, "lab");
	config_free(c);

	/* Writing again replaces the block and nothing else. */
	ck_assert_int_eq(config_write_profile(path, &lab_pw, err, sizeof err), 0);
	got = slurp(path);
	ck_assert_str_eq(got,
	    "# milvusadm configuration, see milvusadm.conf(5)\n"
	    "default_profile: lab\n"
	    "profiles:\n"
	    BLOCK("    ", "http://127.0.0.2:19530"));
	free(got);
	unlink(path);
}
END_TEST

START_TEST(test_write_existing)
{
	struct profile_write pw2 = lab_pw;

	/* Existing profiles at indent 2, comments, a default already set. */
	check_write("e1.yaml",
	    "# mine\n"
	    "profiles:\n"
	    "  prod:   # the real one\n"
	    "    etcd:\n"
	    "      endpoints:\n"
	    "        - https://etcd-0:2379\n"
	    "\n"
	    "# trailing comment\n"
	    "default_profile: prod\n",
	    &lab_pw,
	    "# mine\n"
	    "profiles:\n"
	    "  prod:   # the real one\n"
	    "    etcd:\n"
	    "      endpoints:\n"
	    "        - https://etcd-0:2379\n"
	    BLOCK("  ", "http://127.0.0.2:19530")
	    "\n"
	    "# trailing comment\n"
	    "default_profile: prod\n");

	/* Already marked: replaced in place, at its own indent. */
	pw2.milvus_uri = "http://127.0.0.3:19530";
	check_write("e2.yaml",
	    "default_profile: prod\n"
	    "profiles:\n"
	    BLOCK("  ", "http://127.0.0.2:19530")
	    "  prod: {}\n",
	    &pw2,
	    "default_profile: prod\n"
	    "profiles:\n"
	    BLOCK("  ", "http://127.0.0.3:19530")
	    "  prod: {}\n");

	/* No profiles key, no newline at the end. */
	check_write("e3.yaml", "# just a comment",
	    &lab_pw,
	    "# just a comment\n"
	    "default_profile: lab\n"
	    "profiles:\n"
	    BLOCK("    ", "http://127.0.0.2:19530"));

	/* "profiles:" with nothing, and an empty default_profile. */
	check_write("e4.yaml", "default_profile:\nprofiles:\n",
	    &lab_pw,
	    "default_profile: lab\nprofiles:\n" BLOCK("    ", "http://127.0.0.2:19530"));

	/* No default set yet: it goes right before profiles. */
	check_write("e5.yaml", "# top\nprofiles:\n  x: {}",
	    &lab_pw,
	    "# top\ndefault_profile: lab\nprofiles:\n  x: {}\n"
	    BLOCK("  ", "http://127.0.0.2:19530"));

	/* An alias last, a flow list over several lines, a comment after. */
	check_write("e7.yaml",
	    "profiles:\n  a:\n    ui: &x {theme: x}\n  b:\n    read_only: true\n"
	    "    ui: *x\n  c:\n    guards: {protected: [a,\n      b\n    ]}\n# end\n",
	    &lab_pw,
	    "default_profile: lab\n"
	    "profiles:\n  a:\n    ui: &x {theme: x}\n  b:\n    read_only: true\n"
	    "    ui: *x\n  c:\n    guards: {protected: [a,\n      b\n    ]}\n"
	    BLOCK("  ", "http://127.0.0.2:19530") "# end\n");

	/* A second lab gets its own block; the first one stays. */
	pw2 = lab_pw;
	pw2.name = "lab2";
	pw2.backup_url = NULL;
	pw2.drill_backend = NULL;
	check_write("e6.yaml",
	    "default_profile: lab\nprofiles:\n" BLOCK("  ", "http://127.0.0.2:19530"),
	    &pw2,
	    "default_profile: lab\nprofiles:\n" BLOCK("  ", "http://127.0.0.2:19530")
	    "  # >>> milvusadm lab profile (managed by 'milvusadm lab up') >>>\n"
	    "  lab2:\n"
	    "    etcd:\n"
	    "      endpoints: [\"http://127.0.0.1:2379\"]\n"
	    "      root_path: \"by-dev\"\n"
	    "    milvus:\n"
	    "      uri: \"http://127.0.0.2:19530\"\n"
	    "      metrics_port: 9091\n"
	    "  # <<< milvusadm lab profile (managed by 'milvusadm lab up') <<<\n");
}
END_TEST

START_TEST(test_write_refused)
{
	char path[256], *got;
	static const char *flow = "profiles: {prod: {}}\n";
	static const char *taken = "profiles:\n  lab:\n    read_only: true\n";
	struct profile_write bad = lab_pw;

	snprintf(path, sizeof path, "%s/r.yaml", tmpdir);
	spit(path, flow);
	ck_assert_int_eq(config_write_profile(path, &lab_pw, err, sizeof err), -1);
	ck_assert_str_eq(strstr(err, "r.yaml:"), "r.yaml:1:11: 'profiles' is in flow style "
	    "({...}); write it as a block mapping so that milvusadm can add its lab profile");
	got = slurp(path);
	ck_assert_str_eq(got, flow);
	free(got);

	spit(path, taken);
	ck_assert_int_eq(config_write_profile(path, &lab_pw, err, sizeof err), -1);
	ck_assert_str_eq(strstr(err, "r.yaml:"), "r.yaml:2:3: profile 'lab' exists and "
	    "is not managed by milvusadm; rename or remove it first");

	spit(path, "profiles:\n  a: [\n");
	ck_assert_int_eq(config_write_profile(path, &lab_pw, err, sizeof err), -1);
	ck_assert_ptr_nonnull(strstr(err, "r.yaml:3:1: "));

	bad.name = "a b";
	ck_assert_int_eq(config_write_profile(path, &bad, err, sizeof err), -1);
	ck_assert_str_eq(err, "profile name 'a b' is not valid");
	unlink(path);
}
END_TEST

/* What the write tests leave: the directories test_write_missing made. */
static void
tmpdir_remove(void)
{
	char path[sizeof tmpdir + 8];

	snprintf(path, sizeof path, "%s/a/b", tmpdir);
	rmdir(path);
	snprintf(path, sizeof path, "%s/a", tmpdir);
	rmdir(path);
	rmdir(tmpdir);
}

static void
config_write_tests(TCase *tc)
{
	if (mkdtemp(tmpdir) == NULL)
		abort();
	atexit(tmpdir_remove);
	tcase_add_test(tc, test_write_missing);
	tcase_add_test(tc, test_write_existing);
	tcase_add_test(tc, test_write_refused);
}

Suite *
test_suite(void)
{
	Suite *s = suite_create("config");
	TCase *tc = tcase_create("config");

	tcase_add_test(tc, test_good_file);
	tcase_add_test(tc, test_defaults);
	tcase_add_test(tc, test_yaml_errors);
	tcase_add_test(tc, test_yaml_alias_bomb);
	tcase_add_test(tc, test_structure_errors);
	tcase_add_test(tc, test_unknown_keys);
	tcase_add_test(tc, test_types_and_ranges);
	tcase_add_test(tc, test_etcd_checked_on_load);
	tcase_add_test(tc, test_durations);
	tcase_add_test(tc, test_lists);
	tcase_add_test(tc, test_keys_table);
	tcase_add_test(tc, test_man_page);
	tcase_add_test(tc, test_paths);
	tcase_add_test(tc, test_drill_backend);
	tcase_add_test(tc, test_key_values);
	tcase_add_test(tc, test_secret_limit);
	config_write_tests(tc);
	suite_add_tcase(s, tc);
	return s;
}
