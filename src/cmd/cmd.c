/* SPDX-License-Identifier: MIT */
/* The command engine: the context handlers write to, noun-verb lookup with
 * unique prefixes, global options and the prerequisites every command obeys. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "build-config.h"
#include "milvusadm/buf.h"
#include "milvusadm/cmd.h"
#include "milvusadm/config.h"
#include "milvusadm/audit.h"
#include "milvusadm/guard.h"
#include "milvusadm/timeutil.h"
#include "milvusadm/xalloc.h"
#include "cmd-handlers.h"

/* Colour only for a person at a terminal who has not asked for none (no-color.org). */
static bool
cmd_color_allowed(FILE *f)
{
	const char *term = getenv("TERM");
	const char *nc = getenv("NO_COLOR");

	if (fileno(f) < 0 || !isatty(fileno(f)))
		return false;
	if (nc != NULL && nc[0] != '\0')
		return false;
	return term != NULL && term[0] != '\0' && strcmp(term, "dumb") != 0;
}

void
cmd_ctx_init(struct cmd_ctx *ctx, struct loop *loop, FILE *out, FILE *err)
{
	memset(ctx, 0, sizeof *ctx);
	ctx->loop = loop;
	ctx->out = out;
	ctx->err = err;
	ctx->out_tty = fileno(out) >= 0 && isatty(fileno(out));
	ctx->format = ctx->out_tty ? OUT_TABLE : OUT_TSV;
	ctx->color = cmd_color_allowed(out);
}

int
cmd_emit(struct cmd_ctx *ctx, struct out_doc *doc)
{
	out_doc_render(doc, ctx->out, ctx->format, ctx->color && ctx->format == OUT_TABLE);
	out_doc_free(doc);
	fflush(ctx->out);
	return CMD_OK;
}

bool
cmd_can_ask(const struct cmd_ctx *ctx)
{
	return ctx->ask != NULL || (isatty(STDIN_FILENO) && ctx->out_tty && ctx->script == NULL);
}

int
cmd_confirm(struct cmd_ctx *ctx, const char *prompt, const char *expected)
{
	char line[256], *full;
	size_t n;
	int rc;

	full = xasprintf("%s\ntype '%s' to confirm: ", prompt, expected);
	if (ctx->ask != NULL) {
		rc = ctx->ask(ctx->ask_arg, full, line, sizeof line);
		free(full);
		return rc == 0 && strcmp(line, expected) == 0;
	}
	if (!cmd_can_ask(ctx)) {
		free(full);
		return -1;
	}
	fputs(full, ctx->err);
	fflush(ctx->err);
	free(full);
	if (fgets(line, sizeof line, stdin) == NULL)
		return 0;
	n = strlen(line);
	while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	return strcmp(line, expected) == 0;
}

/* "milvusadm: warning: ..." escaped: it quotes names from files and clusters. */
static void
cmd_warn_line(struct cmd_ctx *ctx, const char *fmt, ...)
{
	va_list ap;
	char *msg, *clean;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	clean = out_escape(msg);
	fprintf(ctx->err, "milvusadm: warning: %s\n", clean);
	free(clean);
	free(msg);
}

static int
guard_ask(void *arg, const char *prompt, const char *expected)
{
	struct cmd_ctx *ctx = arg;
	char *esc = out_escape(prompt);
	int rc;

	/* The prompt quotes names from the cluster and the config. */
	rc = cmd_confirm(ctx, esc, expected);
	free(esc);
	return rc;
}

int
cmd_guard(struct cmd_ctx *ctx, struct guard_req *req)
{
	struct guard_result res;

	bool pass;

	req->read_only = req->read_only || ctx->read_only || (req->p != NULL &&
	    req->p->read_only);
	pass = guard_check(req, guard_ask, ctx, &res);
	snprintf(ctx->guard_target, sizeof ctx->guard_target, "%.250s", res.expected);
	snprintf(ctx->guard_how, sizeof ctx->guard_how, "%s", pass ?
	    guard_how_name(res.how) : "refused");
	if (pass)
		return CMD_OK;
	return cmd_error(ctx, CMD_REFUSED, "%s", res.why);
}

