/* SPDX-License-Identifier: MIT */
/* Loading the YAML config: one table of keys (config-keys.c) drives parsing,
 * validation, defaults and `config keys`; errors carry line:column from
 * libyaml marks. */
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <yaml.h>

#include "milvusadm/config.h"
#include "milvusadm/jsonraw.h"
#include "milvusadm/timeutil.h"
#include "milvusadm/xalloc.h"
#include "config-internal.h"

/* Keys allowed at the top level of the file. */
static const char *const config_top_keys[] = { "default_profile", "profiles",
    NULL };

#define CONFIG_MAX_LIST 256
#define CONFIG_MAX_PROFILES 1024
#define CONFIG_MAX_STRING 4096

#define DAY	(86400 * 1000LL)

struct config_ctx {
	const char	*name;		/* for messages */
	yaml_document_t	*doc;
	char		*err;
	size_t		 errlen;
};

static int __attribute__((format(printf, 3, 4)))
config_error(struct config_ctx *ctx, const yaml_node_t *node, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (ctx->errlen == 0)
		return -1;
	if (node != NULL)
		snprintf(ctx->err, ctx->errlen, "%s:%lu:%lu: %s", ctx->name,
		    (unsigned long)node->start_mark.line + 1,
		    (unsigned long)node->start_mark.column + 1, msg);
	else
		snprintf(ctx->err, ctx->errlen, "%s: %s", ctx->name, msg);
	return -1;
}

static int
config_unknown(struct config_ctx *ctx, const yaml_node_t *node,
    const char *section, const char *name)
{
	const char *s = config_suggest_key(section, name);
	char full[256];

	snprintf(full, sizeof full, "%s%s%.128s", section != NULL ? section : "",
	    section != NULL ? "." : "", name);
	if (s != NULL)
		return config_error(ctx, node, "unknown key '%s' (did you mean '%s'?)",
		    full, s);
	return config_error(ctx, node, "unknown key '%s'", full);
}

