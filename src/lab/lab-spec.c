/* SPDX-License-Identifier: MIT */
/* The lab's plan (members, addresses, options) and its state file, as JSON on disk. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "milvusadm/buf.h"
#include "milvusadm/config.h"
#include "milvusadm/lab.h"
#include "milvusadm/xalloc.h"
#include "milvusadm/fsutil.h"

/* lab.json and state.json are ours, but bound them anyway. */
#define LAB_FILE_MAX	(1024 * 1024)

int
lab_parse_subnet(const char *subnet, char *net, size_t netlen, char *err, size_t errlen)
{
	unsigned a, b, c, d, bits;
	char tail;

	if (sscanf(subnet, "%u.%u.%u.%u/%u%c", &a, &b, &c, &d, &bits, &tail) != 5 ||
	    a > 255 || b > 255 || c > 255 || d > 255) {
		snprintf(err, errlen, "subnet '%s' is not of the form 127.A.B.0/24", subnet);
		return -1;
	}
	if (a != 127) {
		snprintf(err, errlen, "subnet '%s' is not loopback: the lab only uses 127.0.0.0/8",
		    subnet);
		return -1;
	}
	if (bits != 24 || d != 0) {
		snprintf(err, errlen, "subnet '%s' must be a /24 ending in .0", subnet);
		return -1;
	}
	if (b == 0 && c == 0) {
		/* 127.0.0.1 is everybody's localhost; keep the lab off it. */
		snprintf(err, errlen, "subnet '%s' overlaps 127.0.0.1; pick another /24", subnet);
		return -1;
	}
	snprintf(net, netlen, "127.%u.%u", b, c);
	return 0;
}

int
lab_check_name(const char *name, char *err, size_t errlen)
{
	size_t i, n = strlen(name);

	if (n == 0 || n > 32) {
		snprintf(err, errlen, "lab name '%s' must have 1 to 32 characters", name);
		return -1;
	}
	for (i = 0; i < n; i++) {
		char ch = name[i];
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		    (ch >= '0' && ch <= '9') || ch == '-' || ch == '_')) {
			snprintf(err, errlen, "lab name '%s' may only use letters, digits, "
			    "'-' and '_'", name);
			return -1;
		}
	}
	return 0;
}

char *
lab_dir_path(const char *name)
{
	char *state = config_state_dir(), *dir;

	dir = xasprintf("%s/lab/%s", state, name);
	free(state);
	return dir;
}

char *
lab_path(const struct lab *lab, const char *file)
{
	return xasprintf("%s/%s", lab->dir, file);
}

int
lab_extra_ip(const char *net, int i, char *ip, size_t iplen)
{
	int a, b;

	if (sscanf(net, "127.%d.%d", &a, &b) != 2 || i < 0 ||
	    b + 1 + i / LAB_EXTRA_PER_NET > 255)
		return -1;
	snprintf(ip, iplen, "127.%d.%d.%d", a, b + 1 + i / LAB_EXTRA_PER_NET,
	    2 + i % LAB_EXTRA_PER_NET);
	return 0;
}

static void
lab_add_member(struct lab *lab, const char *role, int index, const char *ip, bool as)
{
	struct lab_member *m;

	lab->members = xreallocarray(lab->members, lab->n_members + 1, sizeof *lab->members);
	m = &lab->members[lab->n_members++];
	memset(m, 0, sizeof *m);
	m->name = xasprintf("%s-%d", role, index);
	m->role = xstrdup(role);
	m->ip = xstrdup(ip);
	m->active_standby = as;
	m->state = LAB_STOPPED;
}

static void
lab_add_role(struct lab *lab, const char *role, int count, bool as, int *host)
{
	char ip[48];
	int i;

	for (i = 1; i <= count; i++) {
		snprintf(ip, sizeof ip, "%s.%d", lab->net, (*host)++);
		lab_add_member(lab, role, i, ip, as);
	}
}

