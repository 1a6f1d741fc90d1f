/* SPDX-License-Identifier: MIT */
/* Standard base64 with padding (RFC 4648 section 4), strict on decode. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "milvusadm/b64.h"
#include "milvusadm/xalloc.h"

static const char b64_alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

char *
b64_encode(const void *p, size_t n)
{
	const unsigned char *s = p;
	char *out, *o;
	size_t i;

	out = o = xmalloc(((n + 2) / 3) * 4 + 1);
	for (i = 0; i + 2 < n; i += 3) {
		*o++ = b64_alphabet[s[i] >> 2];
		*o++ = b64_alphabet[((s[i] & 0x03) << 4) | (s[i + 1] >> 4)];
		*o++ = b64_alphabet[((s[i + 1] & 0x0f) << 2) | (s[i + 2] >> 6)];
		*o++ = b64_alphabet[s[i + 2] & 0x3f];
	}
	if (i < n) {
		*o++ = b64_alphabet[s[i] >> 2];
		if (i + 1 < n) {
			*o++ = b64_alphabet[((s[i] & 0x03) << 4) | (s[i + 1] >> 4)];
			*o++ = b64_alphabet[(s[i + 1] & 0x0f) << 2];
		} else {
			*o++ = b64_alphabet[(s[i] & 0x03) << 4];
			*o++ = '=';
		}
		*o++ = '=';
	}
	*o = '\0';
	return out;
}

static int
b64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

char *
b64_decode(const char *s, size_t n, size_t *out_len)
{
	char *out;
	size_t i, o = 0, pad = 0;
	int v[4], k;

	/* Go's encoding/base64.StdEncoding (what etcd uses) always pads. */
	if (n % 4 != 0)
		return NULL;
	if (n > 0 && s[n - 1] == '=')
		pad++;
	if (pad == 1 && n > 1 && s[n - 2] == '=')
		pad++;
	out = xmalloc(n / 4 * 3 + 1);
	for (i = 0; i < n; i += 4) {
		for (k = 0; k < 4; k++) {
			/* '=' only as the padding of the last quantum. */
			if (s[i + k] == '=' && i + 4 == n && k >= 4 - (int)pad)
				v[k] = 0;
			else if ((v[k] = b64_value((unsigned char)s[i + k])) < 0)
				goto bad;
		}
		out[o++] = (char)((v[0] << 2) | (v[1] >> 4));
		if (i + 4 < n || pad < 2)
			out[o++] = (char)(((v[1] & 0x0f) << 4) | (v[2] >> 2));
		if (i + 4 < n || pad < 1)
			out[o++] = (char)(((v[2] & 0x03) << 6) | v[3]);
	}
	out[o] = '\0';
	if (out_len != NULL)
		*out_len = o;
	return out;
bad:
	free(out);
	return NULL;
}
