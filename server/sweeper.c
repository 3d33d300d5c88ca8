/*
 * sweeper.c: the automatic close of resolved cases, 14 days after their
 * resolution (docs/design.md, "Case lifecycle"), done lazily by one
 * background thread of bisikd.
 *
 * A resolved case's due_at is the time it closes by itself (close_at), so
 * the cases to close are the head of the `resolved` stretch of
 * idx_status_due: one short cursor walk finds them without looking at any
 * other case. Every minute the thread runs one durable write job that
 * closes at most SRV_SWEEP_BATCH of them, each through the workflow table
 * (resolved --close/system--> closed), with a system timeline entry and
 * the index entries moved in the same transaction; a backlog (a server
 * that was down for weeks) drains over a few minutes without one huge
 * transaction holding up reporters' submissions.
 *
 * Once a day it also says in the log when the holiday list does not
 * cover the next CORE_HOLIDAY_LOOKAHEAD days (srv_config_holidays_warn).
 *
 * The thread only ever blocks on its condition variable or in
 * store_write; srv_sweeper_stop() wakes it and joins it, so serve stops
 * cleanly on SIGTERM before the store is closed.
 */
#include <errno.h>
#include <pthread.h>
#include <string.h>
#include <time.h>

#include "server/server.h"

struct sweep_job {
	struct srv_ctx	*ctx;
	time_t		 now;
	size_t		 closed;	/* out */
};

struct due_list {
	uint64_t	seq[SRV_SWEEP_BATCH];
	size_t		n;
	time_t		now;
};

static int
collect_due(const void *key, size_t klen, const void *val, size_t vlen,
    void *arg)
{
	struct due_list	*d = arg;
	const uint8_t	*k = key;

	(void)val;
	(void)vlen;
	if (klen != 17)
		return STORE_CORRUPT;
	if (store_be64_get(k + 1) > (uint64_t)d->now)
		return STORE_STOP;		/* sorted by due: the rest is later */
	d->seq[d->n++] = store_be64_get(k + 9);
	return d->n == SRV_SWEEP_BATCH ? STORE_STOP : 0;
}

static int
sweep_job(struct store_txn *txn, void *arg)
{
	static const struct srv_actor system = { CORE_ROLE_SYSTEM, 0 };
	struct sweep_job	*j = arg;
	struct due_list		 d;
	struct srv_case		 c;
	struct srv_qpos		 before;
	enum core_status	 to;
	uint8_t			 prefix = CORE_ST_RESOLVED;
	json_t			*extra;
	size_t			 i;
	int			 rc;

	j->closed = 0;
	memset(&d, 0, sizeof(d));
	d.now = j->now;
	rc = store_each(txn, STORE_T_IDX_STATUS_DUE, &prefix, 1, &prefix, 1,
	    collect_due, &d);
	if (rc != STORE_OK)
		return rc;
	for (i = 0; i < d.n; i++) {
		rc = srv_case_load(txn, j->ctx->keys, d.seq[i], &c);
		if (rc == STORE_NOTFOUND || rc == STORE_CORRUPT) {
			/* Logged and left: one bad record must not stop
			 * every other case from closing. */
			srv_log(LOG_ERR, "sweep_skip", "error=%s",
			    store_strerror(rc));
			continue;
		}
		if (rc != STORE_OK)
			return rc;
		srv_qindex_pos_of(c.meta, &before);
		if (core_workflow_next(before.status, CORE_ACT_CLOSE,
		    CORE_ROLE_SYSTEM, &to) != CORE_WF_OK) {
			srv_case_free(&c);
			continue;
		}
		extra = json_object_set_new(c.meta, "closed_at",
		    json_integer((json_int_t)j->now)) == -1 ? NULL :
		    json_pack("{s:b}", "automatic", 1);
		rc = extra == NULL ? STORE_IO : srv_workflow_transition(txn, &c,
		    &before, to, j->now, &system, NULL, 1, extra);
		json_decref(extra);
		srv_case_free(&c);
		if (rc != STORE_OK)
			return rc;
		j->closed++;
	}
	return STORE_OK;
}

