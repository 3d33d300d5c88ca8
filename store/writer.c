/*
 * writer.c: the single writer thread and group commit.
 *
 * A durable commit costs an fsync, which is the ceiling on how many
 * changes per second one node can acknowledge. Callers of store_write()
 * queue a job and sleep (store_write_async() callers are called back
 * instead); the writer takes every job waiting (up to STORE_BATCH_MAX),
 * runs each in a nested transaction of one write transaction until
 * STORE_BATCH_USEC have passed, and pays for one fsync for the jobs it
 * ran; the others go back to the head of the queue. A job that fails is
 * rolled back alone. Only this thread writes, which is also what
 * makes it safe to remap the file between two batches (gate.c).
 *
 * When a transaction dies (MDB_MAP_FULL, a full disk, a broken page), the
 * whole batch is aborted and what can be retried is run again; this is
 * why store.h asks job functions to be idempotent outside the txn.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "store/store_int.h"

/* Consecutive MDB_MAP_RESIZED answers we accept before giving up. */
#define STORE_ADOPT_TRIES	3

static _Thread_local const struct store	*store_tls_writer;

/* Upper bounds of the wait buckets, microseconds: 1 ms to 1 s. */
static const uint64_t store_wait_le[STORE_WAIT_BUCKETS - 1] = {
	1000, 2500, 5000, 10000, 25000, 50000, 100000, 250000, 500000, 1000000
};

uint64_t
store_wait_bound(size_t i)
{
	return i < STORE_WAIT_BUCKETS - 1 ? store_wait_le[i] : UINT64_MAX;
}

static uint64_t
store_now_us(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

int
store_in_writer(const struct store *s)
{
	return store_tls_writer == s;
}

/*
 * Hands results back, waking each job's caller alone. A job lives on its
 * caller's stack and may vanish once the lock is released: done and the
 * signal are the last things done to it, both under the lock. Jobs of
 * store_write_async() are the writer's: their callbacks run after the
 * lock is released, and then they are freed.
 */
static void
store_done(struct store *s, struct store_job **b, size_t n, uint64_t nok,
    int committed)
{
	struct store_job	*later[STORE_BATCH_MAX];
	uint64_t		 now = store_now_us(), w;
	size_t			 i, k, nlater = 0;

	pthread_mutex_lock(&s->mtx);
	if (committed) {
		s->commits++;
		s->jobs += nok;
	}
	for (i = 0; i < n; i++) {
		w = now > b[i]->queued_us ? now - b[i]->queued_us : 0;
		for (k = 0; k < STORE_WAIT_BUCKETS - 1 && w > store_wait_le[k];
		    k++)
			;
		s->wait[k]++;
		s->wait_sum_us += w;
		if (b[i]->done_fn != NULL) {
			later[nlater++] = b[i];
			continue;
		}
		b[i]->done = 1;
		pthread_cond_signal(&b[i]->cv);
	}
	pthread_mutex_unlock(&s->mtx);
	for (i = 0; i < nlater; i++) {
		later[i]->done_fn(later[i]->done_arg, later[i]->result);
		free(later[i]);
	}
}

/* Every job still without an error of its own gets e. */
static void
store_fail(struct store *s, struct store_job **b, size_t n, int e)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (b[i]->result == STORE_OK)
			b[i]->result = e;
	store_done(s, b, n, 0, 0);
}

/* Puts b[0..n) back at the head of the queue, in order. */
static void
store_requeue(struct store *s, struct store_job **b, size_t n)
{
	pthread_mutex_lock(&s->mtx);
	while (n-- > 0) {
		b[n]->next = s->head;
		s->head = b[n];
		if (s->tail == NULL)
			s->tail = b[n];
	}
	pthread_mutex_unlock(&s->mtx);
}

/*
 * Runs b[0..i) of the batch, each in its own nested transaction. Returns
 * the number committed into the parent; on a fatal error stops, sets
 * *fatal and *at (the job that met it). Once STORE_BATCH_USEC have
 * passed it stops too, with *fatal 0 and *at the first job not run.
 */
static size_t
store_run_jobs(struct store *s, MDB_txn *parent, struct store_job **b,
    size_t n, int *fatal, size_t *at)
{
	struct store_txn	 t;
	MDB_txn			*child;
	uint64_t		 t0 = store_now_us();
	size_t			 i, nok = 0;
	int			 r, rc;

	*fatal = 0;
	for (i = 0; i < n; i++)
		b[i]->result = STORE_OK;
	for (i = 0; i < n; i++) {
		if (i > 0 && store_now_us() - t0 > STORE_BATCH_USEC)
			break;
		if ((rc = mdb_txn_begin(s->env, parent, 0, &child)) != 0) {
			*fatal = rc;
			break;
		}
		t.s = s;
		t.txn = child;
		t.rdonly = 0;
		t.fatal = 0;
		r = b[i]->fn(&t, b[i]->arg);
		if (t.fatal != 0) {
			/* Whatever fn made of it, the txn is dead. */
			mdb_txn_abort(child);
			*fatal = t.fatal;
			break;
		}
		if (r != 0) {
			mdb_txn_abort(child);
			b[i]->result = r;
			continue;
		}
		/* A failed commit frees the child too. */
		if ((rc = mdb_txn_commit(child)) != 0) {
			*fatal = rc;
			break;
		}
		nok++;
	}
	*at = i;
	return nok;
}