int
cmd_error(struct cmd_ctx *ctx, int code, const char *fmt, ...)
{
	va_list ap;
	char *msg, *clean;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	/* Messages quote names from the cluster: keep them to one harmless line. */
	clean = out_escape(msg);
	ctx->errors++;
	if (ctx->script != NULL)
		fprintf(ctx->err, "%s:%d: %s\n", ctx->script, ctx->script_line, clean);
	else
		fprintf(ctx->err, "milvusadm: %s\n", clean);
	fflush(ctx->err);
	free(clean);
	free(msg);
	return code;
}

const struct cmd_entry *
cmd_table(void)
{
	return cmd_entries;
}

const struct cmd_entry *
cmd_entry_by_name(const char *name)
{
	const struct cmd_entry *e;

	for (e = cmd_entries; e->name != NULL; e++) {
		if (strcmp(e->name, name) == 0)
			return e;
	}
	return NULL;
}

/*
 * How the words of name match argv: -1 not at all, 0 by prefixes, 1 exactly.
 * *nwords gets the number of words in name.
 */
static int
cmd_match(const char *name, int argc, char **argv, int *nwords)
{
	const char *p = name;
	int i = 0, exact = 1;

	while (*p != '\0') {
		size_t wlen = strcspn(p, " ");

		if (i >= argc)
			return -1;
		if (strlen(argv[i]) > wlen || strncmp(p, argv[i], strlen(argv[i])) != 0 ||
		    argv[i][0] == '\0')
			return -1;
		if (strlen(argv[i]) != wlen)
			exact = 0;
		i++;
		p += wlen;
		while (*p == ' ')
			p++;
	}
	*nwords = i;
	return exact;
}

/* The verbs of a noun, for "lab" typed alone. Returns how many were found. */
static int
cmd_list_verbs(const char *noun, struct buf *b)
{
	const struct cmd_entry *e;
	size_t n = strlen(noun);
	int found = 0;

	for (e = cmd_entries; e->name != NULL; e++) {
		if (strncmp(e->name, noun, n) == 0 && e->name[n] == ' ') {
			buf_printf(b, "%s%s", found ? ", " : "", e->name + n + 1);
			found++;
		}
	}
	return found;
}

/* Is word exactly the first word of a noun-verb name? */
static bool
cmd_is_noun(const char *word)
{
	const struct cmd_entry *e;
	size_t n = strlen(word);

	for (e = cmd_entries; e->name != NULL; e++) {
		if (strncmp(e->name, word, n) == 0 && e->name[n] == ' ')
			return true;
	}
	return false;
}

/* A noun typed in full means that noun: "backup" is not a prefix of "backups". */
static bool
cmd_other_noun(const char *name, const char *word, bool noun)
{
	size_t n = strlen(word);

	return noun && !(strncmp(name, word, n) == 0 && (name[n] == ' ' || name[n] == '\0'));
}

/* How e matches argv by its name or alias (cmd_match), the better of the two. */
static int
cmd_entry_match(const struct cmd_entry *e, int argc, char **argv, bool noun, int *n)
{
	int m = -1, ma = -1, na = 0;

	if (!cmd_other_noun(e->name, argv[0], noun))
		m = cmd_match(e->name, argc, argv, n);
	if (e->alias != NULL && !cmd_other_noun(e->alias, argv[0], noun))
		ma = cmd_match(e->alias, argc, argv, &na);
	if (ma >= 0 && (m == -1 || na > *n || (na == *n && ma > m))) {
		m = ma;
		*n = na;
	}
	return m;
}

