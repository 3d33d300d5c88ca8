/*
 * qindex.c: where a case sits in the queues, and moving it.
 *
 * A case has exactly one entry in idx_status_due and, once it names an
 * agency, one in idx_agency_status_due; srv_qindex_move() deletes the old
 * entries and puts the new ones in the caller's transaction, with the
 * per-queue counters (total and unread per agency and status) that GET
 * /cases/counts adds up. A position (srv_qindex_pos_of) is read from the case
 * record alone, so derived.c can recount the counters from the records;
 * this file is below case.c, workflow.c and derived.c and calls none of
 * them.
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/domain.h"

/* Queue counter record: version ‖ total (8 BE) ‖ unread (8 BE). */
#define COUNTER_LEN	17

static json_int_t
int_field(const json_t *meta, const char *name, json_int_t dflt)
{
	const json_t *v = json_object_get(meta, name);

	return json_is_integer(v) ? json_integer_value(v) : dflt;
}

int
srv_qindex_case_status(const json_t *meta)
{
	return core_status_parse(json_string_value(json_object_get(meta,
	    "status")));
}

void
srv_qindex_pos_of(const json_t *meta, struct srv_qpos *q)
{
	const char	*agency;
	json_int_t	 due;

	memset(q, 0, sizeof(*q));
	/* A record without a known status is refused by srv_qindex_move. */
	q->status = srv_qindex_case_status(meta);
	due = int_field(meta, "due_at", -1);
	q->due = due < 0 ? SRV_DUE_NONE : (uint64_t)due;
	agency = json_string_value(json_object_get(meta, "agency"));
	if (agency != NULL && strlen(agency) <= CORE_ID_MAX)
		memcpy(q->agency, agency, strlen(agency) + 1);
	q->unread = json_is_true(json_object_get(meta, "unread"));
}

size_t
srv_qindex_status_key(uint8_t key[SRV_IDX_KEY_MAX], int status, uint64_t due,
    uint64_t seq)
{
	key[0] = (uint8_t)status;
	store_be64_put(key + 1, due);
	store_be64_put(key + 9, seq);
	return 17;
}

size_t
srv_qindex_agency_key(uint8_t key[SRV_IDX_KEY_MAX], const char *agency,
    int status, uint64_t due, uint64_t seq)
{
	size_t n = strlen(agency);

	assert(n <= CORE_ID_MAX);
	memcpy(key, agency, n);
	key[n] = '\0';		/* ids never hold NUL: prefixes stay apart */
	key[n + 1] = (uint8_t)status;
	store_be64_put(key + n + 2, due);
	store_be64_put(key + n + 10, seq);
	return n + 18;
}

size_t
srv_qindex_counter_key(uint8_t key[SRV_IDX_KEY_MAX], const char *agency,
    int status)
{
	size_t n = strlen(agency);

	assert(n <= CORE_ID_MAX);
	memcpy(key, SRV_COUNTER_PREFIX, 2);
	memcpy(key + 2, agency, n);
	key[n + 2] = '\0';
	key[n + 3] = (uint8_t)status;
	return n + 4;
}

int
srv_qindex_counter_get(struct store_txn *txn, const char *agency, int status,
    uint64_t *total, uint64_t *unread)
{
	uint8_t		 key[SRV_IDX_KEY_MAX];
	const void	*v;
	size_t		 vlen, klen;
	int		 rc;

	*total = *unread = 0;
	klen = srv_qindex_counter_key(key, agency, status);
	rc = store_get(txn, STORE_T_STATS, key, klen, &v, &vlen);
	if (rc == STORE_NOTFOUND)
		return STORE_OK;
	if (rc != STORE_OK)
		return rc;
	if (vlen != COUNTER_LEN || ((const uint8_t *)v)[0] != SRV_RECORD_V1)
		return STORE_CORRUPT;
	*total = store_be64_get((const uint8_t *)v + 1);
	*unread = store_be64_get((const uint8_t *)v + 9);
	return STORE_OK;
}