static bool
config_is_null(const yaml_node_t *n)
{
	const char *v;

	if (n->type != YAML_SCALAR_NODE || n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
		return false;
	v = (const char *)n->data.scalar.value;
	return *v == '\0' || strcmp(v, "~") == 0 || strcmp(v, "null") == 0 ||
	    strcmp(v, "Null") == 0 || strcmp(v, "NULL") == 0;
}

static const char *
config_scalar(const yaml_node_t *n)
{
	return (const char *)n->data.scalar.value;
}

/* Expand a leading "~" or "~/" with $HOME; "~user" is not supported. */
static int
config_expand_path(struct config_ctx *ctx, const yaml_node_t *node,
    const char *key, const char *v, char **out)
{
	const char *home;

	if (v[0] != '~') {
		*out = xstrdup(v);
		return 0;
	}
	if (v[1] != '\0' && v[1] != '/')
		return config_error(ctx, node,
		    "'%s': '~user' paths are not supported", key);
	home = getenv("HOME");
	if (home == NULL || *home == '\0') {
		struct passwd *pw = getpwuid(getuid());

		if (pw == NULL || pw->pw_dir == NULL)
			return config_error(ctx, node,
			    "'%s': cannot expand '~' without a home directory", key);
		home = pw->pw_dir;
	}
	*out = xasprintf("%s%s", home, v + 1);
	return 0;
}

static int
config_parse_bool(const char *v, bool *out)
{
	static const char *const yes[] = { "true", "yes", "on" };
	static const char *const no[] = { "false", "no", "off" };
	size_t i;

	for (i = 0; i < 3; i++) {
		if (strcasecmp(v, yes[i]) == 0) {
			*out = true;
			return 0;
		}
		if (strcasecmp(v, no[i]) == 0) {
			*out = false;
			return 0;
		}
	}
	return -1;
}

void
config_format_ms(int64_t ms, char *out, size_t len)
{
	if (ms % DAY == 0 && ms != 0)
		snprintf(out, len, "%lldd", (long long)(ms / DAY));
	else if (ms % 3600000 == 0 && ms != 0)
		snprintf(out, len, "%lldh", (long long)(ms / 3600000));
	else if (ms % 60000 == 0 && ms != 0)
		snprintf(out, len, "%lldm", (long long)(ms / 60000));
	else if (ms % 1000 == 0)
		snprintf(out, len, "%llds", (long long)(ms / 1000));
	else
		snprintf(out, len, "%lldms", (long long)ms);
}

static void
config_free_list(char **l, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(l[i]);
	free(l);
}

/* The choice v most likely meant: a close spelling, or the choice v begins
 * ("etcd" for "etcd-lease", as older pages wrote it). NULL when none is. */
static const char *
config_choice_hint(const char *const *choices, const char *v)
{
	size_t i, n = 0, vl = strlen(v);
	const char *s;

	while (choices[n] != NULL)
		n++;
	if ((s = config_suggest(v, choices, n)) != NULL)
		return s;
	for (i = 0; vl >= 3 && i < n; i++)
		if (strncmp(choices[i], v, vl) == 0 && choices[i][vl] == '-')
			return choices[i];
	return NULL;
}

/* Store one value, checked against the key's type and range. */
static int
config_set(struct config_ctx *ctx, struct profile *p, const struct config_key *k,
    const yaml_node_t *node)
{
	char *base = (char *)p;
	const char *name = k->info.name, *v;
	char lo[32], hi[32];
	int64_t iv;
	bool bv;
	size_t i;

	if (config_is_null(node))
		return 0;	/* keep the default */
	if (k->type == CT_LIST) {
		yaml_node_item_t *it;
		char **list;
		size_t n;

		if (node->type != YAML_SEQUENCE_NODE)
			return config_error(ctx, node, "'%s' must be a list", name);
		n = (size_t)(node->data.sequence.items.top -
		    node->data.sequence.items.start);
		if (n > CONFIG_MAX_LIST)
			return config_error(ctx, node,
			    "'%s' has more than %d items", name, CONFIG_MAX_LIST);
		list = xcalloc(n + 1, sizeof *list);
		for (i = 0, it = node->data.sequence.items.start; i < n; i++, it++) {
			yaml_node_t *item = yaml_document_get_node(ctx->doc, *it);

			if (item == NULL || item->type != YAML_SCALAR_NODE ||
			    config_is_null(item)) {
				config_free_list(list, i);
				return config_error(ctx, item != NULL ? item : node,
				    "'%s' items must be strings", name);
			}
			if (strlen(config_scalar(item)) > CONFIG_MAX_STRING) {
				config_free_list(list, i);
				return config_error(ctx, item, "'%s' item is too long",
				    name);
			}
			/* Found here with its line, not when the first command connects. */
			if ((k->flags & CF_URL) &&
			    strncmp(config_scalar(item), "http://", 7) != 0 &&
			    strncmp(config_scalar(item), "https://", 8) != 0) {
				config_free_list(list, i);
				return config_error(ctx, item,
				    "'%s': '%.128s' is not an http:// or https:// URL",
				    name, config_scalar(item));
			}
			list[i] = xstrdup(config_scalar(item));
		}
		config_free_list(*(char ***)(base + k->off), *(size_t *)(base + k->n_off));
		*(char ***)(base + k->off) = list;
		*(size_t *)(base + k->n_off) = n;
		return 0;
	}
	if (node->type != YAML_SCALAR_NODE)
		return config_error(ctx, node, "'%s' must be a %s", name,
		    k->type == CT_INT ? "number" : k->type == CT_BOOL ?
		    "boolean" : k->type == CT_DURATION ? "duration" : "string");
	v = config_scalar(node);
	if (strlen(v) > CONFIG_MAX_STRING)
		return config_error(ctx, node, "'%s' is too long", name);
	switch (k->type) {
	case CT_STRING:
		if (k->choices != NULL) {
			for (i = 0; k->choices[i] != NULL; i++) {
				if (strcmp(v, k->choices[i]) == 0)
					break;
			}
			if (k->choices[i] == NULL) {
				const char *s = config_choice_hint(k->choices, v);

				return config_error(ctx, node,
				    "'%s': '%.64s' is not one of %s%s%s%s", name, v,
				    k->info.help + strcspn(k->info.help, ":") + 2,
				    s != NULL ? " (did you mean '" : "", s != NULL ? s : "",
				    s != NULL ? "'?)" : "");
			}
		}
		free(*(char **)(base + k->off));
		*(char **)(base + k->off) = NULL;
		if (k->flags & CF_PATH)
			return config_expand_path(ctx, node, name, v,
			    (char **)(base + k->off));
		*(char **)(base + k->off) = xstrdup(v);
		return 0;
	case CT_BOOL:
		/* A quoted "true" is a string: say so rather than guess. */
		if (node->data.scalar.style != YAML_PLAIN_SCALAR_STYLE ||
		    config_parse_bool(v, &bv) != 0)
			return config_error(ctx, node,
			    "'%s' must be true or false, not '%.64s'", name, v);
		*(bool *)(base + k->off) = bv;
		return 0;
	case CT_INT:
		if (node->data.scalar.style != YAML_PLAIN_SCALAR_STYLE ||
		    jsonraw_parse_int64(v, strlen(v), &iv) != 0)
			return config_error(ctx, node,
			    "'%s' must be an integer, not '%.64s'", name, v);
		if (iv < k->min || iv > k->max)
			return config_error(ctx, node,
			    "'%s' must be between %lld and %lld, not %lld", name,
			    (long long)k->min, (long long)k->max, (long long)iv);
		*(int64_t *)(base + k->off) = iv;
		return 0;
	case CT_DURATION:
		if (time_parse_duration(v, &iv) != 0)
			return config_error(ctx, node,
			    "'%s' must be a duration such as 30s, 5m or 1h, not '%.64s'",
			    name, v);
		if (iv < k->min || iv > k->max) {
			config_format_ms(k->min, lo, sizeof lo);
			config_format_ms(k->max, hi, sizeof hi);
			return config_error(ctx, node,
			    "'%s' must be between %s and %s, not '%.64s'", name, lo,
			    hi, v);
		}
		*(int64_t *)(base + k->off) = iv;
		return 0;
	case CT_LIST:
		break;
	}
	return 0;
}

static void
config_defaults(struct profile *p)
{
	char *base = (char *)p;
	const struct config_key *k;
	size_t i;

	for (i = 0; i < config_n_keys; i++) {
		k = &config_keys_table[i];
		switch (k->type) {
		case CT_STRING:
			if (*k->info.def != '\0')
				*(char **)(base + k->off) = xstrdup(k->info.def);
			break;
		case CT_BOOL:
			config_parse_bool(k->info.def, (bool *)(base + k->off));
			break;
		case CT_INT:
			jsonraw_parse_int64(k->info.def, strlen(k->info.def),
			    (int64_t *)(base + k->off));
			break;
		case CT_DURATION:
			time_parse_duration(k->info.def, (int64_t *)(base + k->off));
			break;
		case CT_LIST:
			break;
		}
	}
}

static void
config_profile_release(struct profile *p)
{
	char *base = (char *)p;
	const struct config_key *k;
	size_t i;

	for (i = 0; i < config_n_keys; i++) {
		k = &config_keys_table[i];
		if (k->type == CT_STRING)
			free(*(char **)(base + k->off));
		else if (k->type == CT_LIST)
			config_free_list(*(char ***)(base + k->off),
			    *(size_t *)(base + k->n_off));
	}
	free(p->name);
}

/* Walk a mapping's pairs; keys must be plain scalars and unique. */
#define PAIRS(m, pair) \
	for (pair = (m)->data.mapping.pairs.start; pair < (m)->data.mapping.pairs.top; pair++)

static int
config_check_key(struct config_ctx *ctx, const yaml_node_t *m,
    const yaml_node_pair_t *pair, const yaml_node_t *key)
{
	const yaml_node_pair_t *q;
	const yaml_node_t *qk;

	if (key == NULL || key->type != YAML_SCALAR_NODE)
		return config_error(ctx, key, "keys must be strings");
	for (q = m->data.mapping.pairs.start; q < pair; q++) {
		qk = yaml_document_get_node(ctx->doc, q->key);
		if (qk != NULL && qk->type == YAML_SCALAR_NODE &&
		    strcmp(config_scalar(qk), config_scalar(key)) == 0)
			return config_error(ctx, key, "duplicate key '%.128s'",
			    config_scalar(key));
	}
	return 0;
}

static int
config_section(struct config_ctx *ctx, struct profile *p, const char *section,
    const yaml_node_t *m)
{
	const yaml_node_pair_t *pair;
	const yaml_node_t *key, *val;
	const struct config_key *k;

	if (config_is_null(m))
		return 0;
	if (m->type != YAML_MAPPING_NODE)
		return config_error(ctx, m, "'%s' must be a mapping", section);
	PAIRS(m, pair) {
		key = yaml_document_get_node(ctx->doc, pair->key);
		val = yaml_document_get_node(ctx->doc, pair->value);
		if (config_check_key(ctx, m, pair, key) != 0)
			return -1;
		if ((k = config_find_key(section, config_scalar(key))) == NULL)
			return config_unknown(ctx, key, section, config_scalar(key));
		if (config_set(ctx, p, k, val) != 0)
			return -1;
	}
	return 0;
}

/* The key node of section.name in the profile mapping m, NULL if absent. */
static const yaml_node_t *
config_key_node(struct config_ctx *ctx, const yaml_node_t *m, const char *section,
    const char *name)
{
	const yaml_node_pair_t *pair;
	const yaml_node_t *key, *val;

	PAIRS(m, pair) {
		key = yaml_document_get_node(ctx->doc, pair->key);
		val = yaml_document_get_node(ctx->doc, pair->value);
		if (key == NULL || val == NULL || strcmp(config_scalar(key), section) != 0)
			continue;
		if (val->type != YAML_MAPPING_NODE)
			return key;
		PAIRS(val, pair) {
			key = yaml_document_get_node(ctx->doc, pair->key);
			if (key != NULL && strcmp(config_scalar(key), name) == 0)
				return key;
		}
		return NULL;
	}
	return NULL;
}

/* Settings that are only wrong together; each key alone passed config_set. */
static int
config_check_profile(struct config_ctx *ctx, const struct profile *p, const yaml_node_t *m)
{
	/* etcd authenticates with both or neither: one alone fails every command. */
	if (p->etcd_username != NULL && p->etcd_password_file == NULL)
		return config_error(ctx, config_key_node(ctx, m, "etcd", "username"),
		    "'etcd.username' needs 'etcd.password_file' in profile '%s'", p->name);
	if (p->etcd_password_file != NULL && p->etcd_username == NULL)
		return config_error(ctx, config_key_node(ctx, m, "etcd", "password_file"),
		    "'etcd.password_file' needs 'etcd.username' in profile '%s'", p->name);
	/* adminAuthEnabled's basic auth, likewise. */
	if (p->milvus_admin_user != NULL && p->milvus_admin_password_file == NULL)
		return config_error(ctx, config_key_node(ctx, m, "milvus", "admin_user"),
		    "'milvus.admin_user' needs 'milvus.admin_password_file' in profile '%s'",
		    p->name);
	if (p->milvus_admin_password_file != NULL && p->milvus_admin_user == NULL)
		return config_error(ctx, config_key_node(ctx, m, "milvus", "admin_password_file"),
		    "'milvus.admin_password_file' needs 'milvus.admin_user' in profile '%s'",
		    p->name);
	/* The backup server's proxy takes one kind of credential. */
	if (p->backup_username != NULL && p->backup_password_file == NULL)
		return config_error(ctx, config_key_node(ctx, m, "backup", "username"),
		    "'backup.username' needs 'backup.password_file' in profile '%s'", p->name);
	if (p->backup_password_file != NULL && p->backup_username == NULL)
		return config_error(ctx, config_key_node(ctx, m, "backup", "password_file"),
		    "'backup.password_file' needs 'backup.username' in profile '%s'", p->name);
	if (p->backup_token_file != NULL && p->backup_username != NULL)
		return config_error(ctx, config_key_node(ctx, m, "backup", "token_file"),
		    "'backup.token_file' and 'backup.username' exclude each other in profile "
		    "'%s'", p->name);
	return 0;
}

static int
config_profile_node(struct config_ctx *ctx, struct profile *p, const yaml_node_t *m)
{
	const yaml_node_pair_t *pair;
	const yaml_node_t *key, *val;
	const struct config_key *k;
	const char *name;

	config_defaults(p);
	if (m->type != YAML_MAPPING_NODE)
		return config_error(ctx, m, "profile '%s' is not a mapping", p->name);
	PAIRS(m, pair) {
		key = yaml_document_get_node(ctx->doc, pair->key);
		val = yaml_document_get_node(ctx->doc, pair->value);
		if (config_check_key(ctx, m, pair, key) != 0)
			return -1;
		name = config_scalar(key);
		if (config_is_section(name)) {
			if (config_section(ctx, p, name, val) != 0)
				return -1;
		} else if ((k = config_find_key(NULL, name)) != NULL) {
			if (config_set(ctx, p, k, val) != 0)
				return -1;
		} else
			return config_unknown(ctx, key, NULL, name);
	}
	return config_check_profile(ctx, p, m);
}

static bool
config_valid_profile_name(const char *s)
{
	if (*s == '\0' || strlen(s) > 64)
		return false;
	return strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	    "0123456789._-") == strlen(s);
}