int
srv_sweeper_run(struct srv_ctx *ctx, time_t now, size_t *closed)
{
	struct sweep_job	j = { ctx, now, 0 };
	int			rc;

	*closed = 0;
	if ((rc = store_write(ctx->store, sweep_job, &j)) != STORE_OK)
		return rc;
	*closed = j.closed;
	return STORE_OK;
}

/* ---- the thread --------------------------------------------------------- */

static struct {
	pthread_mutex_t	 mu;
	pthread_cond_t	 cv;
	pthread_t	 thread;
	int		 running, stop;
	struct srv_ctx	*ctx;
	time_t		 holidays_said;	/* last holiday check (main.c at start) */
} g_sweeper = { .mu = PTHREAD_MUTEX_INITIALIZER };

/* The holiday check is repeated once a day (a server running across the
 * new year comes into a window without holidays while serving). */
#define HOLIDAY_CHECK_INTERVAL	86400

static void *
sweeper_main(void *arg)
{
	struct timespec	until;
	size_t		closed;
	int		rc;

	(void)arg;
	pthread_mutex_lock(&g_sweeper.mu);
	while (!g_sweeper.stop) {
		pthread_mutex_unlock(&g_sweeper.mu);
		rc = srv_sweeper_run(g_sweeper.ctx, time(NULL), &closed);
		if (rc != STORE_OK)
			srv_log(LOG_ERR, "sweep_failed", "error=%s",
			    store_strerror(rc));
		else if (closed > 0)
			srv_log(LOG_INFO, "sweep", "closed=%zu", closed);
		/* Passed deadlines for the statistics, and retention. */
		srv_retention_transparency_sweep(g_sweeper.ctx, time(NULL));
		if (time(NULL) - g_sweeper.holidays_said >=
		    HOLIDAY_CHECK_INTERVAL) {
			g_sweeper.holidays_said = time(NULL);
			(void)srv_config_holidays_warn(g_sweeper.ctx->cfg,
			    g_sweeper.holidays_said);
		}
		pthread_mutex_lock(&g_sweeper.mu);
		clock_gettime(CLOCK_MONOTONIC, &until);
		until.tv_sec += g_sweeper.ctx->cfg->sweep_interval;
		while (!g_sweeper.stop && pthread_cond_timedwait(&g_sweeper.cv,
		    &g_sweeper.mu, &until) != ETIMEDOUT)
			;
	}
	pthread_mutex_unlock(&g_sweeper.mu);
	return NULL;
}

int
srv_sweeper_start(struct srv_ctx *ctx)
{
	pthread_condattr_t	ca;

	if (g_sweeper.running)
		return -1;
	if (pthread_condattr_init(&ca) != 0)
		return -1;
	if (pthread_condattr_setclock(&ca, CLOCK_MONOTONIC) != 0 ||
	    pthread_cond_init(&g_sweeper.cv, &ca) != 0) {
		pthread_condattr_destroy(&ca);
		return -1;
	}
	pthread_condattr_destroy(&ca);
	g_sweeper.ctx = ctx;
	g_sweeper.stop = 0;
	g_sweeper.holidays_said = time(NULL);
	if (pthread_create(&g_sweeper.thread, NULL, sweeper_main, NULL) != 0) {
		pthread_cond_destroy(&g_sweeper.cv);
		return -1;
	}
	g_sweeper.running = 1;
	return 0;
}

void
srv_sweeper_stop(void)
{
	if (!g_sweeper.running)
		return;
	pthread_mutex_lock(&g_sweeper.mu);
	g_sweeper.stop = 1;
	pthread_cond_signal(&g_sweeper.cv);
	pthread_mutex_unlock(&g_sweeper.mu);
	pthread_join(g_sweeper.thread, NULL);
	pthread_cond_destroy(&g_sweeper.cv);
	g_sweeper.running = 0;
}