static void
store_batch(struct store *s, struct store_job **b, size_t n)
{
	MDB_txn		*parent;
	size_t		 at, nok;
	int		 rc, fatal, e, adopt = 0;

	for (;;) {
		if (atomic_load(&s->broken)) {
			store_fail(s, b, n, STORE_IO);
			return;
		}
		rc = mdb_txn_begin(s->env, NULL, 0, &parent);
		if (rc == MDB_MAP_RESIZED && adopt++ < STORE_ADOPT_TRIES) {
			/* Another process grew the file; take up its size. */
			if ((e = store_map_adopt(s)) != STORE_OK) {
				store_fail(s, b, n, e);
				return;
			}
			continue;
		}
		if (rc != 0) {
			store_fail(s, b, n, store_err_write(s, rc));
			return;
		}

		nok = store_run_jobs(s, parent, b, n, &fatal, &at);
		if (fatal == 0 && at < n) {
			/* Out of time: the rest go first in the next batch. */
			store_requeue(s, b + at, n - at);
			n = at;
		}
		if (fatal == 0 && nok == 0) {
			/* Nothing to keep: spare the disk a sync. */
			mdb_txn_abort(parent);
			store_done(s, b, n, 0, 0);
			return;
		}
		if (fatal == 0) {
			/* Durable on return: LMDB syncs data, then the meta. */
			if ((rc = mdb_txn_commit(parent)) == 0) {
				store_done(s, b, n, nok, 1);
				return;
			}
			fatal = rc;
			at = n;		/* the batch's failure, no job's */
		} else
			mdb_txn_abort(parent);

		if (fatal == MDB_MAP_FULL) {
			/* The map, not the disk, is full: grow, run again. */
			if ((e = store_map_grow(s, 0)) != STORE_OK) {
				store_fail(s, b, n, e);
				return;
			}
			continue;
		}
		e = store_err_write(s, fatal);
		if (e == STORE_FULL || at == n) {
			/* Nothing of the batch is stored. */
			store_fail(s, b, n, e);
			return;
		}
		if (fatal == MDB_TXN_FULL && at > 0) {
			/*
			 * Too many dirty pages for one transaction: commit the
			 * jobs before this one and leave the rest for the next
			 * batch, where this job runs first.
			 */
			store_requeue(s, b + at, n - at);
			n = at;
			continue;
		}
		/* This job broke the transaction: it alone fails. */
		b[at]->result = e;
		store_done(s, b + at, 1, 0, 0);
		memmove(b + at, b + at + 1, (n - at - 1) * sizeof(*b));
		if (--n == 0)
			return;
	}
}

static void *
store_writer_main(void *arg)
{
	struct store		*s = arg;
	struct store_job	*b[STORE_BATCH_MAX];
	size_t			 n;

	store_tls_writer = s;
	for (;;) {
		pthread_mutex_lock(&s->mtx);
		while (s->head == NULL && !s->stop)
			pthread_cond_wait(&s->work_cv, &s->mtx);
		/* Stop only once the queue is drained. */
		if (s->head == NULL) {
			pthread_mutex_unlock(&s->mtx);
			break;
		}
		for (n = 0; n < STORE_BATCH_MAX && s->head != NULL; n++) {
			b[n] = s->head;
			s->head = s->head->next;
		}
		if (s->head == NULL)
			s->tail = NULL;
		pthread_mutex_unlock(&s->mtx);
		store_batch(s, b, n);
	}
	return NULL;
}

int
store_writer_start(struct store *s)
{
	sigset_t	 all, old;
	int		 rc;

	/* Signals are for the threads that serve, not for the writer. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&s->writer, NULL, store_writer_main, s);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0)
		return STORE_IO;
	s->started = 1;
	return STORE_OK;
}

void
store_writer_stop(struct store *s)
{
	if (!s->started)
		return;
	pthread_mutex_lock(&s->mtx);
	s->stop = 1;
	pthread_cond_signal(&s->work_cv);
	pthread_mutex_unlock(&s->mtx);
	pthread_join(s->writer, NULL);
	s->started = 0;
}

/* Queues j at the tail; called with s->mtx held. */
static void
store_enqueue(struct store *s, struct store_job *j)
{
	j->queued_us = store_now_us();
	if (s->tail != NULL)
		s->tail->next = j;
	else
		s->head = j;
	s->tail = j;
	pthread_cond_signal(&s->work_cv);
}

int
store_write_async(struct store *s, store_fn fn, void *arg, store_done_fn done,
    void *darg)
{
	struct store_job	*j;

	if (s == NULL || fn == NULL || done == NULL || s->rdonly)
		return STORE_INVALID;
	if ((j = calloc(1, sizeof(*j))) == NULL)
		return STORE_IO;
	j->fn = fn;
	j->arg = arg;
	j->done_fn = done;
	j->done_arg = darg;
	pthread_mutex_lock(&s->mtx);
	if (s->stop) {
		pthread_mutex_unlock(&s->mtx);
		free(j);
		return STORE_INVALID;
	}
	store_enqueue(s, j);
	pthread_mutex_unlock(&s->mtx);
	return STORE_OK;
}

int
store_write(struct store *s, store_fn fn, void *arg)
{
	struct store_job	 j;
	int			 r;

	if (s == NULL || fn == NULL || s->rdonly)
		return STORE_INVALID;
	/*
	 * From a job this would wait for itself; from inside store_read()
	 * it could wait for a map resize that waits for this reader.
	 */
	if (store_in_writer(s) || store_gate_held(s))
		return STORE_INVALID;

	memset(&j, 0, sizeof(j));
	j.fn = fn;
	j.arg = arg;
	pthread_cond_init(&j.cv, NULL);
	pthread_mutex_lock(&s->mtx);
	if (s->stop) {
		pthread_mutex_unlock(&s->mtx);
		pthread_cond_destroy(&j.cv);
		return STORE_INVALID;
	}
	store_enqueue(s, &j);
	while (!j.done)
		pthread_cond_wait(&j.cv, &s->mtx);
	r = j.result;
	pthread_mutex_unlock(&s->mtx);
	pthread_cond_destroy(&j.cv);
	return r;
}