static int
config_profiles(struct config_ctx *ctx, struct config *c, const yaml_node_t *m)
{
	const yaml_node_pair_t *pair;
	const yaml_node_t *key, *val;
	size_t n;

	if (config_is_null(m))
		return 0;
	if (m->type != YAML_MAPPING_NODE)
		return config_error(ctx, m, "'profiles' must be a mapping");
	n = (size_t)(m->data.mapping.pairs.top - m->data.mapping.pairs.start);
	/* Also keeps the quadratic duplicate check cheap. */
	if (n > CONFIG_MAX_PROFILES)
		return config_error(ctx, m, "more than %d profiles",
		    CONFIG_MAX_PROFILES);
	c->profiles = xcalloc(n == 0 ? 1 : n, sizeof *c->profiles);
	PAIRS(m, pair) {
		key = yaml_document_get_node(ctx->doc, pair->key);
		val = yaml_document_get_node(ctx->doc, pair->value);
		if (config_check_key(ctx, m, pair, key) != 0)
			return -1;
		if (!config_valid_profile_name(config_scalar(key)))
			return config_error(ctx, key,
			    "profile name '%.64s' is not valid (letters, digits, '.', '_', '-')",
			    config_scalar(key));
		c->profiles[c->n_profiles].name = xstrdup(config_scalar(key));
		c->n_profiles++;
		if (config_profile_node(ctx, &c->profiles[c->n_profiles - 1], val) != 0)
			return -1;
	}
	return 0;
}

