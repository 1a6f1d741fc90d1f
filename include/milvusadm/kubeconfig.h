/* SPDX-License-Identifier: MIT */
/* Kubernetes credentials as kubectl finds them: a kubeconfig file (an explicit
 * path, else the first file of $KUBECONFIG, else ~/.kube/config) resolved
 * through a context, or the in-cluster service account. */
#ifndef MILVUSADM_KUBECONFIG_H
#define MILVUSADM_KUBECONFIG_H

#include <stdbool.h>
#include <stddef.h>

/* PEM text decoded from a -data field. It stays in memory (libcurl gets it as
 * a blob) so nothing is left on disk if the process is killed. */
struct kube_pem {
	char *data;		/* NULL: none; the key's is wiped by _free */
	size_t len;
};

/* Where to reach the API server and how to authenticate. Owns every string.
 * The *_file paths are ready for libcurl (kubeconfig paths made absolute);
 * a -data field fills the matching *_pem instead, and then the path is NULL. */
struct kube_auth {
	char *source;		/* the kubeconfig file read, or "in-cluster" */
	char *context;		/* context name (NULL in-cluster) */
	char *server;		/* "https://host:port", no trailing '/' */
	char *namespace;	/* context namespace, in-cluster namespace, or "default" */
	char *ca_file;		/* NULL and no ca_pem: the system CAs */
	struct kube_pem ca_pem;
	bool insecure;		/* insecure-skip-tls-verify */
	char *token;		/* bearer token (from token or tokenFile), or NULL */
	char *token_file;	/* re-read by kube_auth_refresh, or NULL */
	char *cert_file;	/* client certificate and key, as files or PEM, or none */
	char *key_file;
	struct kube_pem cert_pem;
	struct kube_pem key_pem;
};

/* Default service-account directory of an in-cluster pod. */
#define KUBE_SA_DIR "/var/run/secrets/kubernetes.io/serviceaccount"

/* Load credentials. path NULL or "" means $KUBECONFIG's first file, then
 * ~/.kube/config, then the in-cluster service account (KUBERNETES_SERVICE_HOST
 * and _PORT set, token file present). context NULL or "" means current-context.
 * Refuses exec and auth-provider plugins and basic auth with a clear message.
 * NULL with a one-line reason ("file:line:col: ..." for YAML errors) in err. */
struct kube_auth *kubeconfig_load(const char *path, const char *context,
    char *err, size_t errlen);
/* Parse kubeconfig text (tests, fuzzing); dir resolves relative file paths. */
struct kube_auth *kubeconfig_load_string(const char *name, const char *dir,
    const char *text, size_t len, const char *context, char *err, size_t errlen);
/* The in-cluster service account from sa_dir (NULL = KUBE_SA_DIR) and
 * KUBERNETES_SERVICE_HOST / KUBERNETES_SERVICE_PORT. */
struct kube_auth *kubeconfig_in_cluster(const char *sa_dir, char *err, size_t errlen);
/* Re-read token_file (projected tokens rotate); a no-op without one. 0 or -1. */
int kube_auth_refresh(struct kube_auth *k, char *err, size_t errlen);
/* Wipe the key and free. NULL is fine. */
void kube_auth_free(struct kube_auth *k);

#endif
