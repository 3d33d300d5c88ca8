/*
 * sessions.c: the records of staff sessions.
 *
 * A session is stored only as a keyed hash of its token under the pepper
 * (auth.c makes and checks tokens): STORE_T_SESSIONS[hash] = {user,
 * created_at, last_seen, expires_at, limited}. A second key space in the
 * same table, 'U' ‖ user id ‖ hash, lists a user's sessions (for "my
 * sessions", revocation, and ending them all on a password reset or
 * disable, users.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/domain.h"

/* Index keys of one user's sessions examined at most in one pass; the
 * per-user cap keeps the real number far below it. */
#define SESSIONS_SCAN	256
#define INDEX_KEY	(1 + 8 + CRYPTO_HASH_BYTES)

/* ---- sessions ------------------------------------------------------------ */

static void
index_key(uint8_t k[INDEX_KEY], uint64_t user,
    const uint8_t hash[CRYPTO_HASH_BYTES])
{
	k[0] = SRV_SESSION_INDEX;
	store_be64_put(k + 1, user);
	if (hash != NULL)
		memcpy(k + 9, hash, CRYPTO_HASH_BYTES);
}

int
srv_sessions_put(struct store_txn *txn, const uint8_t hash[CRYPTO_HASH_BYTES],
    uint64_t user, time_t now, time_t expires, int limited)
{
	static const uint8_t	one = SRV_RECORD_V1;
	uint8_t			k[INDEX_KEY];
	json_t			*rec;
	int			 rc;

	rec = json_pack("{s:I, s:I, s:I, s:I, s:b}", "user", (json_int_t)user,
	    "created_at", (json_int_t)now, "last_seen", (json_int_t)now,
	    "expires_at", (json_int_t)expires, "limited", limited);
	if (rec == NULL)
		return STORE_IO;
	rc = srv_record_put(txn, STORE_T_SESSIONS, hash, CRYPTO_HASH_BYTES, rec,
	    STORE_NOOVERWRITE);
	json_decref(rec);
	if (rc != STORE_OK)
		return rc;
	index_key(k, user, hash);
	return store_put(txn, STORE_T_SESSIONS, k, sizeof(k), &one, 1,
	    STORE_NOOVERWRITE);
}

int
srv_sessions_del(struct store_txn *txn, const uint8_t hash[CRYPTO_HASH_BYTES],
    uint64_t user)
{
	uint8_t	k[INDEX_KEY];
	int	rc, rc2;

	rc = store_del(txn, STORE_T_SESSIONS, hash, CRYPTO_HASH_BYTES);
	if (rc != STORE_OK && rc != STORE_NOTFOUND)
		return rc;
	index_key(k, user, hash);
	rc2 = store_del(txn, STORE_T_SESSIONS, k, sizeof(k));
	if (rc2 != STORE_OK && rc2 != STORE_NOTFOUND)
		return rc2;
	return rc;
}

struct scan {
	uint8_t	(*hash)[CRYPTO_HASH_BYTES];
	size_t	 n;
};

static int
scan_one(const void *key, size_t klen, const void *val, size_t vlen,
    void *arg)
{
	struct scan	*s = arg;

	(void)val;
	(void)vlen;
	if (klen != INDEX_KEY)		/* a session key that starts alike */
		return 0;
	if (s->n == SESSIONS_SCAN)
		return STORE_STOP;	/* the buffer is full */
	memcpy(s->hash[s->n++], (const uint8_t *)key + 9, CRYPTO_HASH_BYTES);
	return 0;
}

/* The hashes of a user's sessions (up to SESSIONS_SCAN) into s->hash,
 * which the caller frees. */
static int
sessions_scan(struct store_txn *txn, uint64_t user, struct scan *s)
{
	uint8_t	prefix[INDEX_KEY];
	int	rc;

	s->n = 0;
	if ((s->hash = calloc(SESSIONS_SCAN, CRYPTO_HASH_BYTES)) == NULL)
		return STORE_IO;
	index_key(prefix, user, NULL);
	rc = store_each(txn, STORE_T_SESSIONS, prefix, 9, prefix, 9, scan_one,
	    s);
	if (rc != STORE_OK) {
		free(s->hash);
		s->hash = NULL;
	}
	return rc;
}

int
srv_sessions_end_user(struct store_txn *txn, uint64_t user)
{
	struct scan	s;
	size_t		i;
	int		rc;

	if ((rc = sessions_scan(txn, user, &s)) != STORE_OK)
		return rc;
	for (i = 0; i < s.n; i++) {
		rc = srv_sessions_del(txn, s.hash[i], user);
		if (rc != STORE_OK && rc != STORE_NOTFOUND)
			break;
		rc = STORE_OK;
	}
	free(s.hash);
	return rc;
}

int
srv_sessions_live(json_t *rec, time_t now)
{
	json_int_t exp, seen;

	exp = json_integer_value(json_object_get(rec, "expires_at"));
	seen = json_integer_value(json_object_get(rec, "last_seen"));
	return now < exp && now - seen < SRV_SESSION_IDLE;
}