static int
config_root(struct config_ctx *ctx, struct config *c, const yaml_node_t *root)
{
	const yaml_node_pair_t *pair;
	const yaml_node_t *key, *val, *def = NULL;
	const char *name, *s;
	size_t i;

	if (root == NULL || config_is_null(root))
		return 0;
	if (root->type != YAML_MAPPING_NODE)
		return config_error(ctx, root, "the top level must be a mapping");
	PAIRS(root, pair) {
		key = yaml_document_get_node(ctx->doc, pair->key);
		val = yaml_document_get_node(ctx->doc, pair->value);
		if (config_check_key(ctx, root, pair, key) != 0)
			return -1;
		name = config_scalar(key);
		if (strcmp(name, "profiles") == 0) {
			if (config_profiles(ctx, c, val) != 0)
				return -1;
		} else if (strcmp(name, "default_profile") == 0) {
			if (config_is_null(val))
				continue;
			if (val->type != YAML_SCALAR_NODE)
				return config_error(ctx, val,
				    "'default_profile' must be a string");
			def = val;
		} else {
			s = config_suggest(name, config_top_keys, 2);
			if (s == NULL && config_find_key(NULL, name) == NULL &&
			    !config_is_section(name) &&
			    (s = config_suggest_key(NULL, name)) == NULL)
				return config_error(ctx, key, "unknown key '%.128s'", name);
			if (s == NULL)
				return config_error(ctx, key,
				    "unknown key '%.128s' (settings belong in a profile under 'profiles')",
				    name);
			return config_error(ctx, key,
			    "unknown key '%.128s' (did you mean '%s'?)", name, s);
		}
	}
	if (def != NULL) {
		for (i = 0; i < c->n_profiles; i++) {
			if (strcmp(c->profiles[i].name, config_scalar(def)) == 0)
				break;
		}
		if (i == c->n_profiles)
			return config_error(ctx, def,
			    "default_profile '%.64s' is not a profile", config_scalar(def));
		c->default_profile = xstrdup(config_scalar(def));
	}
	return 0;
}