const struct cmd_entry *
cmd_find(int argc, char **argv, int *nwords, char *err, size_t errlen)
{
	const struct cmd_entry *e, *prefix = NULL, *exact = NULL;
	struct buf cands = BUF_INIT;
	int n = 0, prefix_words = 0, nprefix = 0, m, most = 0;
	bool noun;

	if (argc < 1) {
		snprintf(err, errlen, "no command given");
		return NULL;
	}
	noun = cmd_is_noun(argv[0]);
	/*
	 * The names that take the most words win ("b c" is "backup create", not
	 * "backups" with an argument); among those an exact name wins over
	 * prefixes, and two prefixes are ambiguous.
	 */
	for (e = cmd_entries; e->name != NULL; e++) {
		if (cmd_entry_match(e, argc, argv, noun, &n) >= 0 && n > most)
			most = n;
	}
	for (e = cmd_entries; most > 0 && e->name != NULL; e++) {
		m = cmd_entry_match(e, argc, argv, noun, &n);
		if (m == -1 || n != most)
			continue;
		if (m == 1 && exact == NULL)
			exact = e;
		if (m == 0) {
			if (nprefix++ == 0) {
				prefix = e;
				prefix_words = n;
			}
			buf_printf(&cands, "%s%s", cands.len ? ", " : "", e->name);
		}
	}
	if (exact != NULL) {
		buf_release(&cands);
		*nwords = most;
		return exact;
	}
	if (nprefix == 1) {
		buf_release(&cands);
		*nwords = prefix_words;
		return prefix;
	}
	if (nprefix > 1) {
		snprintf(err, errlen, "ambiguous command '%s%s%s': could be %s", argv[0],
		    argc > 1 ? " " : "", argc > 1 ? argv[1] : "", cands.data);
		buf_release(&cands);
		return NULL;
	}
	buf_release(&cands);
	if (cmd_list_verbs(argv[0], &cands) > 0) {
		if (argc > 1)
			snprintf(err, errlen, "unknown command '%s %s': '%s' takes %s", argv[0],
			    argv[1], argv[0], cands.data);
		else
			snprintf(err, errlen, "command '%s' needs one of: %s", argv[0], cands.data);
	} else
		snprintf(err, errlen, "unknown command '%s' (try 'milvusadm help')", argv[0]);
	buf_release(&cands);
	return NULL;
}

/*
 * Take the global options out of argv wherever they are (before "--"):
 * -o FMT, -oFMT, --output FMT, --output=FMT and --read-only. The rest is
 * copied to *out (NULL-terminated, caller frees the array, not the words).
 * Returns the new argc, or -1 after reporting a usage error.
 */
static int
cmd_take_globals(struct cmd_ctx *ctx, int argc, char **argv, char ***out)
{
	char **rest = xcalloc((size_t)argc + 1, sizeof *rest);
	const char *val;
	bool dashdash = false;
	int i, n = 0, f;

	for (i = 0; i < argc; i++) {
		const char *a = argv[i];

		val = NULL;
		if (dashdash || a[0] != '-') {
			rest[n++] = argv[i];
			continue;
		}
		if (strcmp(a, "--") == 0) {
			dashdash = true;
			rest[n++] = argv[i];
			continue;
		}
		if (strcmp(a, "--read-only") == 0) {
			ctx->read_only = true;
			continue;
		}
		if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) {
			if (i + 1 >= argc) {
				cmd_error(ctx, CMD_USAGE, "option '%s' needs one of json, "
				    "table, tsv, prom", a);
				free(rest);
				return -1;
			}
			val = argv[++i];
		} else if (strncmp(a, "-o", 2) == 0)
			val = a + 2;
		else if (strncmp(a, "--output=", 9) == 0)
			val = a + 9;
		if (val == NULL) {
			rest[n++] = argv[i];
			continue;
		}
		if ((f = out_format_parse(val)) == -1) {
			cmd_error(ctx, CMD_USAGE, "output '%s' is not one of json, table, tsv, "
			    "prom", val);
			free(rest);
			return -1;
		}
		ctx->format = (enum out_format)f;
	}
	*out = rest;
	return n;
}

/* The profile's name for messages: the one asked for, or the default's. */
static const char *
cmd_profile_name(const struct cmd_ctx *ctx, const struct profile *p)
{
	if (p != NULL)
		return p->name;
	return ctx->profile != NULL ? ctx->profile : "default";
}

