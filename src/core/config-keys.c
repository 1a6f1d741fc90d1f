/* SPDX-License-Identifier: MIT */
/* The options table of the config file: every key's name, type, default,
 * range and help, and the look-ups over it (which key, which section, "did
 * you mean"). Loading (config.c) and `config keys` read it; so does the man
 * page check. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/buf.h"
#include "milvusadm/config.h"
#include "milvusadm/log.h"
#include "milvusadm/timeutil.h"
#include "milvusadm/xalloc.h"
#include "config-internal.h"

static const char *const config_banner_colours[] = { "none", "black", "red",
    "green", "yellow", "blue", "magenta", "cyan", "white", NULL };

static const char *const config_drill_backends[] = { "etcd-lease", "stop", "k8s",
    "docker", "exec", "lab", NULL };

#define OFF(f) offsetof(struct profile, f)
#define K_STR(n, d, f, h) \
	{ { n, "string", d, h }, CT_STRING, 0, 0, 0, NULL, OFF(f), 0 }
#define K_PATH(n, f, h) \
	{ { n, "path", "", h }, CT_STRING, CF_PATH, 0, 0, NULL, OFF(f), 0 }
#define K_BOOL(n, d, f, h) \
	{ { n, "bool", d, h }, CT_BOOL, 0, 0, 0, NULL, OFF(f), 0 }
#define K_INT(n, d, lo, hi, f, h) \
	{ { n, "int", d, h }, CT_INT, 0, lo, hi, NULL, OFF(f), 0 }
#define K_DUR(n, d, lo, hi, f, h) \
	{ { n, "duration", d, h }, CT_DURATION, 0, lo, hi, NULL, OFF(f), 0 }
#define K_LIST(n, f, nf, h) \
	{ { n, "list", "", h }, CT_LIST, 0, 0, 0, NULL, OFF(f), OFF(nf) }
#define K_URLS(n, f, nf, h) \
	{ { n, "list", "", h }, CT_LIST, CF_URL, 0, 0, NULL, OFF(f), OFF(nf) }

#define SEC	1000LL
#define DAY	(86400 * SEC)

/* The options table. The names are a stable interface: configs and runbooks
 * written today must keep working. */
