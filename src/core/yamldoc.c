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

/*
 * libyaml keeps an alias as a second reference to one node, but the config
 * and theme readers copy what they walk: ten lists of ten aliases each, ten
 * deep, is a 1 KB file that becomes gigabytes (a 15 KB config reached 1.5 GB
 * here). Walk the document as its readers will, within a budget of nodes and
 * scalar bytes far above any real config or theme, and refuse beyond it.
 */
#define YAMLDOC_MAX_NODES	100000
#define YAMLDOC_MAX_BYTES	(16L << 20)
#define YAMLDOC_MAX_DEPTH	64

struct yamldoc_budget {
	long nodes;
	long bytes;
};

/* 0 within the budget; -1 once it is spent (the walk stops there). */
static int
yamldoc_walk(yaml_document_t *doc, int id, int depth, struct yamldoc_budget *b)
{
	yaml_node_t *n = yaml_document_get_node(doc, id);
	yaml_node_item_t *it;
	yaml_node_pair_t *p;

	if (n == NULL)
		return 0;
	if (++b->nodes > YAMLDOC_MAX_NODES || depth > YAMLDOC_MAX_DEPTH)
		return -1;
	switch (n->type) {
	case YAML_SCALAR_NODE:
		b->bytes += (long)n->data.scalar.length;
		return b->bytes > YAMLDOC_MAX_BYTES ? -1 : 0;
	case YAML_SEQUENCE_NODE:
		for (it = n->data.sequence.items.start; it < n->data.sequence.items.top; it++)
			if (yamldoc_walk(doc, *it, depth + 1, b) != 0)
				return -1;
		return 0;
	case YAML_MAPPING_NODE:
		for (p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++)
			if (yamldoc_walk(doc, p->key, depth + 1, b) != 0 ||
			    yamldoc_walk(doc, p->value, depth + 1, b) != 0)
				return -1;
		return 0;
	default:
		return 0;
	}
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
	if (yamldoc_walk(doc, 1, 0, &(struct yamldoc_budget){ 0, 0 }) != 0) {
		snprintf(err, errlen, "%s: the document expands to more than %d nodes, "
		    "%ld MiB or %d levels (YAML aliases?)", name, YAMLDOC_MAX_NODES,
		    YAMLDOC_MAX_BYTES >> 20, YAMLDOC_MAX_DEPTH);
		yaml_document_delete(doc);
		return -1;
	}
	return 0;
}