struct lab *
lab_plan(const struct lab_opts *o, char *err, size_t errlen)
{
	struct lab *lab;
	char net[32], ip[48];
	int host = 10, coords, i, ttl;
	bool mix;

	if (lab_check_name(o->name, err, errlen) == -1)
		return NULL;
	if (lab_parse_subnet(o->subnet, net, sizeof net, err, errlen) == -1)
		return NULL;
	if (strcmp(o->milvus, "2.4") != 0 && strcmp(o->milvus, "2.5") != 0 &&
	    strcmp(o->milvus, "2.6") != 0 && strcmp(o->milvus, "3.0") != 0) {
		snprintf(err, errlen, "milvus version '%s' is not one of 2.4, 2.5, 2.6, 3.0",
		    o->milvus);
		return NULL;
	}
	/* No --ttl: the lab's quick 10 s, except that 3.0 plays its shipped
	 * 15 s (contract §10), whose timing the 3.0 lab exists to show. */
	ttl = o->ttl != 0 ? o->ttl : strcmp(o->milvus, "3.0") == 0 ? 15 : 10;
	if (o->n_etcd != 1 && o->n_etcd != 3) {
		snprintf(err, errlen, "etcd member count '%d' must be 1 or 3", o->n_etcd);
		return NULL;
	}
	if (ttl < 1 || ttl > 3600) {
		snprintf(err, errlen, "ttl '%d' must be between 1 and 3600 seconds", ttl);
		return NULL;
	}
	if (o->backup && o->backup_version != NULL && strcmp(o->backup_version, "0.5") != 0 &&
	    strcmp(o->backup_version, "0.6") != 0) {
		snprintf(err, errlen, "backup version '%s' is not one of 0.5, 0.6", o->backup_version);
		return NULL;
	}
	if (o->extra_workers < 0 || o->extra_workers > LAB_EXTRA_MAX ||
	    lab_extra_ip(net, o->extra_workers > 0 ? o->extra_workers - 1 : 0, ip,
	    sizeof ip) == -1) {
		snprintf(err, errlen, "extra workers '%d' must be between 0 and %d and fit in "
		    "the /24s after subnet '%s'", o->extra_workers, LAB_EXTRA_MAX, o->subnet);
		return NULL;
	}
	if (o->extra_churn < 0 || o->extra_churn > LAB_EXTRA_CHURN_MAX ||
	    (o->extra_churn > 0 && o->extra_workers == 0)) {
		snprintf(err, errlen, "extra churn '%d' must be between 0 and %d, and needs "
		    "extra workers", o->extra_churn, LAB_EXTRA_CHURN_MAX);
		return NULL;
	}
	lab = xcalloc(1, sizeof *lab);
	lab->name = xstrdup(o->name);
	lab->dir = lab_dir_path(o->name);
	lab->extra_workers = o->extra_workers;
	lab->extra_churn = o->extra_churn;
	lab->subnet = xstrdup(o->subnet);
	lab->net = xstrdup(net);
	lab->milvus = xstrdup(o->milvus);
	lab->root = xstrdup("by-dev");
	lab->standalone = o->standalone;
	lab->standby = !o->no_standby && !o->standalone;
	lab->ttl = ttl;
	lab->backoff_ms = o->backoff_ms > 0 ? o->backoff_ms : 1000;
	lab->labd = xstrdup(o->labd != NULL ? o->labd : "milvusadm-labd");
	lab->etcd = xstrdup(o->etcd != NULL ? o->etcd : "etcd");
	lab->backup_version = xstrdup(o->backup_version != NULL ? o->backup_version : "0.6");

	for (i = 0; i < o->n_etcd; i++) {
		snprintf(ip, sizeof ip, "%s.%d", net, 2 + i);
		lab_add_member(lab, "etcd", i + 1, ip, false);
	}
	if (o->backup) {
		/* Between etcd (.2-.4) and the components (.10 on). */
		snprintf(ip, sizeof ip, "%s.%d", net, LAB_BACKUP_HOST);
		lab_add_member(lab, LAB_BACKUP_ROLE, 1, ip, false);
	}
	/* 3.0 has 2.6's roles (§10). */
	mix = strcmp(o->milvus, "2.6") == 0 || strcmp(o->milvus, "3.0") == 0;
	if (o->extra_workers > 0) {
		/* One process registers them all; its ip is the first one's. */
		(void)lab_extra_ip(net, 0, ip, sizeof ip);
		lab_add_member(lab, LAB_EXTRA_ROLE, 1, ip, false);
	}
	if (o->standalone) {
		lab_add_role(lab, "standalone", 1, false, &host);
		return lab;
	}
	coords = lab->standby ? 2 : 1;
	if (mix) {
		lab_add_role(lab, "mixcoord", coords, lab->standby, &host);
		lab_add_role(lab, "streamingnode", 1, false, &host);
		lab_add_role(lab, "querynode", 1, false, &host);
		lab_add_role(lab, "datanode", 1, false, &host);
		lab_add_role(lab, "proxy", 1, false, &host);
	} else {
		lab_add_role(lab, "rootcoord", coords, lab->standby, &host);
		lab_add_role(lab, "querycoord", coords, lab->standby, &host);
		lab_add_role(lab, "datacoord", coords, lab->standby, &host);
		lab_add_role(lab, "proxy", 2, false, &host);
		lab_add_role(lab, "querynode", 3, false, &host);
		lab_add_role(lab, "datanode", 2, false, &host);
		lab_add_role(lab, "indexnode", 1, false, &host);
	}
	return lab;
}