/* Adds dt to the total and du to the unread count, never below zero (an
 * old data directory may hold cases made before the counters). */
static int
counter_add(struct store_txn *txn, const char *agency, int status, int dt,
    int du)
{
	uint8_t		key[SRV_IDX_KEY_MAX], val[COUNTER_LEN];
	uint64_t	total, unread;
	size_t		klen;
	int		rc;

	if (dt == 0 && du == 0)
		return STORE_OK;
	if ((rc = srv_qindex_counter_get(txn, agency, status, &total,
	    &unread)) != STORE_OK)
		return rc;
	total = dt < 0 ? (total > 0 ? total - 1 : 0) : total + (uint64_t)dt;
	unread = du < 0 ? (unread > 0 ? unread - 1 : 0) :
	    unread + (uint64_t)du;
	klen = srv_qindex_counter_key(key, agency, status);
	val[0] = SRV_RECORD_V1;
	store_be64_put(val + 1, total);
	store_be64_put(val + 9, unread);
	return store_put(txn, STORE_T_STATS, key, klen, val, sizeof(val), 0);
}

/* A missing entry is not fatal: the index is only ever what this file
 * made, and refusing every later transition of an old case would be
 * worse than logging the inconsistency. */
static int
del_tolerant(struct store_txn *txn, enum store_table t, const uint8_t *key,
    size_t klen)
{
	int rc = store_del(txn, t, key, klen);

	if (rc == STORE_NOTFOUND) {
		srv_log(LOG_WARN, "index_missing", "table=%d", (int)t);
		return STORE_OK;
	}
	return rc;
}

int
srv_qindex_move(struct store_txn *txn, uint64_t seq,
    const struct srv_qpos *from, const struct srv_qpos *to)
{
	uint8_t	key[SRV_IDX_KEY_MAX];
	size_t	klen;
	int	rc;

	if ((from != NULL && (from->status < 0 ||
	    from->status >= CORE_ST_MAX)) ||
	    (to != NULL && (to->status < 0 || to->status >= CORE_ST_MAX)))
		return STORE_CORRUPT;
	if (from != NULL && to != NULL && from->status == to->status &&
	    from->due == to->due && strcmp(from->agency, to->agency) == 0 &&
	    from->unread == to->unread)
		return STORE_OK;
	if (from != NULL) {
		klen = srv_qindex_status_key(key, from->status, from->due, seq);
		if ((rc = del_tolerant(txn, STORE_T_IDX_STATUS_DUE, key,
		    klen)) != STORE_OK)
			return rc;
		if (from->agency[0] != '\0') {
			klen = srv_qindex_agency_key(key, from->agency,
			    from->status, from->due, seq);
			if ((rc = del_tolerant(txn,
			    STORE_T_IDX_AGENCY_STATUS_DUE, key, klen)) !=
			    STORE_OK)
				return rc;
		}
		if ((rc = counter_add(txn, from->agency, from->status, -1,
		    from->unread ? -1 : 0)) != STORE_OK)
			return rc;
	}
	if (to != NULL) {
		klen = srv_qindex_status_key(key, to->status, to->due, seq);
		if ((rc = store_put(txn, STORE_T_IDX_STATUS_DUE, key, klen,
		    "", 0, 0)) != STORE_OK)
			return rc;
		if (to->agency[0] != '\0') {
			klen = srv_qindex_agency_key(key, to->agency,
			    to->status, to->due, seq);
			if ((rc = store_put(txn, STORE_T_IDX_AGENCY_STATUS_DUE,
			    key, klen, "", 0, 0)) != STORE_OK)
				return rc;
		}
		if ((rc = counter_add(txn, to->agency, to->status, 1,
		    to->unread ? 1 : 0)) != STORE_OK)
			return rc;
	}
	return STORE_OK;
}
