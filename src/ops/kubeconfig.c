/* SPDX-License-Identifier: MIT */
/* Reading Kubernetes credentials the way kubectl does: kubeconfig (libyaml),
 * context -> cluster + user, -data fields decoded in memory for libcurl, or
 * the in-cluster service account. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <yaml.h>

#include "milvusadm/b64.h"
#include "milvusadm/buf.h"
#include "milvusadm/kubeconfig.h"
#include "milvusadm/log.h"
#include "milvusadm/xalloc.h"
#include "milvusadm/yamldoc.h"

/* A kubeconfig is a few KiB; one with embedded certs some tens. */
#define KUBE_MAX_FILE	(4u * 1024 * 1024)
#define KUBE_MAX_TOKEN	(64u * 1024)

static int
kube_read_file(const char *path, size_t max, char **out, size_t *len)
{
	struct buf b = BUF_INIT;
	char chunk[8192];
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1)
		return -1;
	while ((n = read(fd, chunk, sizeof chunk)) > 0) {
		if (b.len + (size_t)n > max) {
			close(fd);
			buf_release(&b);
			errno = EFBIG;
			return -1;
		}
		buf_add(&b, chunk, (size_t)n);
	}
	close(fd);
	if (n < 0) {
		buf_release(&b);
		return -1;
	}
	buf_add(&b, "", 0);
	*out = buf_detach(&b, len);
	return 0;
}

static void
kube_trim(char *s)
{
	size_t n = strlen(s), i = 0;

	while (n > 0 && strchr(" \t\r\n", s[n - 1]) != NULL)
		s[--n] = '\0';
	while (s[i] != '\0' && strchr(" \t\r\n", s[i]) != NULL)
		i++;
	memmove(s, s + i, n - i + 1);
}

/* Read a token file: trimmed, bounded, registered as a secret. */
static char *
kube_read_token(const char *path, char *err, size_t errlen)
{
	char *t;
	size_t len;

	if (kube_read_file(path, KUBE_MAX_TOKEN, &t, &len) != 0) {
		snprintf(err, errlen, "token file '%s': %s", path, strerror(errno));
		return NULL;
	}
	kube_trim(t);
	if (*t == '\0' || strchr(t, '\n') != NULL) {
		snprintf(err, errlen, "token file '%s' does not hold one token", path);
		free(t);
		return NULL;
	}
	log_add_secret(t);
	return t;
}

static void
kube_pem_clear(struct kube_pem *p)
{
	if (p->data != NULL)
		explicit_bzero(p->data, p->len);
	free(p->data);
	p->data = NULL;
	p->len = 0;
}

void
kube_auth_free(struct kube_auth *k)
{
	if (k == NULL)
		return;
	free(k->source);
	free(k->context);
	free(k->server);
	free(k->namespace);
	free(k->ca_file);
	kube_pem_clear(&k->ca_pem);
	free(k->token);
	free(k->token_file);
	free(k->cert_file);
	free(k->key_file);
	kube_pem_clear(&k->cert_pem);
	kube_pem_clear(&k->key_pem);
	free(k);
}

int
kube_auth_refresh(struct kube_auth *k, char *err, size_t errlen)
{
	char *t;

	if (k->token_file == NULL)
		return 0;
	if ((t = kube_read_token(k->token_file, err, errlen)) == NULL)
		return -1;
	free(k->token);
	k->token = t;
	return 0;
}

/* --- YAML document navigation --- */

struct kdoc {
	yaml_document_t doc;
	const char *name;
	const char *dir;
	struct kube_auth *k;
	char *err;
	size_t errlen;
};