static void
lab_member_release(struct lab_member *m)
{
	free(m->name);
	free(m->role);
	free(m->ip);
	free(m->last_exit);
	free(m->hostname);
}

void
lab_free(struct lab *lab)
{
	size_t i;

	if (lab == NULL)
		return;
	for (i = 0; i < lab->n_members; i++)
		lab_member_release(&lab->members[i]);
	free(lab->members);
	free(lab->name);
	free(lab->dir);
	free(lab->subnet);
	free(lab->net);
	free(lab->milvus);
	free(lab->root);
	free(lab->labd);
	free(lab->etcd);
	free(lab->backup_version);
	free(lab);
}

struct lab_member *
lab_member_find(struct lab *lab, const char *name)
{
	size_t i;

	for (i = 0; i < lab->n_members; i++) {
		if (strcmp(lab->members[i].name, name) == 0)
			return &lab->members[i];
	}
	return NULL;
}

char **
lab_etcd_endpoints(const struct lab *lab)
{
	char **v = xcalloc(lab->n_members + 1, sizeof *v);
	size_t i, n = 0;

	for (i = 0; i < lab->n_members; i++) {
		if (strcmp(lab->members[i].role, "etcd") == 0)
			v[n++] = xasprintf("http://%s:%d", lab->members[i].ip,
			    LAB_ETCD_CLIENT_PORT);
	}
	return v;
}

void
lab_strv_free(char **v)
{
	size_t i;

	if (v == NULL)
		return;
	for (i = 0; v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

static int
lab_count_role(const struct lab *lab, const char *role)
{
	size_t i;
	int n = 0;

	for (i = 0; i < lab->n_members; i++)
		n += strcmp(lab->members[i].role, role) == 0;
	return n;
}

static const char *const lab_roles_24[] = { "rootcoord", "querycoord", "datacoord",
	"proxy", "querynode", "datanode", "indexnode", NULL };
static const char *const lab_roles_26[] = { "mixcoord", "streamingnode", "querynode",
	"datanode", "proxy", NULL };

const char *const *
lab_session_roles(const struct lab *lab)
{
	return strcmp(lab->milvus, "2.6") == 0 || strcmp(lab->milvus, "3.0") == 0 ?
	    lab_roles_26 : lab_roles_24;
}

/*
 * The minimum a ready lab shows in etcd. Workers register <role>-<id>; with
 * active-standby every coordinator registers <role>-<id> and the active one also
 * the bare key; without it there is only the bare key. A standalone process
 * registers its components with active-standby off, so it owes the bare
 * coordinator keys and at least one proxy session. Counts are minimums: a 2.6
 * streamingnode also registers an embedded querynode.
 */
int
lab_expected_sessions(const struct lab *lab, const char *role, bool *active_key)
{
	bool coord = strcmp(role, "rootcoord") == 0 || strcmp(role, "querycoord") == 0 ||
	    strcmp(role, "datacoord") == 0 || strcmp(role, "mixcoord") == 0;
	int n;

	*active_key = false;
	if (lab->standalone) {
		*active_key = coord;
		return strcmp(role, "proxy") == 0 ? 1 : 0;
	}
	n = lab_count_role(lab, role);
	if (coord && n > 0) {
		*active_key = true;
		return lab->standby ? n : 0;
	}
	return n;
}

const char *
lab_state_name(enum lab_state s)
{
	switch (s) {
	case LAB_STARTING:
		return "starting";
	case LAB_RUNNING:
		return "running";
	case LAB_BACKOFF:
		return "backoff";
	case LAB_STOPPED:
		break;
	}
	return "stopped";
}

static enum lab_state
lab_state_parse(const char *s)
{
	if (strcmp(s, "starting") == 0)
		return LAB_STARTING;
	if (strcmp(s, "running") == 0)
		return LAB_RUNNING;
	if (strcmp(s, "backoff") == 0)
		return LAB_BACKOFF;
	return LAB_STOPPED;
}

/* Write text to path through a temporary file and rename, so readers never see half. */
int
lab_write_atomic(const char *path, const char *text, char *err, size_t errlen)
{
	char *tmp = xasprintf("%s.tmp.%ld", path, (long)getpid());
	size_t len = strlen(text);
	ssize_t w;
	int fd;

	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd == -1) {
		snprintf(err, errlen, "cannot write '%s': %s", tmp, strerror(errno));
		free(tmp);
		return -1;
	}
	w = write(fd, text, len);
	if (w != (ssize_t)len || close(fd) == -1 || rename(tmp, path) == -1) {
		snprintf(err, errlen, "cannot write '%s': %s", path,
		    w == -1 ? strerror(errno) : "short write");
		unlink(tmp);
		free(tmp);
		return -1;
	}
	free(tmp);
	return 0;
}

static char *
lab_read_file(const char *path, char *err, size_t errlen)
{
	struct buf b = BUF_INIT;
	char chunk[8192];
	size_t n;
	FILE *f;

	f = fopen(path, "re");
	if (f == NULL) {
		snprintf(err, errlen, "cannot read '%s': %s", path, strerror(errno));
		return NULL;
	}
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		buf_add(&b, chunk, n);
		if (b.len > LAB_FILE_MAX) {
			snprintf(err, errlen, "file '%s' is too large", path);
			fclose(f);
			buf_release(&b);
			return NULL;
		}
	}
	fclose(f);
	buf_addc(&b, '\0');
	return buf_detach(&b, NULL);
}