/*
 * The lab verbs act on the local lab named by --name, never on a profile's
 * cluster: they load no config, so a broken file or a mistyped -p can never
 * keep anyone from stopping a lab.
 */
static bool
cmd_uses_profile(const struct cmd_entry *e)
{
	return strncmp(e->name, "lab ", 4) != 0;
}

/*
 * Enforce the entry's prerequisites before its handler runs, so every
 * command refuses the same way in every mode. Returns CMD_OK or the exit code
 * of the refusal (already reported).
 */
static int
cmd_check_flags(struct cmd_ctx *ctx, const struct cmd_entry *e, const struct config *c,
    const char *cfg_err)
{
	const int mutating = CMD_MUTATES | CMD_DESTRUCTIVE;
	const int needs = CMD_NEEDS_ETCD | CMD_NEEDS_PROXY;
	const struct profile *p;
	int rc = CMD_OK;

	if ((e->flags & (mutating | needs)) == 0)
		return CMD_OK;
	if ((e->flags & mutating) && ctx->read_only)
		return cmd_error(ctx, CMD_REFUSED, "'%s' changes things and is refused "
		    "under --read-only", e->name);
	if (!cmd_uses_profile(e))
		return CMD_OK;
	if (c == NULL)
		return cmd_error(ctx, CMD_FAILED, "%s", cfg_err);
	p = config_profile(c, ctx->profile);
	if (p == NULL && ctx->profile != NULL)
		rc = cmd_error(ctx, CMD_USAGE, "profile '%s' not found in '%s'",
		    ctx->profile, c->path != NULL ? c->path : "(no config file)");
	else if ((e->flags & mutating) && p != NULL && p->read_only)
		rc = cmd_error(ctx, CMD_REFUSED, "profile '%s' is read-only: '%s' is "
		    "refused", p->name, e->name);
	else if ((e->flags & needs) && p == NULL)
		rc = cmd_error(ctx, CMD_UNREACHABLE, "no cluster is configured; start "
		    "the local lab with 'milvusadm lab up' or add a profile");
	else if ((e->flags & CMD_NEEDS_ETCD) && p->n_etcd_endpoints == 0)
		rc = cmd_error(ctx, CMD_UNREACHABLE, "no etcd endpoint in profile '%s'",
		    cmd_profile_name(ctx, p));
	else if ((e->flags & CMD_NEEDS_PROXY) &&
	    (p->milvus_uri == NULL || p->milvus_uri[0] == '\0'))
		rc = cmd_error(ctx, CMD_UNREACHABLE, "no milvus.uri in profile '%s'",
		    cmd_profile_name(ctx, p));
	return rc;
}

/* The config the checks and the audit lines of entry e read, loaded once per
 * command (NULL with err when it cannot be read, or e needs none). */
static struct config *
cmd_run_config(const struct cmd_entry *e, char *err, size_t errlen)
{
	const int wants = CMD_MUTATES | CMD_DESTRUCTIVE | CMD_NEEDS_ETCD | CMD_NEEDS_PROXY;

	err[0] = '\0';
	if ((e->flags & wants) == 0 || !cmd_uses_profile(e))
		return NULL;
	return config_load(NULL, err, errlen);
}

/*
 * The audit log's two lines around a mutating command: "begin" before
 * anything is checked or sent (an interrupted action shows as a begin
 * without its end), "end" with the guard's decision and the outcome. With
 * audit.etcd_mirror the same line goes into the profile's etcd too; when
 * the begin line could not go there, the end line is not tried (one
 * warning and one timeout per action, not two).
 */
