/* SPDX-License-Identifier: MIT */
/* Session values as Milvus writes them (SessionRaw, contract §1.5), by hand so
 * that field order, omitempty and the 63-bit LeaseID are exact. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "labd.h"

#define LABEL_ENV "MILVUS_SERVER_LABEL_"

void
labd_json_str(struct buf *b, const char *s)
{
	const unsigned char *p;

	buf_addc(b, '"');
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		switch (*p) {
		case '"':  buf_adds(b, "\\\""); break;
		case '\\': buf_adds(b, "\\\\"); break;
		case '\n': buf_adds(b, "\\n"); break;
		case '\r': buf_adds(b, "\\r"); break;
		case '\t': buf_adds(b, "\\t"); break;
		/* Go's encoder is HTML-safe by default, and so is sonic's ConfigStd. */
		case '<': case '>': case '&':
			buf_printf(b, "\\u%04x", *p);
			break;
		default:
			if (*p < 0x20)
				buf_printf(b, "\\u%04x", *p);
			else if (p[0] == 0xe2 && p[1] == 0x80 &&
			    (p[2] == 0xa8 || p[2] == 0xa9)) {
				buf_printf(b, "\\u%04x", p[2] == 0xa8 ? 0x2028 : 0x2029);
				p += 2;
			} else
				buf_addc(b, (char)*p);
		}
	}
	buf_addc(b, '"');
}

/* {"MinimalIndexVersion":..,"CurrentIndexVersion":..,"MaximumIndexVersion":..}, inner omitempty. */
static void
index_version(struct buf *b, int32_t min, int32_t cur, int32_t max)
{
	const char *sep = "";

	buf_addc(b, '{');
	if (min != 0) {
		buf_printf(b, "%s\"MinimalIndexVersion\":%d", sep, (int)min);
		sep = ",";
	}
	if (cur != 0) {
		buf_printf(b, "%s\"CurrentIndexVersion\":%d", sep, (int)cur);
		sep = ",";
	}
	if (max != 0)
		buf_printf(b, "%s\"MaximumIndexVersion\":%d", sep, (int)max);
	buf_addc(b, '}');
}

void
labd_session_json(struct buf *b, const struct labd_session_info *s)
{
	const char *sep = "";
	size_t i;

	buf_addc(b, '{');
	if (s->server_id != 0) {
		buf_printf(b, "\"ServerID\":%lld", (long long)s->server_id);
		sep = ",";
	}
	if (s->server_name[0] != '\0') {
		buf_printf(b, "%s\"ServerName\":", sep);
		labd_json_str(b, s->server_name);
		sep = ",";
	}
	if (s->address[0] != '\0') {
		buf_printf(b, "%s\"Address\":", sep);
		labd_json_str(b, s->address);
		sep = ",";
	}
	if (s->exclusive) {
		buf_printf(b, "%s\"Exclusive\":true", sep);
		sep = ",";
	}
	if (s->stopping) {
		buf_printf(b, "%s\"Stopping\":true", sep);
		sep = ",";
	}
	/* TriggerKill and Version have no omitempty; TriggerKill is always true
	 * in practice, and 3.x's SessionRaw has no such field at all (§10). */
	if (!s->no_trigger_kill) {
		buf_printf(b, "%s\"TriggerKill\":true", sep);
		sep = ",";
	}
	buf_printf(b, "%s\"Version\":", sep);
	labd_json_str(b, s->version);
	buf_adds(b, ",\"IndexEngineVersion\":");
	index_version(b, s->idx_min, s->idx_cur, s->idx_max);
	if (s->has_scalar) {
		buf_adds(b, ",\"ScalarIndexEngineVersion\":");
		index_version(b, s->sc_min, s->sc_cur, s->sc_max);
	}
	if (s->index_non_encoding)
		buf_adds(b, ",\"IndexNonEncoding\":true");
	if (s->lease_id != 0)
		buf_printf(b, ",\"LeaseID\":%lld", (long long)s->lease_id);
	if (s->host_name[0] != '\0') {
		buf_adds(b, ",\"HostName\":");
		labd_json_str(b, s->host_name);
	}
	if (s->enable_disk)
		buf_adds(b, ",\"EnableDisk\":true");
	if (s->n_labels > 0) {
		buf_adds(b, ",\"ServerLabels\":{");
		for (i = 0; i < s->n_labels; i++) {
			if (i > 0)
				buf_addc(b, ',');
			labd_json_str(b, s->labels[i].name);
			buf_addc(b, ':');
			labd_json_str(b, s->labels[i].value);
		}
		buf_addc(b, '}');
	}
	buf_addc(b, '}');
}

static int
label_cmp(const void *a, const void *b)
{
	return strcmp(((const struct labd_label *)a)->name,
	    ((const struct labd_label *)b)->name);
}