static const char *
json_str(const cJSON *o, const char *name, const char *def)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	return cJSON_IsString(v) ? v->valuestring : def;
}

static int64_t
json_int(const cJSON *o, const char *name, int64_t def)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	return cJSON_IsNumber(v) ? (int64_t)v->valuedouble : def;
}

static bool
json_bool(const cJSON *o, const char *name, bool def)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	return cJSON_IsBool(v) ? cJSON_IsTrue(v) : def;
}

int
lab_write_plan(const struct lab *lab, char *err, size_t errlen)
{
	cJSON *root = cJSON_CreateObject(), *arr, *o;
	char *path, *text;
	size_t i;
	int rc;

	cJSON_AddNumberToObject(root, "version", 1);
	cJSON_AddStringToObject(root, "name", lab->name);
	cJSON_AddStringToObject(root, "subnet", lab->subnet);
	cJSON_AddStringToObject(root, "milvus", lab->milvus);
	cJSON_AddStringToObject(root, "root_path", lab->root);
	cJSON_AddBoolToObject(root, "standalone", lab->standalone);
	cJSON_AddBoolToObject(root, "standby", lab->standby);
	cJSON_AddNumberToObject(root, "ttl", lab->ttl);
	cJSON_AddNumberToObject(root, "backoff_ms", (double)lab->backoff_ms);
	cJSON_AddNumberToObject(root, "extra_workers", lab->extra_workers);
	cJSON_AddNumberToObject(root, "extra_churn", lab->extra_churn);
	cJSON_AddStringToObject(root, "backup_version", lab->backup_version != NULL ?
	    lab->backup_version : "0.6");
	cJSON_AddStringToObject(root, "labd", lab->labd);
	cJSON_AddStringToObject(root, "etcd", lab->etcd);
	arr = cJSON_AddArrayToObject(root, "members");
	for (i = 0; i < lab->n_members; i++) {
		const struct lab_member *m = &lab->members[i];
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "name", m->name);
		cJSON_AddStringToObject(o, "role", m->role);
		cJSON_AddStringToObject(o, "ip", m->ip);
		cJSON_AddBoolToObject(o, "active_standby", m->active_standby);
		cJSON_AddItemToArray(arr, o);
	}
	text = cJSON_Print(root);
	cJSON_Delete(root);
	if (text == NULL) {
		snprintf(err, errlen, "cannot encode the lab plan");
		return -1;
	}
	path = lab_path(lab, "lab.json");
	rc = lab_write_atomic(path, text, err, errlen);
	free(path);
	cJSON_free(text);
	return rc;
}

