/* SPDX-License-Identifier: MIT */
/* The audit log: who did what, where, confirmed how, with what outcome. One
 * JSON object per line, appended with O_APPEND (lines from two processes
 * never interleave: each is one write) and fsync'ed before the action goes
 * on. The Milvus user is taken from the token file's user part only; the
 * password never leaves the file. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <cjson/cJSON.h>

#include "milvusadm/audit.h"
#include "milvusadm/buf.h"
#include "milvusadm/config.h"
#include "milvusadm/fsutil.h"
#include "milvusadm/timeutil.h"
#include "milvusadm/url.h"
#include "milvusadm/xalloc.h"

#define AUDIT_MAX_LINE		65536
#define AUDIT_MAX_FILE		((size_t)1 << 30)

char *
audit_path(void)
{
	char *state = config_state_dir(), *p;

	p = xasprintf("%s/audit.log", state);
	free(state);
	return p;
}

void
audit_new_id(char *out, size_t len)
{
	static unsigned n;

	snprintf(out, len, "%" PRId64 "-%ld-%u", time_wall_ms(), (long)getpid(), n++);
}

/* Option names whose value is a secret, whatever the command. */
static bool
secret_name(const char *s)
{
	static const char *const words[] = { "password", "passwd", "token", "secret",
	    "apikey", "api-key", "api_key", "credential", NULL };
	char low[128];
	size_t i;

	for (i = 0; s[i] != '\0' && i + 1 < sizeof low; i++)
		low[i] = (char)tolower((unsigned char)s[i]);
	low[i] = '\0';
	for (i = 0; words[i] != NULL; i++)
		if (strstr(low, words[i]) != NULL)
			return true;
	return false;
}

char *
audit_redact(int argc, char *const *argv)
{
	struct buf b = BUF_INIT;
	const char *eq;
	bool hide_next = false;
	int i;

	buf_adds(&b, "");
	for (i = 0; i < argc; i++) {
		const char *w = argv[i];

		if (i > 0)
			buf_addc(&b, ' ');
		if (hide_next) {
			buf_adds(&b, "***");
			hide_next = false;
		} else if (w[0] == '-' && (eq = strchr(w, '=')) != NULL &&
		    secret_name(w)) {
			buf_add(&b, w, (size_t)(eq - w) + 1);
			buf_adds(&b, "***");
		} else if (w[0] == '-' && secret_name(w)) {
			buf_adds(&b, w);
			hide_next = true;
		} else if (w[0] != '-' && (eq = strchr(w, '=')) != NULL &&
		    secret_name(w)) {
			/* --option key=value pairs name their secrets too. */
			buf_add(&b, w, (size_t)(eq - w) + 1);
			buf_adds(&b, "***");
		} else {
			/* user:password@ in a URL becomes user:***@. */
			char *red = url_redact_password(w);

			buf_adds(&b, red);
			free(red);
		}
	}
	return buf_detach(&b, NULL);
}

void
audit_os_who(char *user, size_t ulen, char *host, size_t hlen)
{
	struct passwd *pw = getpwuid(getuid());
	const char *u = pw != NULL ? pw->pw_name : getenv("USER");

	snprintf(user, ulen, "%s", u != NULL ? u : "?");
	if (gethostname(host, hlen) != 0)
		snprintf(host, hlen, "?");
	host[hlen - 1] = '\0';
}

/* The user part of "user:password" in the token file; an API key (no
 * colon) is said as such. Nothing else of the file is kept. */
static void
milvus_user(const struct profile *p, char *out, size_t len)
{
	char *data, *colon;
	size_t n;

	snprintf(out, len, "%s", "");
	if (p == NULL || p->milvus_token_file == NULL || p->milvus_token_file[0] == '\0')
		return;
	if ((data = fs_read_all(p->milvus_token_file, 4096, &n, NULL, 0)) == NULL)
		return;
	if ((colon = strchr(data, ':')) != NULL)
		snprintf(out, len, "%.*s", (int)(colon - data), data);
	else
		snprintf(out, len, "(api key)");
	explicit_bzero(data, n);
	free(data);
}

static void
field(struct buf *b, const char *key, const char *v)
{
	buf_printf(b, ",\"%s\":", key);
	if (v == NULL)
		buf_adds(b, "null");
	else
		buf_add_json_str(b, v);
}

char *
audit_line(const struct audit_entry *e)
{
	struct buf b = BUF_INIT;
	char user[128], host[256], mu[128], *args;

	audit_os_who(user, sizeof user, host, sizeof host);
	milvus_user(e->p, mu, sizeof mu);
	args = audit_redact(e->argc, e->argv);
	buf_printf(&b, "{\"time_ms\":%" PRId64, e->time_ms > 0 ? e->time_ms : time_wall_ms());
	field(&b, "phase", e->phase);
	field(&b, "id", e->id);
	field(&b, "os_user", user);
	field(&b, "host", host);
	field(&b, "milvus_user", mu[0] != '\0' ? mu : NULL);
	field(&b, "profile", e->p != NULL ? e->p->name : NULL);
	field(&b, "command", e->command);
	field(&b, "args", args);
	field(&b, "target", e->target);
	field(&b, "guard", e->guard);
	field(&b, "outcome", e->outcome);
	if (e->outcome != NULL)
		buf_printf(&b, ",\"exit_code\":%d", e->exit_code);
	field(&b, "backup", e->backup);
	field(&b, "undo", e->undo);
	buf_adds(&b, "}\n");
	free(args);
	return buf_detach(&b, NULL);
}