const struct config_key config_keys_table[] = {
	K_URLS("etcd.endpoints", etcd_endpoints, n_etcd_endpoints,
	    "etcd client URLs, tried in turn (http:// or https://)"),
	K_STR("etcd.root_path", "by-dev", etcd_root_path,
	    "Milvus etcd.rootPath; sessions are under <root_path>/meta/session/"),
	K_PATH("etcd.ca_file", etcd_ca_file,
	    "PEM CA bundle to verify etcd's certificate"),
	K_PATH("etcd.cert_file", etcd_cert_file,
	    "PEM client certificate for etcd mutual TLS"),
	K_PATH("etcd.key_file", etcd_key_file,
	    "PEM private key of etcd.cert_file"),
	K_BOOL("etcd.insecure", "false", etcd_insecure,
	    "skip TLS certificate verification for etcd (testing only)"),
	K_STR("etcd.username", "", etcd_username,
	    "etcd user name, when etcd authentication is on"),
	K_PATH("etcd.password_file", etcd_password_file,
	    "file holding the etcd password, read when connecting"),
	K_STR("milvus.uri", "", milvus_uri,
	    "proxy REST endpoint, e.g. http://milvus:19530"),
	K_PATH("milvus.token_file", milvus_token_file,
	    "file holding the Milvus token (user:password or API key)"),
	K_INT("milvus.metrics_port", "9091", 1, 65535, milvus_metrics_port,
	    "port of /healthz and /metrics on every component"),
	K_PATH("milvus.ca_file", milvus_ca_file,
	    "PEM CA bundle to verify the proxy's certificate"),
	K_BOOL("milvus.insecure", "false", milvus_insecure,
	    "skip TLS certificate verification for Milvus (testing only)"),
	K_STR("milvus.admin_user", "", milvus_admin_user,
	    "user for HTTP basic auth of /management/* and /api/v1/_* on 9091, when "
	    "Milvus runs with common.security.adminAuthEnabled (root)"),
	K_PATH("milvus.admin_password_file", milvus_admin_password_file,
	    "file holding the password of milvus.admin_user"),
	K_STR("backup.url", "", backup_url,
	    "milvus-backup REST server, e.g. http://milvus-backup:8080"),
	K_STR("backup.username", "", backup_username,
	    "user for HTTP basic auth of a proxy in front of milvus-backup"),
	K_PATH("backup.password_file", backup_password_file,
	    "file holding the password of backup.username"),
	K_PATH("backup.token_file", backup_token_file,
	    "file holding a bearer token for a proxy in front of milvus-backup"),
	K_PATH("backup.ca_file", backup_ca_file,
	    "PEM CA bundle to verify the backup server's certificate"),
	K_BOOL("backup.insecure", "false", backup_insecure,
	    "skip TLS certificate verification for milvus-backup (testing only)"),
	K_DUR("backup.timeout", "30s", SEC, 600 * SEC, backup_timeout_ms,
	    "timeout of each request to milvus-backup"),
	K_DUR("backup.stall_after", "5m", SEC, DAY, backup_stall_after_ms,
	    "a task whose progress does not move this long is reported stalled"),
	K_PATH("backup.storage_path", backup_storage_path,
	    "directory of the backups (milvus-backup's local storage, or its bucket "
	    "mounted) for verifying their metadata"),
	K_INT("backup.verify_sample", "100", 0, 16384, backup_verify_sample,
	    "rows sampled from each collection a backup takes, for verification"),
	K_DUR("backup.load_timeout", "10m", SEC, DAY, backup_load_timeout_ms,
	    "a restored collection not loaded within this fails verification"),
	/* The names --backend takes (src/ops/fault*.c): checked on load, so
	 * a drill never meets a backend it does not know. */
	{ { "drill.backend", "string", "",
	    "how drills inject faults: etcd-lease, stop, k8s, docker, exec or lab" },
	    CT_STRING, 0, 0, 0, config_drill_backends, OFF(drill_backend), 0 },
	K_PATH("drill.kubeconfig", drill_kubeconfig,
	    "kubeconfig file for the k8s backend"),
	K_STR("drill.context", "", drill_context,
	    "kubeconfig context for the k8s backend"),
	K_STR("drill.namespace", "", drill_namespace,
	    "namespace of the Milvus release"),
	K_STR("drill.release", "", drill_release,
	    "Helm release or Milvus custom resource name"),
	K_DUR("drill.rto_target", "30s", SEC, DAY, drill_rto_target_ms,
	    "a drill whose recovery takes longer fails"),
	K_DUR("guards.rpo_target", "24h", 60 * SEC, 366 * DAY,
	    guards_rpo_target_ms,
	    "newest backup older than this fails the RPO check"),
	K_DUR("guards.drop_backup_within", "1h", 0, 366 * DAY,
	    guards_drop_backup_within_ms,
	    "a drop needs a backup of the collection at most this old"),
	K_LIST("guards.protected", guards_protected, n_guards_protected,
	    "collections (database.collection) that cannot be dropped"),
	K_STR("guards.etcd_prefix", "milvusadm/", guards_etcd_prefix,
	    "the tool's own etcd prefix (outside Milvus's root path): the shared protect list and audit trail"),
	K_BOOL("audit.etcd_mirror", "false", audit_etcd_mirror,
	    "also write each audit line into etcd under guards.etcd_prefix, for the team"),
	K_INT("audit.etcd_keep", "1000", 10, 1000000, audit_etcd_keep,
	    "how many audit lines etcd keeps (the oldest are deleted)"),
	K_STR("ui.theme", "default", ui_theme,
	    "colour theme name"),
	{ { "ui.banner", "string", "blue",
	    "profile banner colour: none, black, red, green, yellow, blue, "
	    "magenta, cyan or white" },
	    CT_STRING, 0, 0, 0, config_banner_colours, OFF(ui_banner), 0 },
	K_DUR("ui.refresh", "5s", 100, 3600 * SEC, ui_refresh_ms,
	    "how often the TUI polls the cluster"),
	K_BOOL("read_only", "false", read_only,
	    "refuse every command that changes the cluster"),
	K_BOOL("production", "false", production,
	    "a production cluster: destructive commands need PROFILE/NAME typed back"),
	K_DUR("timeout", "5s", 100, 600 * SEC, timeout_ms,
	    "timeout of each request"),
};
#define CONFIG_N_KEYS (sizeof config_keys_table / sizeof config_keys_table[0])
const size_t config_n_keys = CONFIG_N_KEYS;

size_t
config_keys(const struct config_key_info **out)
{
	static struct config_key_info infos[CONFIG_N_KEYS];
	size_t i;

	if (infos[0].name == NULL) {
		for (i = 0; i < CONFIG_N_KEYS; i++)
			infos[i] = config_keys_table[i].info;
	}
	*out = infos;
	return CONFIG_N_KEYS;
}

void
config_key_values(size_t i, char *out, size_t len)
{
	const struct config_key *k = &config_keys_table[i];
	char lo[32], hi[32];
	size_t j, o = 0;

	out[0] = '\0';
	if (k->choices != NULL) {
		for (j = 0; k->choices[j] != NULL && o < len; j++)
			o += (size_t)snprintf(out + o, len - o, "%s%s", j > 0 ? "|" : "",
			    k->choices[j]);
	} else if (k->type == CT_INT)
		snprintf(out, len, "%lld..%lld", (long long)k->min, (long long)k->max);
	else if (k->type == CT_DURATION) {
		config_format_ms(k->min, lo, sizeof lo);
		config_format_ms(k->max, hi, sizeof hi);
		snprintf(out, len, "%s..%s", lo, hi);
	} else if (k->type == CT_BOOL)
		snprintf(out, len, "true|false");
	else if (k->flags & CF_URL)
		snprintf(out, len, "http:// or https:// URLs");
}