static void
label_set(struct labd_session_info *s, const char *name, size_t name_len, const char *value)
{
	size_t i;

	if (name_len == 0 || name_len >= sizeof s->labels[0].name)
		return;
	for (i = 0; i < s->n_labels; i++) {
		if (strlen(s->labels[i].name) == name_len &&
		    memcmp(s->labels[i].name, name, name_len) == 0)
			break;
	}
	if (i == s->n_labels) {
		if (s->n_labels == LABD_MAX_LABELS)
			return;
		s->n_labels++;
	}
	memcpy(s->labels[i].name, name, name_len);
	s->labels[i].name[name_len] = '\0';
	snprintf(s->labels[i].value, sizeof s->labels[i].value, "%s", value);
}

/*
 * 2.6 (internal/util/sessionutil/labels.go): MILVUS_SERVER_LABEL_<ROLE>_<LABEL>
 * applies to one role, MILVUS_SERVER_LABEL_<LABEL> to all. Returns the label
 * part of name for role, or NULL when the variable is for another role.
 */
static const char *
label_for_role_26(const char *name, enum labd_role role)
{
	static const struct {
		const char *prefix;
		enum labd_role role;
	} prefixes[] = {
		{ "MIXCOORD_", LABD_MIXCOORD }, { "COORD_", LABD_MIXCOORD },
		{ "QUERYNODE_", LABD_QUERYNODE }, { "QN_", LABD_QUERYNODE },
		{ "DATANODE_", LABD_DATANODE }, { "DN_", LABD_DATANODE },
		{ "STREAMINGNODE_", LABD_STREAMINGNODE }, { "SN_", LABD_STREAMINGNODE },
		{ "PROXY_", LABD_PROXY },
	};
	size_t i, n;

	for (i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++) {
		n = strlen(prefixes[i].prefix);
		if (strncasecmp(name, prefixes[i].prefix, n) == 0)
			return prefixes[i].role == role ? name + n : NULL;
	}
	return name;
}

static void
labels_from_env(struct labd_session_info *s, const struct labd_version *v,
    enum labd_role role, char *const *envp)
{
	const char *name, *eq, *label;
	size_t i;

	if (envp == NULL)
		return;
	/* 2.5: only the querynode reads the variables. */
	if (!v->labels_all_roles && role != LABD_QUERYNODE)
		return;
	for (i = 0; envp[i] != NULL; i++) {
		if (strncmp(envp[i], LABEL_ENV, strlen(LABEL_ENV)) != 0)
			continue;
		name = envp[i] + strlen(LABEL_ENV);
		if ((eq = strchr(name, '=')) == NULL)
			continue;
		label = name;
		if (v->labels_all_roles) {
			char tmp[128];

			snprintf(tmp, sizeof tmp, "%.*s", (int)(eq - name), name);
			if ((label = label_for_role_26(tmp, role)) == NULL)
				continue;
			label = name + (label - tmp);
		}
		label_set(s, label, (size_t)(eq - label), eq + 1);
	}
}

void
labd_session_describe(struct labd_session_info *s, const struct labd_version *v,
    enum labd_role role, int64_t server_id, const char *ip, const char *host,
    char *const *envp, bool embedded)
{
	memset(s, 0, sizeof *s);
	s->server_id = server_id;
	snprintf(s->server_name, sizeof s->server_name, "%s", labd_role_name(role));
	snprintf(s->address, sizeof s->address, "%s:%d", ip, labd_role_port(role, v));
	s->exclusive = labd_role_exclusive(role);
	snprintf(s->version, sizeof s->version, "%s", v->semver);
	s->no_trigger_kill = v->no_trigger_kill;
	s->has_scalar = v->scalar_index;
	if (role == LABD_QUERYNODE) {
		s->idx_min = v->qn_index_min;
		s->idx_cur = v->qn_index_cur;
		s->idx_max = v->qn_index_max;
		s->sc_min = v->qn_scalar_min;
		s->sc_cur = v->qn_scalar_cur;
		s->sc_max = v->qn_scalar_max;
		s->index_non_encoding = v->index_non_encoding;
	}
	snprintf(s->host_name, sizeof s->host_name, "%s", host != NULL ? host : "");
	/* indexNode.enableDisk defaults to true in milvus.yaml. */
	if (role == LABD_INDEXNODE && v->enable_disk)
		s->enable_disk = true;
	if (v->server_labels) {
		labels_from_env(s, v, role, envp);
		if (embedded && role == LABD_QUERYNODE)
			label_set(s, "STREAMING-EMBEDDED", strlen("STREAMING-EMBEDDED"), "1");
		qsort(s->labels, s->n_labels, sizeof s->labels[0], label_cmp);
	}
}
