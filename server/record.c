/*
 * record.c: versioned JSON records in LMDB tables.
 *
 * A record is the version byte SRV_RECORD_V1 followed by compact JSON.
 * JSON keeps plain metadata readable for operators with mdb_dump and lets
 * later versions add fields without a migration; the version byte is
 * there for the day a layout really changes (store/ refuses what it does
 * not know rather than guessing).
 */
#include <stdlib.h>
#include <string.h>

#include "server/util.h"

/* Largest record we write: a case's metadata with its sealed content. */
#define RECORD_MAX	(1024 * 1024)
/* srv_record_b64_json encodes keys, points, signatures and sealed shares
 * (at most 255 characters of base64 with its NUL, 189 bytes): a small
 * stack buffer, no allocation. */
#define B64_JSON_MAX	255

/* json_dump_callback sink: appends into a buffer that starts on the
 * stack and moves to the heap only for large records. */
struct sink {
	char	*buf;
	size_t	 len, cap;
	int	 heap, fail;
};

static int
sink_put(const char *p, size_t n, void *arg)
{
	struct sink	*k = arg;
	char		*nb;
	size_t		 cap;

	if (k->fail || n > RECORD_MAX - k->len) {
		k->fail = 1;
		return -1;
	}
	if (k->len + n > k->cap) {
		for (cap = k->cap * 2; cap < k->len + n; cap *= 2)
			;
		if ((nb = malloc(cap)) == NULL) {
			k->fail = 1;
			return -1;
		}
		memcpy(nb, k->buf, k->len);
		if (k->heap)
			free(k->buf);
		k->buf = nb;
		k->cap = cap;
		k->heap = 1;
	}
	memcpy(k->buf + k->len, p, n);
	k->len += n;
	return 0;
}

int
srv_record_put(struct store_txn *txn, enum store_table t, const void *key,
    size_t klen, json_t *obj, int flags)
{
	char		stackbuf[4096];
	struct sink	k = { stackbuf, 1, sizeof(stackbuf), 0, 0 };
	int		rc;

	stackbuf[0] = SRV_RECORD_V1;
	if (json_dump_callback(obj, sink_put, &k, JSON_COMPACT) == -1 ||
	    k.fail || k.len < 2)
		rc = STORE_INVALID;
	else
		rc = store_put(txn, t, key, klen, k.buf, k.len, flags);
	if (k.heap)
		free(k.buf);
	return rc;
}

int
srv_record_get(struct store_txn *txn, enum store_table t, const void *key,
    size_t klen, json_t **obj)
{
	const void	*v;
	size_t		 vlen;
	int		 rc;

	if ((rc = store_get(txn, t, key, klen, &v, &vlen)) != STORE_OK)
		return rc;
	return srv_record_decode(v, vlen, obj);
}

int
srv_record_decode(const void *v, size_t vlen, json_t **obj)
{
	json_t	*o;

	if (vlen < 2 || ((const uint8_t *)v)[0] != SRV_RECORD_V1)
		return STORE_CORRUPT;
	o = json_loadb((const char *)v + 1, vlen - 1, JSON_REJECT_DUPLICATES,
	    NULL);
	if (o == NULL || !json_is_object(o)) {
		json_decref(o);
		return STORE_CORRUPT;
	}
	*obj = o;
	return STORE_OK;
}

json_int_t
srv_record_int(const json_t *rec, const char *key)
{
	return json_integer_value(json_object_get(rec, key));
}

json_t *
srv_record_time(const json_t *rec, const char *key)
{
	const json_t	*t = json_object_get(rec, key);
	char		 buf[21];

	if (!json_is_integer(t) || json_integer_value(t) < 0)
		return json_null();
	core_time_iso((time_t)json_integer_value(t), buf);
	return json_string(buf);
}

int
srv_record_b64_value(const json_t *v, uint8_t *out, size_t len)
{
	size_t n;

	if (!json_is_string(v) || crypto_b64_decode(json_string_value(v),
	    json_string_length(v), out, len, &n) == -1 || n != len)
		return -1;
	return 0;
}

json_t *
srv_record_b64_json(const void *p, size_t len)
{
	char	buf[B64_JSON_MAX + 1];

	if (crypto_b64_len(len) > sizeof(buf))
		return NULL;
	crypto_b64_encode(p, len, buf);
	return json_string(buf);
}

const char *
srv_record_str(const json_t *rec, const char *key)
{
	const char *s = json_string_value(json_object_get(rec, key));

	return s != NULL ? s : "";
}
