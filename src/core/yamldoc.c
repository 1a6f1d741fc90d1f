/* SPDX-License-Identifier: MIT */
/* One YAML document from text, with errors that say where (the config and
 * the themes both read YAML written by people). */
#include <stdio.h>

#include <yaml.h>

#include "milvusadm/yamldoc.h"

/* Line and column (1-based) of a byte offset, for reader errors libyaml
 * reports by offset only. */
static void
yamldoc_offset_mark(const char *text, size_t len, size_t off, size_t *line,
    size_t *col)
{
	size_t i;

	*line = 1;
	*col = 1;
	for (i = 0; i < off && i < len; i++) {
		if (text[i] == '\n') {
			(*line)++;
			*col = 1;
		} else
			(*col)++;
	}
}

static void
yamldoc_error(const char *name, const yaml_parser_t *parser,
    const char *text, size_t len, char *err, size_t errlen)
{
	size_t line, col;

	if (errlen == 0)
		return;
	if (parser->error == YAML_READER_ERROR) {
		yamldoc_offset_mark(text, len, parser->problem_offset, &line, &col);
		snprintf(err, errlen, "%s:%zu:%zu: %s", name, line, col,
		    parser->problem != NULL ? parser->problem : "cannot read");
	} else if (parser->error == YAML_MEMORY_ERROR)
		snprintf(err, errlen, "%s: out of memory", name);
	else if (parser->context != NULL)
		snprintf(err, errlen, "%s:%lu:%lu: %s (%s at line %lu)", name,
		    (unsigned long)parser->problem_mark.line + 1,
		    (unsigned long)parser->problem_mark.column + 1,
		    parser->problem != NULL ? parser->problem : "syntax error",
		    parser->context,
		    (unsigned long)parser->context_mark.line + 1);
	else
		snprintf(err, errlen, "%s:%lu:%lu: %s", name,
		    (unsigned long)parser->problem_mark.line + 1,
		    (unsigned long)parser->problem_mark.column + 1,
		    parser->problem != NULL ? parser->problem : "syntax error");
}

int
yamldoc_load(const char *name, const char *text, size_t len,
    yaml_document_t *doc, char *err, size_t errlen)
{
	yaml_parser_t parser;
	yaml_document_t extra;
	yaml_node_t *root;

	if (!yaml_parser_initialize(&parser)) {
		snprintf(err, errlen, "%s: out of memory", name);
		return -1;
	}
	yaml_parser_set_input_string(&parser, (const unsigned char *)text, len);
	if (!yaml_parser_load(&parser, doc)) {
		yamldoc_error(name, &parser, text, len, err, errlen);
		yaml_parser_delete(&parser);
		return -1;
	}
	if (yaml_document_get_root_node(doc) != NULL) {
		if (!yaml_parser_load(&parser, &extra)) {
			yamldoc_error(name, &parser, text, len, err, errlen);
			yaml_document_delete(doc);
			yaml_parser_delete(&parser);
			return -1;
		}
		root = yaml_document_get_root_node(&extra);
		if (root != NULL) {
			snprintf(err, errlen, "%s:%lu:%lu: only one YAML document is allowed",
			    name, (unsigned long)root->start_mark.line + 1,
			    (unsigned long)root->start_mark.column + 1);
			yaml_document_delete(&extra);
			yaml_document_delete(doc);
			yaml_parser_delete(&parser);
			return -1;
		}
		yaml_document_delete(&extra);
	}
	yaml_parser_delete(&parser);
	return 0;
}
