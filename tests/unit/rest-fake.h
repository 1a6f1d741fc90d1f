/* SPDX-License-Identifier: MIT */
/* A fake Milvus proxy for the REST client tests (rest-fake.c): libmicrohttpd
 * on a loopback address, in its own threads, answering each request with
 * what the test's function says; and a client of it. */
#ifndef MILVUSADM_TEST_REST_FAKE_H
#define MILVUSADM_TEST_REST_FAKE_H

struct loop;
struct milvus_rest;

/* The answer to a request: url as sent ("/<scenario>/v2/vectordb/<op>"),
 * body its whole body ("" when none); *status is 200 unless set. The text
 * is copied before the next request. Runs in the server's threads. */
typedef const char *(*rest_fake_fn)(const char *url, const char *method, const char *body,
    unsigned *status);

/* Start on ip (a free port) answering with fn; returns the port. */
int rest_fake_start(const char *ip, rest_fake_fn fn);
/* The port rest_fake_start returned. */
int rest_fake_port(void);
/* From inside fn only: a header of the request being answered, or a query
 * argument ("?role=..."); NULL when it has none. */
const char *rest_fake_header(const char *name);
const char *rest_fake_arg(const char *name);
void rest_fake_stop(void);
/* A client of the fake's proxies http://ip:port/<scenario>, one per entry of
 * the NULL-terminated scenarios ("down": a port nothing listens on);
 * default database db, per-attempt timeout 2 s, max_response 0 = 4 MiB. */
struct milvus_rest *rest_fake_client(struct loop *l, const char *const *scenarios,
    const char *db, size_t max_response);

#endif