static void
cmd_audit_line(struct cmd_ctx *ctx, const struct cmd_entry *e, const struct config *c,
    const char *phase, const char *id, int argc, char **argv, int rc)
{
	static char mirror_failed[64];
	struct audit_entry a;
	char err[512], *line;

	if (!(e->flags & (CMD_MUTATES | CMD_DESTRUCTIVE)))
		return;
	memset(&a, 0, sizeof a);
	if (c != NULL)
		a.p = config_profile(c, ctx->profile);
	a.phase = phase;
	a.id = id;
	a.command = e->name;
	a.argc = argc;
	a.argv = argv;
	if (strcmp(phase, "end") == 0) {
		a.target = ctx->guard_target[0] != '\0' ? ctx->guard_target : NULL;
		a.guard = ctx->guard_how[0] != '\0' ? ctx->guard_how : NULL;
		a.outcome = rc == CMD_OK ? "ok" : rc == CMD_REFUSED ? "refused" :
		    rc == CMD_USAGE ? "usage" : rc == CMD_UNREACHABLE ? "unreachable" : "failed";
		a.exit_code = rc;
		a.backup = ctx->audit_backup[0] != '\0' ? ctx->audit_backup : NULL;
		a.undo = ctx->audit_undo[0] != '\0' ? ctx->audit_undo : NULL;
	}
	/* One time for the file's line and the etcd key. */
	a.time_ms = time_wall_ms();
	line = audit_line(&a);
	if (audit_append_line(line, err, sizeof err) != 0)
		fprintf(ctx->err, "milvusadm: warning: audit log: %s\n", err);
	if (a.p != NULL && a.p->audit_etcd_mirror && strcmp(mirror_failed, id) != 0 &&
	    audit_etcd_mirror(ctx->loop, a.p, &a, line, err, sizeof err) != 0) {
		snprintf(mirror_failed, sizeof mirror_failed, "%s", id);
		cmd_warn_line(ctx, "audit trail in etcd: %s", err);
	}
	free(line);
}

static void
pending_drop(const struct journal_entry *j, void *arg)
{
	struct cmd_ctx *ctx = arg;
	char when[40];

	time_format_rfc3339(j->step_ms, when, sizeof when);
	cmd_warn_line(ctx, "unfinished drop of %s (profile %s) stopped at %s: %s; backup %s; "
	    "undo: %s (remove %s once handled)", j->collection, j->profile, when,
	    journal_step_said(j->step), j->backup[0] != '\0' ? j->backup : "none yet",
	    j->undo[0] != '\0' ? j->undo : "none yet", j->path);
}

int
cmd_run(struct cmd_ctx *ctx, int argc, char **argv)
{
	static bool journal_said;
	const struct cmd_entry *e;
	enum out_format format = ctx->format;
	bool read_only = ctx->read_only;
	char err[512], cfg_err[512], **words, **args, audit_id[64];
	struct config *cfg = NULL;
	int nwords = 0, rc, i, nargs, n;
	bool audited = false;

	/* A drop killed part-way is said by the next command, once per process. */
	if (!journal_said) {
		journal_said = true;
		(void)journal_pending(pending_drop, ctx);
	}
	/* -o and --read-only hold for this command only, as written. */
	n = cmd_take_globals(ctx, argc, argv, &words);
	if (n == -1) {
		ctx->format = format;
		ctx->read_only = read_only;
		return CMD_USAGE;
	}
	e = cmd_find(n, words, &nwords, err, sizeof err);
	if (e == NULL) {
		rc = cmd_error(ctx, CMD_USAGE, "%s", err);
		goto out;
	}
	/* An empty file for a textfile collector would read as "all fine". */
	if (ctx->format == OUT_PROM && !(e->flags & CMD_PROM)) {
		rc = cmd_error(ctx, CMD_USAGE, "'%s' has no Prometheus form (-o prom)", e->name);
		goto out;
	}
	ctx->guard_target[0] = ctx->guard_how[0] = '\0';
	ctx->audit_backup[0] = ctx->audit_undo[0] = '\0';
	audit_new_id(audit_id, sizeof audit_id);
	/* One read of the config for the checks and both audit lines: the end
	 * line names the profile the begin line named. */
	cfg = cmd_run_config(e, cfg_err, sizeof cfg_err);
	cmd_audit_line(ctx, e, cfg, "begin", audit_id, argc, argv, 0);
	audited = true;
	if ((rc = cmd_check_flags(ctx, e, cfg, cfg_err)) != CMD_OK)
		goto out;
	/* The guard's rule, before the handler's own parsing: --yes is no
	 * confirmation for what cannot be undone. */
	for (i = nwords; (e->flags & CMD_DESTRUCTIVE) && i < n; i++) {
		if (strcmp(words[i], "--") == 0)
			break;
		if (strcmp(words[i], "--yes") == 0 || strcmp(words[i], "-y") == 0) {
			rc = cmd_error(ctx, CMD_REFUSED, "'%s' refused: --yes is not a confirmation "
			    "for what cannot be undone; give --confirm with the exact name",
			    e->name);
			goto out;
		}
	}
	/* The handler sees its full name as argv[0], then its own arguments. */
	nargs = n - nwords + 1;
	args = xcalloc((size_t)nargs + 1, sizeof *args);
	args[0] = (char *)e->name;
	for (i = 1; i < nargs; i++)
		args[i] = words[nwords + i - 1];
	ctx->run_argc = nargs;
	ctx->run_argv = args;
	rc = e->run(ctx, nargs, args);
	ctx->run_argc = 0;
	ctx->run_argv = NULL;
	free(args);
	fflush(ctx->out);
out:
	if (audited)
		cmd_audit_line(ctx, e, cfg, "end", audit_id, argc, argv, rc);
	config_free(cfg);
	free(words);
	ctx->format = format;
	ctx->read_only = read_only;
	return rc;
}