int
srv_sessions_prune(struct store_txn *txn, uint64_t user, time_t now)
{
	struct scan	 s = { 0 };
	json_int_t	*seen = NULL;
	size_t		 i, live = 0, oldest;
	json_t		*rec;
	int		 rc = STORE_IO;

	if ((rc = sessions_scan(txn, user, &s)) != STORE_OK)
		return rc;
	if ((seen = calloc(s.n + 1, sizeof(*seen))) == NULL) {
		free(s.hash);
		return STORE_IO;
	}
	for (i = 0; i < s.n; i++) {
		seen[i] = -1;		/* gone */
		rc = srv_record_get(txn, STORE_T_SESSIONS, s.hash[i],
		    CRYPTO_HASH_BYTES, &rec);
		if (rc == STORE_OK && srv_sessions_live(rec, now)) {
			seen[i] = json_integer_value(json_object_get(rec,
			    "last_seen"));
			live++;
		}
		if (rc == STORE_OK)
			json_decref(rec);
		else if (rc != STORE_NOTFOUND && rc != STORE_CORRUPT)
			goto out;
		if (seen[i] == -1 && (rc = srv_sessions_del(txn, s.hash[i],
		    user)) != STORE_OK && rc != STORE_NOTFOUND)
			goto out;
	}
	/* Room for one more: end the least recently used. */
	while (live >= SRV_SESSIONS_PER_USER) {
		oldest = s.n;
		for (i = 0; i < s.n; i++)
			if (seen[i] != -1 && (oldest == s.n ||
			    seen[i] < seen[oldest]))
				oldest = i;
		if (oldest == s.n)
			break;
		if ((rc = srv_sessions_del(txn, s.hash[oldest], user)) !=
		    STORE_OK && rc != STORE_NOTFOUND)
			goto out;
		seen[oldest] = -1;
		live--;
	}
	rc = STORE_OK;
 out:
	free(seen);
	free(s.hash);
	return rc;
}

static void
session_id(const uint8_t hash[CRYPTO_HASH_BYTES],
    char out[SRV_SESSION_ID_BYTES * 2 + 1])
{
	size_t i;

	for (i = 0; i < SRV_SESSION_ID_BYTES; i++) {
		out[2 * i] = "0123456789abcdef"[hash[i] >> 4];
		out[2 * i + 1] = "0123456789abcdef"[hash[i] & 15];
	}
	out[2 * SRV_SESSION_ID_BYTES] = '\0';
}

static int
newest_first(const void *a, const void *b)
{
	json_int_t x = json_integer_value(json_object_get(*(json_t *const *)a,
	    "created_at"));
	json_int_t y = json_integer_value(json_object_get(*(json_t *const *)b,
	    "created_at"));

	return x < y ? 1 : x > y ? -1 : 0;
}

int
srv_sessions_list(struct store_txn *txn, uint64_t user, time_t now,
    const uint8_t current[CRYPTO_HASH_BYTES], json_t **out)
{
	struct scan	 s = { 0 };
	json_t		**recs = NULL, *arr = NULL, *rec, *o;
	char		 id[SRV_SESSION_ID_BYTES * 2 + 1];
	size_t		 i = 0, n = 0;
	int		 rc = STORE_IO;

	if ((rc = sessions_scan(txn, user, &s)) != STORE_OK)
		return rc;
	if ((recs = calloc(s.n + 1, sizeof(*recs))) == NULL ||
	    (arr = json_array()) == NULL) {
		free(recs);
		free(s.hash);
		return STORE_IO;
	}
	for (i = 0; i < s.n; i++) {
		rc = srv_record_get(txn, STORE_T_SESSIONS, s.hash[i],
		    CRYPTO_HASH_BYTES, &rec);
		if (rc == STORE_NOTFOUND || rc == STORE_CORRUPT)
			continue;
		if (rc != STORE_OK)
			goto fail;
		if (!srv_sessions_live(rec, now)) {
			json_decref(rec);
			continue;
		}
		session_id(s.hash[i], id);
		json_object_set_new(rec, "id", json_string(id));
		json_object_set_new(rec, "current", json_boolean(
		    crypto_equal(s.hash[i], current, CRYPTO_HASH_BYTES)));
		recs[n++] = rec;
	}
	qsort(recs, n, sizeof(*recs), newest_first);
	for (i = 0; i < n; i++) {
		o = json_pack("{s:O, s:o, s:o, s:o, s:O}",
		    "id", json_object_get(recs[i], "id"),
		    "created_at", srv_record_time(recs[i], "created_at"),
		    "last_seen", srv_record_time(recs[i], "last_seen"),
		    "expires_at", srv_record_time(recs[i], "expires_at"),
		    "current", json_object_get(recs[i], "current"));
		if (o == NULL || json_array_append_new(arr, o) == -1) {
			rc = STORE_IO;
			goto fail;
		}
	}
	for (i = 0; i < n; i++)
		json_decref(recs[i]);
	free(recs);
	free(s.hash);
	*out = arr;
	return STORE_OK;
 fail:
	for (i = 0; i < n; i++)
		json_decref(recs[i]);
	free(recs);
	free(s.hash);
	json_decref(arr);
	return rc;
}

int
srv_sessions_revoke_id(struct store_txn *txn, uint64_t user, const char *id)
{
	struct scan	s;
	char		sid[SRV_SESSION_ID_BYTES * 2 + 1];
	size_t		i;
	int		rc;

	if (id == NULL || strlen(id) != SRV_SESSION_ID_BYTES * 2)
		return STORE_NOTFOUND;
	if ((rc = sessions_scan(txn, user, &s)) != STORE_OK)
		return rc;
	rc = STORE_NOTFOUND;
	for (i = 0; i < s.n; i++) {
		session_id(s.hash[i], sid);
		if (strcmp(sid, id) == 0) {
			rc = srv_sessions_del(txn, s.hash[i], user);
			break;
		}
	}
	free(s.hash);
	return rc;
}