int
audit_append_line(const char *line, char *err, size_t errlen)
{
	char *path = audit_path();
	size_t len = strlen(line);
	ssize_t n;
	int fd, rc = -1;

	if (fs_mkdirs_for(path, err, errlen) != 0)
		goto out;
	if ((fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600)) == -1) {
		snprintf(err, errlen, "cannot write '%s': %s", path, strerror(errno));
		goto out;
	}
	/* One write per line: O_APPEND keeps concurrent writers' lines whole. */
	n = write(fd, line, len);
	if (n != (ssize_t)len || fsync(fd) != 0)
		snprintf(err, errlen, "cannot write '%s': %s", path, n < 0 || n == (ssize_t)len ?
		    strerror(errno) : "short write");
	else
		rc = 0;
	close(fd);
out:
	free(path);
	return rc;
}

int
audit_append(const struct audit_entry *e, char *err, size_t errlen)
{
	char *line = audit_line(e);
	int rc = audit_append_line(line, err, errlen);

	free(line);
	return rc;
}

static char *
j_dup(const cJSON *o, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

	return cJSON_IsString(v) ? xstrdup(v->valuestring) : NULL;
}

void
audit_record_free(struct audit_record *r)
{
	free(r->phase);
	free(r->id);
	free(r->os_user);
	free(r->host);
	free(r->milvus_user);
	free(r->profile);
	free(r->command);
	free(r->args);
	free(r->target);
	free(r->guard);
	free(r->outcome);
	free(r->backup);
	free(r->undo);
}

int
audit_parse_line(const char *line, size_t len, struct audit_record *r)
{
	const cJSON *t, *x;
	cJSON *j;

	memset(r, 0, sizeof *r);
	if (len > AUDIT_MAX_LINE)
		return -1;
	j = cJSON_ParseWithLength(line, len);
	t = cJSON_GetObjectItemCaseSensitive(j, "time_ms");
	if (!cJSON_IsObject(j) || !cJSON_IsNumber(t) || t->valuedouble < 0 ||
	    t->valuedouble > 9.0e15) {
		cJSON_Delete(j);
		return -1;
	}
	r->time_ms = (int64_t)t->valuedouble;
	r->phase = j_dup(j, "phase");
	r->id = j_dup(j, "id");
	r->os_user = j_dup(j, "os_user");
	r->host = j_dup(j, "host");
	r->milvus_user = j_dup(j, "milvus_user");
	r->profile = j_dup(j, "profile");
	r->command = j_dup(j, "command");
	r->args = j_dup(j, "args");
	r->target = j_dup(j, "target");
	r->guard = j_dup(j, "guard");
	r->outcome = j_dup(j, "outcome");
	r->backup = j_dup(j, "backup");
	r->undo = j_dup(j, "undo");
	x = cJSON_GetObjectItemCaseSensitive(j, "exit_code");
	r->exit_code = cJSON_IsNumber(x) ? x->valueint : -1;
	cJSON_Delete(j);
	if (r->phase == NULL || r->command == NULL) {
		audit_record_free(r);
		return -1;
	}
	return 0;
}

/* The file from byte off to its end (at most AUDIT_MAX_FILE bytes of it),
 * NUL-terminated: following reads only what was appended. *off goes back to
 * 0 when the file is now shorter (rotated or cut). NULL with *len 0 and
 * errno ENOENT for a missing file; NULL with err on any other failure. */
static char *
audit_read_tail(const char *path, int64_t *off, size_t *len, char *err, size_t errlen)
{
	struct stat sb;
	char *data;
	size_t want, got = 0;
	ssize_t n;
	int fd;

	*len = 0;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		if (errno != ENOENT)
			snprintf(err, errlen, "cannot read '%s': %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		snprintf(err, errlen, "cannot read '%s': %s", path, "not a readable regular file");
		close(fd);
		errno = EINVAL;
		return NULL;
	}
	if (*off < 0 || *off > (int64_t)sb.st_size)
		*off = 0;
	want = (size_t)(sb.st_size - *off);
	if (want > AUDIT_MAX_FILE)
		want = AUDIT_MAX_FILE;
	data = xmalloc(want + 1);
	while (got < want && (n = pread(fd, data + got, want - got, *off + (off_t)got)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			snprintf(err, errlen, "cannot read '%s': %s", path, strerror(errno));
			close(fd);
			free(data);
			errno = EIO;
			return NULL;
		}
		got += (size_t)n;
	}
	close(fd);
	data[got] = '\0';
	*len = got;
	return data;
}

int
audit_read(const char *path, int64_t *off, int64_t since_ms, const char *profile,
    void (*each)(const struct audit_record *r, void *arg),
    void (*skip)(long line, const char *why, void *arg), void *arg, char *err, size_t errlen)
{
	struct audit_record r;
	char *data, *p, *nl;
	size_t len;
	long line = 0;

	data = audit_read_tail(path, off, &len, err, errlen);
	if (data == NULL)
		return errno == ENOENT ? 0 : -1;
	for (p = data; (nl = memchr(p, '\n', len - (size_t)(p - data))) != NULL; p = nl + 1) {
		line++;
		if (audit_parse_line(p, (size_t)(nl - p), &r) != 0) {
			if (skip != NULL && nl > p)
				skip(line, "not an audit record", arg);
			continue;
		}
		if (r.time_ms >= since_ms && (profile == NULL ||
		    (r.profile != NULL && strcmp(r.profile, profile) == 0)))
			each(&r, arg);
		audit_record_free(&r);
	}
	*off += (int64_t)(p - data);
	free(data);
	return 0;
}