static yaml_node_t *
kdoc_get(struct kdoc *d, yaml_node_t *map, const char *key)
{
	yaml_node_pair_t *p;

	if (map == NULL || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (p = map->data.mapping.pairs.start; p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *kn = yaml_document_get_node(&d->doc, p->key);

		if (kn != NULL && kn->type == YAML_SCALAR_NODE &&
		    strcmp((const char *)kn->data.scalar.value, key) == 0)
			return yaml_document_get_node(&d->doc, p->value);
	}
	return NULL;
}

/* The scalar value of map[key], or NULL; an error when present but not a scalar. */
static int
kdoc_str(struct kdoc *d, yaml_node_t *map, const char *key, const char **out)
{
	yaml_node_t *n = kdoc_get(d, map, key);

	*out = NULL;
	if (n == NULL)
		return 0;
	if (n->type != YAML_SCALAR_NODE) {
		snprintf(d->err, d->errlen, "%s:%zu:%zu: '%s' must be a string", d->name,
		    n->start_mark.line + 1, n->start_mark.column + 1, key);
		return -1;
	}
	*out = (const char *)n->data.scalar.value;
	if (**out == '\0')
		*out = NULL;
	return 0;
}

/* Find the entry called name in the list at root[list] and return its
 * sub-mapping entry[field] ("cluster", "user", "context"). */
static yaml_node_t *
kdoc_named(struct kdoc *d, const char *list, const char *field, const char *name)
{
	yaml_node_t *seq = kdoc_get(d, yaml_document_get_root_node(&d->doc), list);
	yaml_node_item_t *it;

	if (seq != NULL && seq->type == YAML_SEQUENCE_NODE) {
		for (it = seq->data.sequence.items.start; it < seq->data.sequence.items.top; it++) {
			yaml_node_t *e = yaml_document_get_node(&d->doc, *it);
			const char *n;

			if (kdoc_str(d, e, "name", &n) != 0)
				return NULL;
			if (n != NULL && strcmp(n, name) == 0) {
				yaml_node_t *sub = kdoc_get(d, e, field);

				if (sub == NULL || sub->type != YAML_MAPPING_NODE) {
					snprintf(d->err, d->errlen, "%s:%zu:%zu: %s '%s' has no '%s' mapping",
					    d->name, e->start_mark.line + 1, e->start_mark.column + 1,
					    field, name, field);
					return NULL;
				}
				return sub;
			}
		}
	}
	snprintf(d->err, d->errlen, "kubeconfig '%s': %s '%s' not found", d->name, field, name);
	return NULL;
}

static bool
kdoc_bool(struct kdoc *d, yaml_node_t *map, const char *key)
{
	const char *v;

	if (kdoc_str(d, map, key, &v) != 0 || v == NULL)
		return false;
	return strcmp(v, "true") == 0 || strcmp(v, "True") == 0 || strcmp(v, "TRUE") == 0;
}

/* A path from the kubeconfig: relative ones are relative to the file's folder. */
static char *
kdoc_path(struct kdoc *d, const char *p)
{
	const char *home = getenv("HOME");

	if (p[0] == '~' && p[1] == '/' && home != NULL)
		return xasprintf("%s%s", home, p + 1);
	if (p[0] == '/' || d->dir == NULL || d->dir[0] == '\0')
		return xstrdup(p);
	return xasprintf("%s/%s", d->dir, p);
}

/* Decode a -data field (base64 PEM) into memory: a file would outlive a
 * killed process. */
static int
kdoc_data(struct kdoc *d, const char *field, const char *b64, struct kube_pem *out)
{
	struct buf clean = BUF_INIT;
	char *pem;
	size_t len;

	for (; *b64 != '\0'; b64++)
		if (strchr(" \t\r\n", *b64) == NULL)
			buf_addc(&clean, *b64);
	pem = b64_decode(clean.data != NULL ? clean.data : "", clean.len, &len);
	if (clean.data != NULL)
		explicit_bzero(clean.data, clean.len);
	buf_release(&clean);
	if (pem == NULL || len == 0) {
		snprintf(d->err, d->errlen, "kubeconfig '%s': '%s' is not base64", d->name, field);
		free(pem);
		return -1;
	}
	out->data = pem;
	out->len = len;
	return 0;
}

/* data wins over the path, as in kubectl. */
static int
kdoc_file_pair(struct kdoc *d, yaml_node_t *map, const char *pathkey, char **path,
    struct kube_pem *pem)
{
	char datakey[64];
	const char *p, *data;

	snprintf(datakey, sizeof datakey, "%s-data", pathkey);
	if (kdoc_str(d, map, pathkey, &p) != 0 || kdoc_str(d, map, datakey, &data) != 0)
		return -1;
	if (data != NULL)
		return kdoc_data(d, datakey, data, pem);
	if (p != NULL)
		*path = kdoc_path(d, p);
	return 0;
}

static int
kdoc_cluster(struct kdoc *d, yaml_node_t *c)
{
	const char *server;

	if (kdoc_str(d, c, "server", &server) != 0)
		return -1;
	if (server == NULL || (strncmp(server, "https://", 8) != 0 &&
	    strncmp(server, "http://", 7) != 0)) {
		snprintf(d->err, d->errlen, "kubeconfig '%s': cluster has no http(s) 'server'", d->name);
		return -1;
	}
	d->k->server = xstrdup(server);
	while (strlen(d->k->server) > 8 && d->k->server[strlen(d->k->server) - 1] == '/')
		d->k->server[strlen(d->k->server) - 1] = '\0';
	d->k->insecure = kdoc_bool(d, c, "insecure-skip-tls-verify");
	return kdoc_file_pair(d, c, "certificate-authority", &d->k->ca_file, &d->k->ca_pem);
}

static int
kdoc_user(struct kdoc *d, yaml_node_t *u, const char *uname)
{
	const char *token, *tfile, *user;

	if (kdoc_get(d, u, "exec") != NULL) {
		snprintf(d->err, d->errlen, "user '%s' authenticates with an exec plugin, which "
		    "milvusadm does not run: use a token, tokenFile or client certificate "
		    "(for example a service account token)", uname);
		return -1;
	}
	if (kdoc_get(d, u, "auth-provider") != NULL) {
		snprintf(d->err, d->errlen, "user '%s' uses an auth-provider plugin, which "
		    "milvusadm does not support: use a token, tokenFile or client certificate", uname);
		return -1;
	}
	if (kdoc_str(d, u, "username", &user) != 0)
		return -1;
	if (user != NULL) {
		snprintf(d->err, d->errlen, "user '%s' uses basic auth, which Kubernetes removed "
		    "in 1.19: use a token or client certificate", uname);
		return -1;
	}
	if (kdoc_str(d, u, "token", &token) != 0 || kdoc_str(d, u, "tokenFile", &tfile) != 0)
		return -1;
	if (tfile != NULL) {
		d->k->token_file = kdoc_path(d, tfile);
		if ((d->k->token = kube_read_token(d->k->token_file, d->err, d->errlen)) == NULL)
			return -1;
	} else if (token != NULL) {
		d->k->token = xstrdup(token);
		log_add_secret(token);
	}
	if (kdoc_file_pair(d, u, "client-certificate", &d->k->cert_file, &d->k->cert_pem) != 0 ||
	    kdoc_file_pair(d, u, "client-key", &d->k->key_file, &d->k->key_pem) != 0)
		return -1;
	if ((d->k->cert_file == NULL && d->k->cert_pem.data == NULL) !=
	    (d->k->key_file == NULL && d->k->key_pem.data == NULL)) {
		snprintf(d->err, d->errlen, "user '%s' has a client certificate without a key "
		    "(or a key without a certificate)", uname);
		return -1;
	}
	return 0;
}

static int
kdoc_resolve(struct kdoc *d, const char *context)
{
	yaml_node_t *root = yaml_document_get_root_node(&d->doc), *ctx, *c, *u;
	const char *cur, *cname, *uname, *ns;

	if (root == NULL || root->type != YAML_MAPPING_NODE) {
		snprintf(d->err, d->errlen, "kubeconfig '%s' is not a mapping", d->name);
		return -1;
	}
	if (kdoc_str(d, root, "current-context", &cur) != 0)
		return -1;
	if (context == NULL || *context == '\0')
		context = cur;
	if (context == NULL) {
		snprintf(d->err, d->errlen, "kubeconfig '%s' has no current-context: set "
		    "drill.context", d->name);
		return -1;
	}
	d->k->context = xstrdup(context);
	if ((ctx = kdoc_named(d, "contexts", "context", context)) == NULL)
		return -1;
	if (kdoc_str(d, ctx, "cluster", &cname) != 0 || kdoc_str(d, ctx, "user", &uname) != 0 ||
	    kdoc_str(d, ctx, "namespace", &ns) != 0)
		return -1;
	if (cname == NULL) {
		snprintf(d->err, d->errlen, "context '%s' names no cluster", context);
		return -1;
	}
	d->k->namespace = xstrdup(ns != NULL ? ns : "default");
	if ((c = kdoc_named(d, "clusters", "cluster", cname)) == NULL || kdoc_cluster(d, c) != 0)
		return -1;
	if (uname == NULL)	/* no user: anonymous, as kubectl allows */
		return 0;
	if ((u = kdoc_named(d, "users", "user", uname)) == NULL)
		return -1;
	return kdoc_user(d, u, uname);
}

struct kube_auth *
kubeconfig_load_string(const char *name, const char *dir, const char *text, size_t len,
    const char *context, char *err, size_t errlen)
{
	struct kdoc d;
	int rc;

	memset(&d, 0, sizeof d);
	d.name = name;
	d.dir = dir;
	d.err = err;
	d.errlen = errlen;
	d.k = xcalloc(1, sizeof *d.k);
	d.k->source = xstrdup(name);
	/* The shared loader: located errors, one document only, and a bound on
	 * what aliases expand to (a kubeconfig is a file anyone may hand us). */
	if (yamldoc_load(name, text, len, &d.doc, err, errlen) != 0) {
		kube_auth_free(d.k);
		return NULL;
	}
	rc = kdoc_resolve(&d, context);
	yaml_document_delete(&d.doc);
	if (rc != 0) {
		kube_auth_free(d.k);
		return NULL;
	}
	return d.k;
}

static struct kube_auth *
kubeconfig_load_file(const char *path, const char *context, char *err, size_t errlen)
{
	struct kube_auth *k;
	char *text, *dir, *slash;
	size_t len;

	if (kube_read_file(path, KUBE_MAX_FILE, &text, &len) != 0) {
		snprintf(err, errlen, "kubeconfig '%s': %s", path, strerror(errno));
		return NULL;
	}
	dir = xstrdup(path);
	if ((slash = strrchr(dir, '/')) != NULL)
		*slash = '\0';
	else {
		free(dir);
		dir = getcwd(NULL, 0);
	}
	k = kubeconfig_load_string(path, dir != NULL ? dir : ".", text, len, context, err, errlen);
	free(dir);
	free(text);
	return k;
}

struct kube_auth *
kubeconfig_in_cluster(const char *sa_dir, char *err, size_t errlen)
{
	const char *host = getenv("KUBERNETES_SERVICE_HOST");
	const char *port = getenv("KUBERNETES_SERVICE_PORT");
	struct kube_auth *k;
	char *p, *ns;
	size_t len;

	if (sa_dir == NULL)
		sa_dir = KUBE_SA_DIR;
	if (host == NULL || *host == '\0' || port == NULL || *port == '\0') {
		snprintf(err, errlen, "not in a cluster: KUBERNETES_SERVICE_HOST and "
		    "KUBERNETES_SERVICE_PORT are not set");
		return NULL;
	}
	k = xcalloc(1, sizeof *k);
	k->source = xstrdup("in-cluster");
	/* The serving certificate is only guaranteed for this address; IPv6 in brackets. */
	k->server = strchr(host, ':') != NULL ? xasprintf("https://[%s]:%s", host, port) :
	    xasprintf("https://%s:%s", host, port);
	k->token_file = xasprintf("%s/token", sa_dir);
	if ((k->token = kube_read_token(k->token_file, err, errlen)) == NULL) {
		kube_auth_free(k);
		return NULL;
	}
	p = xasprintf("%s/ca.crt", sa_dir);
	if (access(p, R_OK) == 0)
		k->ca_file = p;
	else
		free(p);
	p = xasprintf("%s/namespace", sa_dir);
	if (kube_read_file(p, 4096, &ns, &len) == 0) {
		kube_trim(ns);
		if (*ns != '\0')
			k->namespace = ns;
		else
			free(ns);
	}
	free(p);
	if (k->namespace == NULL)
		k->namespace = xstrdup("default");
	return k;
}

struct kube_auth *
kubeconfig_load(const char *path, const char *context, char *err, size_t errlen)
{
	const char *env = getenv("KUBECONFIG"), *home = getenv("HOME");
	struct kube_auth *k;
	char *file = NULL;

	if (path != NULL && *path != '\0') {
		if (path[0] == '~' && path[1] == '/' && home != NULL)
			file = xasprintf("%s%s", home, path + 1);
		else
			file = xstrdup(path);
	} else if (env != NULL && *env != '\0') {
		/* kubectl merges the list; the first file is the one that names things here. */
		size_t n = strcspn(env, ":");

		file = xstrndup(env, n);
	} else if (home != NULL) {
		file = xasprintf("%s/.kube/config", home);
		if (access(file, F_OK) != 0) {
			free(file);
			file = NULL;
		}
	}
	if (file == NULL) {
		if ((k = kubeconfig_in_cluster(NULL, err, errlen)) == NULL)
			snprintf(err, errlen, "no kubeconfig (set drill.kubeconfig or $KUBECONFIG, "
			    "or create ~/.kube/config) and not running in a cluster");
		return k;
	}
	k = kubeconfig_load_file(file, context, err, errlen);
	free(file);
	return k;
}