/* Does usage list option opt (len bytes), as a whole word ("[--id ID]",
 * "--backend B|...", "[-o json]")? */
static bool
cmd_usage_lists(const char *usage, const char *opt, size_t len)
{
	const char *p;

	for (p = strstr(usage, opt); p != NULL; p = strstr(p + 1, opt)) {
		if ((p == usage || strchr(" [|", p[-1]) != NULL) &&
		    (p[len] == '\0' || strchr(" ]|=", p[len]) != NULL))
			return true;
	}
	return false;
}

/*
 * The first word of the running command that looks like an option ("-x",
 * "--xyz", "--xyz=v") and is not in its usage, or NULL. A value such as "-1"
 * does not look like one; words after "--" are operands.
 */
static const char *
cmd_unknown_option(const struct cmd_ctx *ctx, const struct cmd_entry *e)
{
	const char *w;
	size_t len;
	int i;

	if (ctx->run_argv == NULL || strcmp(ctx->run_argv[0], e->name) != 0)
		return NULL;
	for (i = 1; i < ctx->run_argc; i++) {
		w = ctx->run_argv[i];
		if (strcmp(w, "--") == 0)
			break;
		if (w[0] != '-' || !((w[1] >= 'a' && w[1] <= 'z') || (w[1] >= 'A' &&
		    w[1] <= 'Z') || (w[1] == '-' && w[2] != '\0')))
			continue;
		len = strcspn(w, "=");
		/* The short spelling a handler takes beside a listed long one. */
		if (strcmp(w, "-f") == 0 && cmd_usage_lists(e->usage, "--follow", 8))
			continue;
		if (!cmd_usage_lists(e->usage, w, len) &&
		    !cmd_usage_lists(" -o --output", w, len))
			return w;
	}
	return NULL;
}

int
cmd_usage(struct cmd_ctx *ctx, const struct cmd_entry *e)
{
	const char *bad = cmd_unknown_option(ctx, e);

	/* One line either way: what was wrong, then how it is written. */
	if (bad != NULL)
		return cmd_error(ctx, CMD_USAGE, "unknown option '%.*s' for '%s'; usage: "
		    "milvusadm %s%s%s", (int)strcspn(bad, "="), bad, e->name, e->name,
		    e->usage[0] ? " " : "", e->usage);
	ctx->errors++;
	if (ctx->script != NULL)
		fprintf(ctx->err, "%s:%d: ", ctx->script, ctx->script_line);
	fprintf(ctx->err, "usage: milvusadm %s%s%s\n", e->name, e->usage[0] ? " " : "",
	    e->usage);
	return CMD_USAGE;
}
