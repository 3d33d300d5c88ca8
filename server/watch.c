/*
 * watch.c: the deadline watch. A deadline passing while nobody acts is
 * the one thing about a case that changes with time alone; the sweeper
 * (sweeper.c) runs srv_watch_sweep every minute, which writes
 * "missed": {"stage": due} into the record of each watched deadline
 * ("d:" entries of the stats table, derived.c) that passed, so that the
 * statistics, which depend on the record alone, count it.
 */
#include <assert.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/domain.h"

struct watch_list {
	uint64_t	seq[SRV_WATCH_BATCH];
	uint64_t	due[SRV_WATCH_BATCH];
	int		stage[SRV_WATCH_BATCH];
	size_t		n;
	time_t		now;
};

static int
watch_collect(const void *key, size_t klen, const void *val, size_t vlen,
    void *arg)
{
	struct watch_list	*w = arg;
	const uint8_t		*k = key;

	(void)val;
	(void)vlen;
	if (klen != 19)
		return STORE_CORRUPT;
	if (store_be64_get(k + 2) > (uint64_t)w->now)
		return STORE_STOP;		/* by due: the rest is later */
	w->due[w->n] = store_be64_get(k + 2);
	w->seq[w->n] = store_be64_get(k + 10);
	w->stage[w->n] = k[18] < CORE_STAGE_MAX ? k[18] : 0;
	return ++w->n == SRV_WATCH_BATCH ? STORE_STOP : 0;
}

struct watch_job {
	time_t	now;
	size_t	marked;
};

static int
watch_job(struct store_txn *txn, void *arg)
{
	struct watch_job	*j = arg;
	struct watch_list	*w = NULL;
	uint8_t			 key[8], wk[19];
	json_t			*m, *missed;
	size_t			 i;
	int			 rc = STORE_IO;

	j->marked = 0;
	if ((w = calloc(1, sizeof(*w))) == NULL)
		return STORE_IO;
	w->now = j->now;
	rc = store_each(txn, STORE_T_STATS, SRV_WATCH_PREFIX, 2,
	    SRV_WATCH_PREFIX, 2, watch_collect, w);
	if (rc != STORE_OK)
		goto out;
	rc = STORE_OK;
	for (i = 0; i < w->n && rc == STORE_OK; i++) {
		store_be64_put(key, w->seq[i]);
		m = NULL;
		rc = srv_record_get(txn, STORE_T_CASES, key, 8, &m);
		if (rc == STORE_OK) {
			missed = json_object_get(m, "missed");
			if (!json_is_object(missed)) {
				missed = json_object();
				/* m owns it once set (and frees it on
				 * failure). */
				if (missed != NULL && json_object_set_new(m,
				    "missed", missed) == -1)
					missed = NULL;
			}
			if (missed == NULL || json_object_set_new(missed,
			    core_stage_name(w->stage[i]),
			    json_integer((json_int_t)w->due[i])) == -1)
				rc = STORE_IO;
			else
				rc = srv_case_put(txn, w->seq[i], m);
			j->marked++;
		} else if (rc == STORE_NOTFOUND)
			rc = STORE_OK;
		json_decref(m);
		if (rc != STORE_OK)
			break;
		/* An entry the record no longer explains would come back
		 * every minute: it goes. */
		memcpy(wk, SRV_WATCH_PREFIX, 2);
		store_be64_put(wk + 2, w->due[i]);
		store_be64_put(wk + 10, w->seq[i]);
		wk[18] = (uint8_t)w->stage[i];
		rc = store_del(txn, STORE_T_STATS, wk, sizeof(wk));
		if (rc == STORE_NOTFOUND)
			rc = STORE_OK;
	}
 out:
	free(w);
	return rc;
}

int
srv_watch_sweep(struct srv_ctx *ctx, time_t now, size_t *n)
{
	struct watch_job	j = { now, 0 };
	int			rc;

	*n = 0;
	if ((rc = store_write(ctx->store, watch_job, &j)) == STORE_OK)
		*n = j.marked;
	return rc;
}
