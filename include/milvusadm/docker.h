/* SPDX-License-Identifier: MIT */
/* The Docker Engine API objects the drill reads: /version, the container list
 * and a container inspect, converted to plain structs here so that cJSON
 * stays in the client layer. */
#ifndef MILVUSADM_DOCKER_H
#define MILVUSADM_DOCKER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DOCKER_MAX_CONTAINERS	4096

/* The newest API version the tool speaks; older daemons are asked for theirs. */
#define DOCKER_API_MAX_MAJOR	1
#define DOCKER_API_MAX_MINOR	47
/* Older than this has no usable container API for the drill. */
#define DOCKER_API_MIN_MINOR	24

/* GET /version: the daemon's newest and oldest API version ("1.43"). */
struct docker_version {
	int api_major, api_minor;
	int min_major, min_minor;	/* 0.0 when the daemon does not say */
};

/* One entry of GET /containers/json. */
struct docker_summary {
	char *id;
	char *name;			/* first of Names[], without the leading '/' */
	char *state;			/* "running", "exited", ... */
};

/* GET /containers/{id}/json, the fields the drill uses. */
struct docker_inspect {
	char *id;
	char *name;			/* without the leading '/' */
	char *hostname;			/* Config.Hostname */
	char *status;			/* State.Status */
	bool running;
	int64_t pid;
	int64_t exit_code;
	int64_t restart_count;		/* top-level RestartCount */
	char *restart_policy;		/* HostConfig.RestartPolicy.Name; "" = none */
};

/* Parse "1.43" into major/minor; 0 or -1. */
int docker_version_parse_str(const char *s, int *major, int *minor);
/* 0, or -1 with a reason (nothing to free). */
int docker_version_parse(const char *body, size_t len, struct docker_version *out,
    char *err, size_t errlen);
int docker_list_parse(const char *body, size_t len, struct docker_summary **out, size_t *n,
    char *err, size_t errlen);
void docker_list_free(struct docker_summary *v, size_t n);
int docker_inspect_parse(const char *body, size_t len, struct docker_inspect *out,
    char *err, size_t errlen);
void docker_inspect_release(struct docker_inspect *c);
/* The "message" of an error body, one bounded line, or NULL. Caller frees. */
char *docker_error_message(const char *body, size_t len);
/* A container ID (64 hex digits) or hostname safe to put in a URL path. */
bool docker_id_valid(const char *s);

#endif
