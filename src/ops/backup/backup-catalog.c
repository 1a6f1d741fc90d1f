/* SPDX-License-Identifier: MIT */
/* Pure arithmetic over a backup catalogue: which backups count, when each was
 * taken, the newest one that holds given collections (the scheduling
 * primitive of `backup create --if-older-than`) and each collection's RPO. */
#include <stdlib.h>
#include <string.h>

#include "milvusadm/backups.h"

bool
backup_usable(const struct backup_brief *b)
{
	return b->state == BACKUP_TASK_SUCCESS || b->state == BACKUP_TASK_STORED;
}

int64_t
backup_when_ms(const struct backup_brief *b)
{
	/* The backup timestamp is the point the data is consistent at; a task's
	 * end comes after it (newer than the data), its start before. */
	if (b->taken_ms > 0)
		return b->taken_ms;
	if (b->end_ms > 0)
		return b->end_ms;
	return b->start_ms > 0 ? b->start_ms : 0;
}

bool
backup_holds(const struct backup_brief *b, const char *db, const char *coll)
{
	size_t i;

	for (i = 0; i < b->n_colls; i++)
		if (b->colls[i].name != NULL && strcmp(b->colls[i].name, coll) == 0 &&
		    strcmp(b->colls[i].db != NULL ? b->colls[i].db : "default", db) == 0)
			return true;
	return false;
}

static int
cmp_newest(const void *pa, const void *pb)
{
	const struct backup_brief *a = pa, *b = pb;
	int64_t ta = backup_when_ms(a), tb = backup_when_ms(b);

	if (ta != tb) {
		if (ta == 0 || tb == 0)
			return ta == 0 ? 1 : -1;
		return ta > tb ? -1 : 1;
	}
	return strcmp(b->name != NULL ? b->name : "", a->name != NULL ? a->name : "");
}

void
backup_sort_newest(struct backup_brief *v, size_t n)
{
	if (n > 1)
		qsort(v, n, sizeof *v, cmp_newest);
}

static bool
holds_all(const struct backup_brief *b, const struct backup_coll_name *want, size_t n_want)
{
	size_t i;

	for (i = 0; i < n_want; i++)
		if (!backup_holds(b, want[i].db, want[i].coll))
			return false;
	return true;
}

long
backup_find_fresh(const struct backup_brief *v, size_t n,
    const struct backup_coll_name *want, size_t n_want, int64_t now_ms,
    int64_t max_age_ms)
{
	int64_t t;
	size_t i;

	for (i = 0; i < n; i++) {
		t = backup_when_ms(&v[i]);
		/* A time from the future (clock skew) is as fresh as now. */
		if (t == 0 || now_ms - t >= max_age_ms || !backup_usable(&v[i]))
			continue;
		if (holds_all(&v[i], want, n_want))
			return (long)i;
	}
	return -1;
}

const char *
backup_rpo_status_name(enum backup_rpo_status s)
{
	static const char *const names[] = { "ok", "old", "none", "unknown" };

	return (unsigned)s <= BACKUP_RPO_UNKNOWN ? names[s] : "unknown";
}

size_t
backup_rpo(const struct backup_coll_name *colls, size_t n, const struct backup_brief *v,
    size_t nb, size_t n_unreadable, int64_t now_ms, int64_t target_ms, struct backup_rpo *out)
{
	size_t i, j, missed = 0;
	int64_t t, best;

	for (i = 0; i < n; i++) {
		struct backup_rpo *r = &out[i];

		r->db = colls[i].db;
		r->coll = colls[i].coll;
		r->backup = -1;
		r->last_ms = 0;
		r->age_ms = -1;
		best = 0;
		/* Not assuming v is sorted: the newest known time wins. */
		for (j = 0; j < nb; j++) {
			if (!backup_usable(&v[j]) || !backup_holds(&v[j], r->db, r->coll))
				continue;
			t = backup_when_ms(&v[j]);
			if (r->backup < 0 || t > best) {
				r->backup = (long)j;
				best = t;
			}
		}
		if (r->backup >= 0 && best > 0) {
			r->last_ms = best;
			r->age_ms = now_ms > best ? now_ms - best : 0;
		}
		if (r->age_ms >= 0 && r->age_ms <= target_ms)
			r->status = BACKUP_RPO_OK;
		else if (n_unreadable > 0 || (r->backup >= 0 && r->age_ms < 0))
			r->status = BACKUP_RPO_UNKNOWN;
		else if (r->backup >= 0)
			r->status = BACKUP_RPO_OLD;
		else
			r->status = BACKUP_RPO_NONE;
		if (r->status != BACKUP_RPO_OK)
			missed++;
	}
	return missed;
}