/* Text shown for a value: a URL's "user:password@" keeps only the user (the
 * redactor's rule), so no credential a URL carries reaches a screen. */
static char *
config_shown(const char *v)
{
	return log_redact(v);
}

char *
config_key_value(const struct profile *p, size_t i, bool *is_default)
{
	const struct config_key *k = &config_keys_table[i];
	const char *base = (const char *)p;
	struct buf b = BUF_INIT;
	char num[32], *s;
	size_t j, n;

	*is_default = false;
	switch (k->type) {
	case CT_STRING:
		s = *(char *const *)(base + k->off);
		if (s == NULL)
			return NULL;
		*is_default = strcmp(s, k->info.def) == 0;
		return config_shown(s);
	case CT_BOOL:
		s = xstrdup(*(const bool *)(base + k->off) ? "true" : "false");
		break;
	case CT_INT:
		s = xasprintf("%lld", (long long)*(const int64_t *)(base + k->off));
		break;
	case CT_DURATION: {
		int64_t v = *(const int64_t *)(base + k->off), d = -1;

		/* "24h" and "1d" are the same default. */
		(void)time_parse_duration(k->info.def, &d);
		config_format_ms(v, num, sizeof num);
		*is_default = v == d;
		return xstrdup(num);
	}
	case CT_LIST:
		n = *(const size_t *)(base + k->n_off);
		if (n == 0)
			return NULL;
		buf_adds(&b, "");
		for (j = 0; j < n; j++) {
			char *e = config_shown((*(char *const *const *)(base + k->off))[j]);

			buf_printf(&b, "%s%s", j > 0 ? "," : "", e);
			free(e);
		}
		return buf_detach(&b, NULL);
	default:
		return NULL;
	}
	*is_default = strcmp(s, k->info.def) == 0;
	return s;
}

const struct config_key *
config_find_key(const char *section, const char *name)
{
	size_t i, sl = section != NULL ? strlen(section) : 0;
	const char *k;

	for (i = 0; i < CONFIG_N_KEYS; i++) {
		k = config_keys_table[i].info.name;
		if (section == NULL) {
			if (strcmp(k, name) == 0)
				return &config_keys_table[i];
		} else if (strncmp(k, section, sl) == 0 && k[sl] == '.' &&
		    strcmp(k + sl + 1, name) == 0)
			return &config_keys_table[i];
	}
	return NULL;
}

bool
config_is_section(const char *name)
{
	size_t i, n = strlen(name);

	for (i = 0; i < CONFIG_N_KEYS; i++) {
		const char *k = config_keys_table[i].info.name;

		if (strncmp(k, name, n) == 0 && k[n] == '.')
			return true;
	}
	return false;
}

/* "did you mean": compare against the name in the same section, then against
 * every key so that a key put in the wrong section is found too. */
const char *
config_suggest_key(const char *section, const char *name)
{
	const char *cands[CONFIG_N_KEYS * 2 + 2];
	const char *leaf, *dot, *s;
	static char full[128];
	size_t i, n = 0;

	for (i = 0; i < CONFIG_N_KEYS; i++) {
		const char *k = config_keys_table[i].info.name;

		dot = strchr(k, '.');
		if (section == NULL ? dot == NULL :
		    dot != NULL && strncmp(k, section, (size_t)(dot - k)) == 0 &&
		    strlen(section) == (size_t)(dot - k))
			cands[n++] = dot != NULL ? dot + 1 : k;
	}
	if (section == NULL) {
		/* The section names themselves. */
		for (i = 0; i < CONFIG_N_KEYS; i++) {
			const char *k = config_keys_table[i].info.name;

			if ((dot = strchr(k, '.')) == NULL)
				continue;
			snprintf(full, sizeof full, "%.*s", (int)(dot - k), k);
			if ((s = config_suggest(name, (const char *const[]){ full }, 1)) != NULL)
				return s;
		}
	}
	if ((s = config_suggest(name, cands, n)) != NULL) {
		if (section == NULL)
			return s;
		snprintf(full, sizeof full, "%s.%s", section, s);
		return full;
	}
	for (i = 0; i < CONFIG_N_KEYS; i++) {
		leaf = strchr(config_keys_table[i].info.name, '.');
		leaf = leaf != NULL ? leaf + 1 : config_keys_table[i].info.name;
		if (strcmp(leaf, name) == 0 ||
		    config_distance(leaf, name) <= (strlen(name) < 9 ? 1 : 2))
			return config_keys_table[i].info.name;
	}
	return NULL;
}
