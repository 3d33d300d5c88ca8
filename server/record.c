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

#include "server/server.h"

/* Largest record we write: a case's metadata with its sealed content. */
#define RECORD_MAX	(1024 * 1024)

int
srv_record_put(struct store_txn *txn, enum store_table t, const void *key,
    size_t klen, json_t *obj, int flags)
{
	char	*buf;
	size_t	 n;
	int	 rc;

	n = json_dumpb(obj, NULL, 0, JSON_COMPACT);
	if (n == 0 || n > RECORD_MAX)
		return STORE_INVALID;
	if ((buf = malloc(n + 1)) == NULL)
		return STORE_IO;
	buf[0] = SRV_RECORD_V1;
	if (json_dumpb(obj, buf + 1, n, JSON_COMPACT) != n) {
		free(buf);
		return STORE_INVALID;
	}
	rc = store_put(txn, t, key, klen, buf, n + 1, flags);
	free(buf);
	return rc;
}

int
srv_record_get(struct store_txn *txn, enum store_table t, const void *key,
    size_t klen, json_t **obj)
{
	const void	*v;
	size_t		 vlen;
	json_t		*o;
	int		 rc;

	if ((rc = store_get(txn, t, key, klen, &v, &vlen)) != STORE_OK)
		return rc;
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
