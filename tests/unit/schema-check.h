/* SPDX-License-Identifier: MIT */
/* A small JSON Schema validator for the drill report tests (schema-check.c). */
#ifndef SCHEMA_CHECK_H
#define SCHEMA_CHECK_H

#include <stddef.h>

#include <cjson/cJSON.h>

/*
 * 0 when document V conforms to schema S, else -1 and why: the schema is
 * checked first, and any keyword the validator does not implement fails it.
 */
int schema_validate(const cJSON *s, const cJSON *v, char *why, size_t len);

#endif
