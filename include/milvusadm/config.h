/* SPDX-License-Identifier: MIT */
/* The YAML config: named profiles in $XDG_CONFIG_HOME/milvusadm/config.yaml,
 * validated from one table of keys; errors carry line:column. */
#ifndef MILVUSADM_CONFIG_H
#define MILVUSADM_CONFIG_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

/* One profile, with every key resolved to its value or the table's default.
 * Strings are owned by the config. */
struct profile {
	char *name;
	/* etcd */
	char **etcd_endpoints;
	size_t n_etcd_endpoints;
	char *etcd_root_path;		/* default "by-dev" */
	char *etcd_ca_file, *etcd_cert_file, *etcd_key_file;
	bool etcd_insecure;
	char *etcd_username;
	char *etcd_password_file;
	/* milvus */
	char *milvus_uri;
	char *milvus_token_file;
	int64_t milvus_metrics_port;	/* default 9091 */
	char *milvus_ca_file;
	bool milvus_insecure;
	char *milvus_admin_user;	/* basic auth of the routes adminAuthEnabled */
	char *milvus_admin_password_file; /* protects (3.0+), password from this file */
	/* backup */
	char *backup_url;
	char *backup_username;		/* basic auth for a proxy in front, with */
	char *backup_password_file;	/* the password read from this file */
	char *backup_token_file;	/* or a bearer token read from this file */
	char *backup_ca_file;
	bool backup_insecure;
	int64_t backup_timeout_ms;	/* per request, default 30 s */
	int64_t backup_stall_after_ms;	/* no progress this long is a stall, default 5 m */
	char *backup_storage_path;	/* the backups' directory, for verify; NULL none */
	int64_t backup_verify_sample;	/* rows sampled per collection, default 100 */
	int64_t backup_load_timeout_ms;	/* default 10 m */
	/* drill */
	char *drill_backend;
	char *drill_kubeconfig, *drill_context, *drill_namespace, *drill_release;
	int64_t drill_rto_target_ms;	/* default 30 s */
	/* guards */
	int64_t guards_rpo_target_ms;	/* default 24 h */
	int64_t guards_drop_backup_within_ms;	/* default 1 h */
	char **guards_protected;
	size_t n_guards_protected;
	char *guards_etcd_prefix;	/* default "milvusadm/": shared protect list, audit */
	/* audit */
	bool audit_etcd_mirror;		/* mirror audit lines into etcd */
	int64_t audit_etcd_keep;	/* lines kept there, default 1000 */
	/* ui */
	char *ui_theme;			/* default "default" */
	char *ui_banner;		/* colour name, default "blue" */
	int64_t ui_refresh_ms;		/* default 5 s */
	/* misc */
	bool read_only;
	bool production;		/* confirmations are PROFILE/NAME */
	int64_t timeout_ms;		/* per request, default 5 s */
};

struct config {
	char *path;			/* the file read, NULL if none existed */
	char *default_profile;
	struct profile *profiles;
	size_t n_profiles;
};

/* The config file path: $XDG_CONFIG_HOME/milvusadm/config.yaml, falling back to
 * $HOME/.config. Caller frees. */
char *config_default_path(void);
/* $XDG_STATE_HOME/milvusadm (falling back to $HOME/.local/state/milvusadm); caller frees. */
char *config_state_dir(void);

/* Load path (NULL = default). A missing file is an empty config, not an error.
 * Returns NULL with "file:line:col: message" in err on any error: bad YAML,
 * unknown key, wrong type, out-of-range value. */
struct config *config_load(const char *path, char *err, size_t errlen);
/* Same, from a string (tests, fuzzing); name is used in messages. */
struct config *config_load_string(const char *name, const char *text, size_t len,
    char *err, size_t errlen);
void config_free(struct config *c);

/* The profile called name, or, with name NULL, the default one (default_profile,
 * else the only profile, else one called "lab"). NULL if none. */
const struct profile *config_profile(const struct config *c, const char *name);

/* Write or replace profile `name` in the file at path (NULL = default) with the
 * given settings, keeping everything else in the file byte for byte, and set
 * default_profile to it when the file names none. Used by `lab up`. The block is
 * kept between marker comments so it can be replaced later. 0 ok, -1 with err. */
struct profile_write {
	const char *name;
	const char *const *etcd_endpoints;	/* NULL-terminated */
	const char *etcd_root_path;
	const char *milvus_uri;
	int64_t metrics_port;
	const char *backup_url;		/* may be NULL */
	const char *backup_storage_path;	/* may be NULL */
	const char *drill_backend;	/* may be NULL */
};
int config_write_profile(const char *path, const struct profile_write *pw, char *err, size_t errlen);

/* One line per key of the options table: "etcd.root_path  string  by-dev  help";
 * drives `config keys` and the man page. Returns the number of keys; fills *names etc. */
struct config_key_info {
	const char *name;		/* "etcd.root_path" */
	const char *type;		/* "string", "bool", "int", "duration", "list" */
	const char *def;		/* default as text, "" if none */
	const char *help;
};
size_t config_keys(const struct config_key_info **out);
/* What key i of config_keys() accepts, as text: "1..65535", "1s..10m",
 * "a|b|c", "true|false"; "" when any string. */
void config_key_values(size_t i, char *out, size_t len);
/* Key i's value in p as text, NULL when unset; *is_default says whether it
 * equals the table's default. A URL's password is shown as "***": the
 * profile holds no other secret (only the paths of files that do). Caller
 * frees. */
char *config_key_value(const struct profile *p, size_t i, bool *is_default);

/* The most a secret file (*_file keys) may hold: a password or a token is
 * one line; a larger file is refused whole, never cut to a prefix that
 * would fail authentication in a confusing way. */
#define CONFIG_MAX_SECRET 4096
/* The secret in path: its first line, without the newline; what names it
 * in messages ("etcd password"). Refused (NULL with err naming the file,
 * never its text): unreadable, not a regular file, larger than
 * CONFIG_MAX_SECRET, or empty. Registered with the log redactor
 * (log_add_secret) before it is returned, so no later log line, history
 * entry or audit line can show it. Caller wipes and frees. */
char *config_read_secret(const char *path, const char *what, char *err, size_t errlen);

#endif