struct config *
config_load_string(const char *name, const char *text, size_t len, char *err,
    size_t errlen)
{
	struct config_ctx ctx = { name, NULL, err, errlen };
	yaml_document_t doc;
	struct config *c;

	if (errlen > 0)
		err[0] = '\0';
	if (len > CONFIG_MAX_SIZE) {
		snprintf(err, errlen, "%s: larger than %d bytes", name, CONFIG_MAX_SIZE);
		return NULL;
	}
	if (yamldoc_load(name, text, len, &doc, err, errlen) != 0)
		return NULL;
	ctx.doc = &doc;
	c = xcalloc(1, sizeof *c);
	if (config_root(&ctx, c, yaml_document_get_root_node(&doc)) != 0) {
		yaml_document_delete(&doc);
		config_free(c);
		return NULL;
	}
	yaml_document_delete(&doc);
	return c;
}

struct config *
config_load(const char *path, char *err, size_t errlen)
{
	struct config *c;
	char *def = NULL, *text;
	size_t len;
	int rc;

	if (path == NULL)
		path = def = config_default_path();
	rc = config_read_file(path, &text, &len, err, errlen);
	if (rc < 0) {
		free(def);
		return NULL;
	}
	if (rc == 1) {
		free(def);
		return xcalloc(1, sizeof *c);
	}
	c = config_load_string(path, text, len, err, errlen);
	free(text);
	if (c != NULL)
		c->path = xstrdup(path);
	free(def);
	return c;
}

void
config_free(struct config *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->n_profiles; i++)
		config_profile_release(&c->profiles[i]);
	free(c->profiles);
	free(c->default_profile);
	free(c->path);
	free(c);
}

const struct profile *
config_profile(const struct config *c, const char *name)
{
	size_t i;

	if (c == NULL)
		return NULL;
	if (name == NULL)
		name = c->default_profile;
	if (name == NULL && c->n_profiles == 1)
		return &c->profiles[0];
	if (name == NULL)
		name = "lab";
	for (i = 0; i < c->n_profiles; i++) {
		if (strcmp(c->profiles[i].name, name) == 0)
			return &c->profiles[i];
	}
	return NULL;
}