struct lab *
lab_read_plan(const char *dir, char *err, size_t errlen)
{
	char *path = xasprintf("%s/lab.json", dir), *text, net[32];
	const cJSON *arr, *o;
	struct lab *lab;
	cJSON *root;

	text = lab_read_file(path, err, errlen);
	if (text == NULL) {
		free(path);
		return NULL;
	}
	root = cJSON_Parse(text);
	free(text);
	if (!cJSON_IsObject(root) || json_int(root, "version", 0) != 1 ||
	    lab_parse_subnet(json_str(root, "subnet", ""), net, sizeof net, err, errlen) == -1) {
		snprintf(err, errlen, "'%s' is not a lab plan", path);
		cJSON_Delete(root);
		free(path);
		return NULL;
	}
	free(path);
	lab = xcalloc(1, sizeof *lab);
	lab->name = xstrdup(json_str(root, "name", "default"));
	lab->dir = xstrdup(dir);
	lab->subnet = xstrdup(json_str(root, "subnet", ""));
	lab->net = xstrdup(net);
	lab->milvus = xstrdup(json_str(root, "milvus", "2.5"));
	lab->root = xstrdup(json_str(root, "root_path", "by-dev"));
	lab->standalone = json_bool(root, "standalone", false);
	lab->standby = json_bool(root, "standby", true);
	lab->ttl = (int)json_int(root, "ttl", 10);
	lab->backoff_ms = json_int(root, "backoff_ms", 1000);
	lab->extra_workers = (int)json_int(root, "extra_workers", 0);
	if (lab->extra_workers < 0 || lab->extra_workers > LAB_EXTRA_MAX)
		lab->extra_workers = 0;
	lab->extra_churn = (int)json_int(root, "extra_churn", 0);
	if (lab->extra_churn < 0 || lab->extra_churn > LAB_EXTRA_CHURN_MAX)
		lab->extra_churn = 0;
	lab->backup_version = xstrdup(strcmp(json_str(root, "backup_version", "0.6"), "0.5") == 0 ?
	    "0.5" : "0.6");
	lab->labd = xstrdup(json_str(root, "labd", "milvusadm-labd"));
	lab->etcd = xstrdup(json_str(root, "etcd", "etcd"));
	arr = cJSON_GetObjectItemCaseSensitive(root, "members");
	cJSON_ArrayForEach(o, arr) {
		const char *name = json_str(o, "name", NULL);
		const char *role = json_str(o, "role", NULL);
		const char *ip = json_str(o, "ip", NULL);
		struct lab_member *m;

		if (name == NULL || role == NULL || ip == NULL || lab->n_members >= 256)
			continue;
		lab->members = xreallocarray(lab->members, lab->n_members + 1,
		    sizeof *lab->members);
		m = &lab->members[lab->n_members++];
		memset(m, 0, sizeof *m);
		m->name = xstrdup(name);
		m->role = xstrdup(role);
		m->ip = xstrdup(ip);
		m->active_standby = json_bool(o, "active_standby", false);
		m->state = LAB_STOPPED;
	}
	cJSON_Delete(root);
	return lab;
}

int
lab_write_state(const struct lab *lab, char *err, size_t errlen)
{
	cJSON *root = cJSON_CreateObject(), *arr, *o;
	char *path, *text;
	size_t i;
	int rc;

	cJSON_AddNumberToObject(root, "version", 1);
	cJSON_AddStringToObject(root, "name", lab->name);
	cJSON_AddNumberToObject(root, "supervisor_pid", (double)lab->supervisor_pid);
	arr = cJSON_AddArrayToObject(root, "members");
	for (i = 0; i < lab->n_members; i++) {
		const struct lab_member *m = &lab->members[i];
		o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "name", m->name);
		cJSON_AddStringToObject(o, "role", m->role);
		cJSON_AddStringToObject(o, "ip", m->ip);
		cJSON_AddNumberToObject(o, "pid", (double)m->pid);
		cJSON_AddStringToObject(o, "state", lab_state_name(m->state));
		cJSON_AddNumberToObject(o, "restarts", m->restarts);
		if (m->last_exit != NULL)
			cJSON_AddStringToObject(o, "last_exit", m->last_exit);
		else
			cJSON_AddNullToObject(o, "last_exit");
		if (m->hostname != NULL)
			cJSON_AddStringToObject(o, "hostname", m->hostname);
		else
			cJSON_AddNullToObject(o, "hostname");
		cJSON_AddNumberToObject(o, "started_ms", (double)m->started_ms);
		cJSON_AddItemToArray(arr, o);
	}
	text = cJSON_Print(root);
	cJSON_Delete(root);
	if (text == NULL) {
		snprintf(err, errlen, "cannot encode the lab state");
		return -1;
	}
	path = lab_path(lab, "state.json");
	rc = lab_write_atomic(path, text, err, errlen);
	free(path);
	cJSON_free(text);
	return rc;
}

