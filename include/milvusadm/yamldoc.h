/* SPDX-License-Identifier: MIT */
/* Loading exactly one YAML document from text with errors that say where:
 * "name:line:col: problem". Shared by the config and the themes. */
#ifndef MILVUSADM_YAMLDOC_H
#define MILVUSADM_YAMLDOC_H

#include <stddef.h>

#include <yaml.h>

/* Parse text (len bytes) as one YAML document into doc (delete it with
 * yaml_document_delete); the root is NULL for an empty text. A second
 * document is an error. -1 with err ("NAME:LINE:COL: ..."). */
int yamldoc_load(const char *name, const char *text, size_t len, yaml_document_t *doc,
    char *err, size_t errlen);

#endif
