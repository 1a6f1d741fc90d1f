/* SPDX-License-Identifier: MIT */
/* libFuzzer target for the command lexer (runbooks and shell lines are input)
 * and for the escaping of untrusted text on its way to a terminal. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/cmd.h"
#include "milvusadm/output.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cmd_list l;
	char err[256], *text, *e;
	size_t i;
	int line = 0, j, rc;

	text = malloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	for (int flags = 0; flags <= CMD_LEX_PARTIAL; flags++) {
		rc = cmd_lex(text, 1, flags, &l, err, sizeof err, &line);
		if (rc != 0 && l.n != 0)
			abort();
		for (i = 0; i < l.n; i++) {
			if (l.v[i].argc < 1 || l.v[i].argv[l.v[i].argc] != NULL)
				abort();
			for (j = 0; j < l.v[i].argc; j++) {
				if (strlen(l.v[i].argv[j]) > CMD_LEX_MAX_WORD)
					abort();
			}
		}
		cmd_list_free(&l);
	}
	/* Escaped text holds no control byte and no invalid UTF-8 lead. */
	e = out_escape(text);
	for (i = 0; e[i] != '\0'; i++) {
		if ((unsigned char)e[i] < 0x20 || (unsigned char)e[i] == 0x7f)
			abort();
	}
	free(e);
	free(text);
	return 0;
}