int
lab_read_state(struct lab *lab, char *err, size_t errlen)
{
	char *path = lab_path(lab, "state.json"), *text;
	const cJSON *arr, *o;
	cJSON *root;

	text = lab_read_file(path, err, errlen);
	if (text == NULL) {
		free(path);
		return -1;
	}
	root = cJSON_Parse(text);
	free(text);
	if (!cJSON_IsObject(root)) {
		snprintf(err, errlen, "'%s' is not a lab state file", path);
		cJSON_Delete(root);
		free(path);
		return -1;
	}
	free(path);
	lab->supervisor_pid = (pid_t)json_int(root, "supervisor_pid", 0);
	arr = cJSON_GetObjectItemCaseSensitive(root, "members");
	cJSON_ArrayForEach(o, arr) {
		const char *name = json_str(o, "name", ""), *s;
		struct lab_member *m = lab_member_find(lab, name);

		if (m == NULL)
			continue;
		m->pid = (pid_t)json_int(o, "pid", 0);
		m->state = lab_state_parse(json_str(o, "state", "stopped"));
		m->restarts = (int)json_int(o, "restarts", 0);
		m->started_ms = json_int(o, "started_ms", 0);
		free(m->last_exit);
		s = json_str(o, "last_exit", NULL);
		m->last_exit = s != NULL ? xstrdup(s) : NULL;
		free(m->hostname);
		s = json_str(o, "hostname", NULL);
		m->hostname = s != NULL ? xstrdup(s) : NULL;
	}
	cJSON_Delete(root);
	return 0;
}

size_t
lab_proc_read(pid_t pid, const char *name, char *buf, size_t len)
{
	char path[64];
	size_t n;
	FILE *f;

	if (len == 0)
		return 0;
	buf[0] = '\0';
	if (pid <= 0)
		return 0;
	snprintf(path, sizeof path, "/proc/%ld/%s", (long)pid, name);
	if ((f = fopen(path, "re")) == NULL)
		return 0;
	n = fread(buf, 1, len - 1, f);
	fclose(f);
	buf[n] = '\0';
	return n;
}

bool
lab_pid_is_ours(pid_t pid, const char *dir)
{
	char cmd[8192], *p;
	size_t n, i;

	if (pid <= 0 || kill(pid, 0) == -1)
		return false;
	n = lab_proc_read(pid, "cmdline", cmd, sizeof cmd);
	/* A zombie has an empty command line: it is gone as far as we care. */
	if (n == 0)
		return false;
	for (i = 0; i < n; i++) {
		if (cmd[i] == '\0')
			cmd[i] = ' ';
	}
	cmd[n] = '\0';
	/* "/lab/a" must not match "/lab/ab/...": the dir has to end where a path does. */
	for (p = strstr(cmd, dir); p != NULL; p = strstr(p + 1, dir)) {
		char next = p[strlen(dir)];
		if (next == '/' || next == ' ' || next == '\0')
			return true;
	}
	return false;
}

pid_t
lab_supervisor_pid(const char *dir)
{
	char *path = xasprintf("%s/supervisor.pid", dir);
	long pid = 0;
	FILE *f;

	f = fopen(path, "re");
	free(path);
	if (f == NULL)
		return 0;
	if (fscanf(f, "%ld", &pid) != 1)
		pid = 0;
	fclose(f);
	if (pid <= 0 || !lab_pid_is_ours((pid_t)pid, dir))
		return 0;
	return (pid_t)pid;
}
