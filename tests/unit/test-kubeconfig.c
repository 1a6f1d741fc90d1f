/* SPDX-License-Identifier: MIT */
/* Unit tests for kubeconfig reading: contexts, CA and client data kept in
 * memory (never on disk), tokens, refused plugins, in-cluster service accounts. */
#include <check.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "milvusadm/b64.h"
#include "milvusadm/kubeconfig.h"
#include "milvusadm/xalloc.h"

static char tmpdir[64];

static void
setup(void)
{
	snprintf(tmpdir, sizeof tmpdir, "/tmp/test-kubeconfig-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	setenv("TMPDIR", tmpdir, 1);
}

static void
teardown(void)
{
	char *cmd = xasprintf("rm -rf '%s'", tmpdir);

	ck_assert_int_eq(system(cmd), 0);
	free(cmd);
	unsetenv("TMPDIR");
}

static void
write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

static const char base_cfg[] =
    "apiVersion: v1\n"
    "kind: Config\n"
    "current-context: prod\n"
    "clusters:\n"
    "- name: c1\n"
    "  cluster:\n"
    "    server: https://10.1.2.3:6443/\n"
    "    certificate-authority: certs/ca.crt\n"
    "- name: c2\n"
    "  cluster:\n"
    "    server: https://k8s.example:443\n"
    "    insecure-skip-tls-verify: true\n"
    "users:\n"
    "- name: u1\n"
    "  user:\n"
    "    token: abc.def\n"
    "- name: u2\n"
    "  user:\n"
    "    exec:\n"
    "      apiVersion: client.authentication.k8s.io/v1\n"
    "      command: aws\n"
    "- name: u3\n"
    "  user:\n"
    "    auth-provider:\n"
    "      name: gcp\n"
    "contexts:\n"
    "- name: prod\n"
    "  context: {cluster: c1, user: u1, namespace: milvus}\n"
    "- name: dev\n"
    "  context: {cluster: c2, user: u1}\n"
    "- name: eks\n"
    "  context: {cluster: c1, user: u2}\n"
    "- name: gke\n"
    "  context: {cluster: c1, user: u3}\n";

START_TEST(current_context_token_ca_path)
{
	char err[256];
	struct kube_auth *k = kubeconfig_load_string("cfg", "/etc/kube", base_cfg,
	    strlen(base_cfg), NULL, err, sizeof err);

	ck_assert_msg(k != NULL, "%s", err);
	ck_assert_str_eq(k->context, "prod");
	ck_assert_str_eq(k->server, "https://10.1.2.3:6443");
	ck_assert_str_eq(k->namespace, "milvus");
	ck_assert_str_eq(k->ca_file, "/etc/kube/certs/ca.crt");
	ck_assert_str_eq(k->token, "abc.def");
	ck_assert(!k->insecure);
	ck_assert_ptr_null(k->cert_file);
	ck_assert_ptr_null(k->ca_pem.data);
	kube_auth_free(k);
}
END_TEST

START_TEST(explicit_context_insecure_default_ns)
{
	char err[256];
	struct kube_auth *k = kubeconfig_load_string("cfg", "/x", base_cfg, strlen(base_cfg),
	    "dev", err, sizeof err);

	ck_assert_msg(k != NULL, "%s", err);
	ck_assert_str_eq(k->server, "https://k8s.example:443");
	ck_assert(k->insecure);
	ck_assert_str_eq(k->namespace, "default");
	ck_assert_ptr_null(k->ca_file);
	kube_auth_free(k);
}
END_TEST

START_TEST(plugins_refused)
{
	char err[256];

	ck_assert_ptr_null(kubeconfig_load_string("cfg", "/x", base_cfg, strlen(base_cfg), "eks",
	    err, sizeof err));
	ck_assert_msg(strstr(err, "exec plugin") != NULL && strstr(err, "'u2'") != NULL, "%s", err);
	ck_assert_ptr_null(kubeconfig_load_string("cfg", "/x", base_cfg, strlen(base_cfg), "gke",
	    err, sizeof err));
	ck_assert_msg(strstr(err, "auth-provider") != NULL, "%s", err);
	ck_assert_ptr_null(kubeconfig_load_string("cfg", "/x", base_cfg, strlen(base_cfg), "nope",
	    err, sizeof err));
	ck_assert_str_eq(err, "kubeconfig 'cfg': context 'nope' not found");
}
END_TEST

START_TEST(yaml_error_position)
{
	char err[256];
	const char *bad = "clusters:\n  - name: [x\n";

	ck_assert_ptr_null(kubeconfig_load_string("bad.yaml", "/x", bad, strlen(bad), NULL,
	    err, sizeof err));
	ck_assert_msg(strncmp(err, "bad.yaml:", 9) == 0, "%s", err);
}
END_TEST

/* Through the shared YAML loader: a second document and an alias bomb are
 * refused with the loader's messages, as for the config and the themes. */
START_TEST(yaml_shared_loader)
{
	char err[256], bomb[2048];
	const char *two = "clusters: []\n---\nusers: []\n";
	size_t n;
	int i, j;

	ck_assert_ptr_null(kubeconfig_load_string("two.yaml", "/x", two, strlen(two), NULL,
	    err, sizeof err));
	ck_assert_msg(strstr(err, "two.yaml:3:1: only one YAML document is allowed") != NULL,
	    "%s", err);
	n = (size_t)snprintf(bomb, sizeof bomb, "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
	for (i = 1; i < 10; i++) {
		n += (size_t)snprintf(bomb + n, sizeof bomb - n, "a%d: &a%d [", i, i);
		for (j = 0; j < 10; j++)
			n += (size_t)snprintf(bomb + n, sizeof bomb - n, "%s*a%d", j ? ", " : "",
			    i - 1);
		n += (size_t)snprintf(bomb + n, sizeof bomb - n, "]\n");
	}
	ck_assert_ptr_null(kubeconfig_load_string("bomb.yaml", "/x", bomb, n, NULL,
	    err, sizeof err));
	ck_assert_msg(strstr(err, "expands to more than") != NULL, "%s", err);
}
END_TEST

START_TEST(data_fields_in_memory)
{
	const char *ca = "-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n";
	const char *crt = "-----BEGIN CERTIFICATE-----\nCLIENT\n-----END CERTIFICATE-----\n";
	const char *key = "-----BEGIN PRIVATE KEY-----\nKEY\n-----END PRIVATE KEY-----\n";
	char *ca64 = b64_encode(ca, strlen(ca)), *crt64 = b64_encode(crt, strlen(crt));
	char *key64 = b64_encode(key, strlen(key)), *cfg, *got, err[256];
	struct kube_auth *k;
	glob_t gl;

	cfg = xasprintf("current-context: x\n"
	    "clusters: [{name: c, cluster: {server: 'https://127.0.0.1:1', certificate-authority: /nope, "
	    "certificate-authority-data: %s}}]\n"
	    "users: [{name: u, user: {client-certificate-data: %s, client-key-data: %s, "
	    "token: t0, tokenFile: %s/tok}}]\n"
	    "contexts: [{name: x, context: {cluster: c, user: u}}]\n", ca64, crt64, key64, tmpdir);
	got = xasprintf("%s/tok", tmpdir);
	write_file(got, "  file-token\n");
	free(got);
	k = kubeconfig_load_string("cfg", "/x", cfg, strlen(cfg), NULL, err, sizeof err);
	ck_assert_msg(k != NULL, "%s", err);
	/* -data wins over the path; tokenFile over token */
	ck_assert_str_eq(k->token, "file-token");
	ck_assert_ptr_null(k->ca_file);
	ck_assert_ptr_null(k->cert_file);
	ck_assert_ptr_null(k->key_file);
	ck_assert_int_eq(k->ca_pem.len, strlen(ca));
	ck_assert(memcmp(k->ca_pem.data, ca, strlen(ca)) == 0);
	ck_assert_int_eq(k->cert_pem.len, strlen(crt));
	ck_assert(memcmp(k->cert_pem.data, crt, strlen(crt)) == 0);
	ck_assert_int_eq(k->key_pem.len, strlen(key));
	ck_assert(memcmp(k->key_pem.data, key, strlen(key)) == 0);
	/* Nothing on disk that a killed process would leave behind. */
	got = xasprintf("%s/milvusadm-kube-*", tmpdir);
	ck_assert_int_eq(glob(got, 0, NULL, &gl), GLOB_NOMATCH);
	globfree(&gl);
	free(got);
	/* a rotated token is read again */
	got = xasprintf("%s/tok", tmpdir);
	write_file(got, "rotated\n");
	free(got);
	ck_assert_int_eq(kube_auth_refresh(k, err, sizeof err), 0);
	ck_assert_str_eq(k->token, "rotated");
	kube_auth_free(k);
	free(cfg);
	free(ca64);
	free(crt64);
	free(key64);
}
END_TEST

START_TEST(cert_without_key)
{
	char err[256];
	const char *cfg = "current-context: x\n"
	    "clusters: [{name: c, cluster: {server: 'https://h:1'}}]\n"
	    "users: [{name: u, user: {client-certificate: /a.crt}}]\n"
	    "contexts: [{name: x, context: {cluster: c, user: u}}]\n";

	ck_assert_ptr_null(kubeconfig_load_string("cfg", "/x", cfg, strlen(cfg), NULL, err,
	    sizeof err));
	ck_assert_msg(strstr(err, "without a key") != NULL, "%s", err);
}
END_TEST

START_TEST(kubeconfig_env_first_file)
{
	char *a = xasprintf("%s/a.yaml", tmpdir), *env, err[256];
	struct kube_auth *k;

	write_file(a, base_cfg);
	env = xasprintf("%s:%s/b.yaml", a, tmpdir);
	setenv("KUBECONFIG", env, 1);
	k = kubeconfig_load(NULL, "dev", err, sizeof err);
	ck_assert_msg(k != NULL, "%s", err);
	ck_assert_str_eq(k->source, a);
	ck_assert_str_eq(k->server, "https://k8s.example:443");
	kube_auth_free(k);
	/* an explicit path (drill.kubeconfig) wins over $KUBECONFIG */
	setenv("KUBECONFIG", "/nonexistent", 1);
	k = kubeconfig_load(a, NULL, err, sizeof err);
	ck_assert_msg(k != NULL, "%s", err);
	ck_assert(strstr(k->ca_file, "/certs/ca.crt") != NULL);
	ck_assert(strncmp(k->ca_file, tmpdir, strlen(tmpdir)) == 0);
	kube_auth_free(k);
	unsetenv("KUBECONFIG");
	free(env);
	free(a);
}
END_TEST

START_TEST(in_cluster)
{
	char *p, err[256];
	struct kube_auth *k;

	unsetenv("KUBERNETES_SERVICE_HOST");
	ck_assert_ptr_null(kubeconfig_in_cluster(tmpdir, err, sizeof err));
	setenv("KUBERNETES_SERVICE_HOST", "10.96.0.1", 1);
	setenv("KUBERNETES_SERVICE_PORT", "443", 1);
	ck_assert_ptr_null(kubeconfig_in_cluster(tmpdir, err, sizeof err));
	ck_assert_msg(strstr(err, "token") != NULL, "%s", err);
	p = xasprintf("%s/token", tmpdir);
	write_file(p, "sa-token\n");
	free(p);
	p = xasprintf("%s/ca.crt", tmpdir);
	write_file(p, "PEM\n");
	free(p);
	p = xasprintf("%s/namespace", tmpdir);
	write_file(p, "milvus\n");
	free(p);
	k = kubeconfig_in_cluster(tmpdir, err, sizeof err);
	ck_assert_msg(k != NULL, "%s", err);
	ck_assert_str_eq(k->server, "https://10.96.0.1:443");
	ck_assert_str_eq(k->token, "sa-token");
	ck_assert_str_eq(k->namespace, "milvus");
	ck_assert(strstr(k->ca_file, "/ca.crt") != NULL);
	ck_assert_str_eq(k->source, "in-cluster");
	kube_auth_free(k);
	setenv("KUBERNETES_SERVICE_HOST", "fd00::1", 1);
	k = kubeconfig_in_cluster(tmpdir, err, sizeof err);
	ck_assert_msg(k != NULL, "%s", err);
	ck_assert_str_eq(k->server, "https://[fd00::1]:443");
	kube_auth_free(k);
	unsetenv("KUBERNETES_SERVICE_HOST");
	unsetenv("KUBERNETES_SERVICE_PORT");
}
END_TEST

Suite *
test_suite(void)
{
	Suite *s = suite_create("kubeconfig");
	TCase *tc = tcase_create("kubeconfig");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, current_context_token_ca_path);
	tcase_add_test(tc, explicit_context_insecure_default_ns);
	tcase_add_test(tc, plugins_refused);
	tcase_add_test(tc, yaml_error_position);
	tcase_add_test(tc, yaml_shared_loader);
	tcase_add_test(tc, data_fields_in_memory);
	tcase_add_test(tc, cert_without_key);
	tcase_add_test(tc, kubeconfig_env_first_file);
	tcase_add_test(tc, in_cluster);
	suite_add_tcase(s, tc);
	return s;
}
