/*
 * audit.c: the tamper-evident audit chain (docs/design.md, "Audit chain").
 *
 * Storage: STORE_T_AUDIT[seq (8 BE)] = 0x01 ‖ h_seq (32) ‖ canonical JSON
 * of the entry, and STORE_T_META["audit.head"] = 0x01 ‖ seq (8 BE) ‖ h_seq
 * (32) ‖ Ed25519 signature (64) of the head by the audit key. The chain
 * rules (hashing, the signed head, how a chain is checked and how a fault
 * is worded) are crypto/audit.c's, shared with the client's verifier.
 *
 * An entry is appended in the transaction of the change it records, so
 * both commit or neither does; appends are serialised by LMDB's single
 * writer, so sequence numbers have no gaps and no forks. The head is kept
 * beside the entries, signed anew on every append: whoever edits the data
 * file without the audit key can rewrite entries but cannot make a head
 * that vouches for them, and cutting the tail leaves a head that points
 * past the end.
 *
 * Canonical JSON is jansson's compact form with sorted keys and only ASCII
 * (JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII), holding strings and
 * integers only: the bytes are what the hash covers, and the API hands
 * them out as they are ("canonical"), so no verifier has to re-create
 * them.
 *
 * What an entry may hold is the contract of srv_audit_append: ids,
 * statuses, counts and codes, never a name, a username, an e-mail address
 * or any text a person typed.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/domain.h"

#define HEAD_KEY	"audit.head"
#define HEAD_LEN	(1 + 8 + CRYPTO_HASH_BYTES + CRYPTO_SIG_BYTES)
#define ENTRY_HDR	(1 + CRYPTO_HASH_BYTES)

/* The keys offline commands sign with (srv_audit_init). */
static const struct srv_keys *offline_keys;

void
srv_audit_init(const struct srv_keys *keys)
{
	offline_keys = keys;
}

const struct srv_keys *
srv_audit_keys(void)
{
	return offline_keys;
}

void
srv_audit_actor(const struct srv_staff *st, char *buf, size_t len)
{
	snprintf(buf, len, "%s:%llu", core_role_name(st->role),
	    (unsigned long long)st->user_id);
}

int
srv_audit_head(struct store_txn *txn, uint64_t *seq,
    uint8_t hash[CRYPTO_HASH_BYTES], uint8_t sig[CRYPTO_SIG_BYTES])
{
	const void	*v;
	const uint8_t	*p;
	size_t		 vlen;
	int		 rc;

	if ((rc = store_get(txn, STORE_T_META, HEAD_KEY, strlen(HEAD_KEY), &v,
	    &vlen)) != STORE_OK)
		return rc;
	p = v;
	if (vlen != HEAD_LEN || p[0] != SRV_RECORD_V1)
		return STORE_CORRUPT;
	*seq = store_be64_get(p + 1);
	memcpy(hash, p + 9, CRYPTO_HASH_BYTES);
	memcpy(sig, p + 9 + CRYPTO_HASH_BYTES, CRYPTO_SIG_BYTES);
	return STORE_OK;
}

static int
tip_read(struct store_txn *txn, void *arg)
{
	struct srv_audit_tip	*t = arg;
	int			 rc;

	rc = srv_audit_head(txn, &t->seq, t->hash, t->sig);
	t->found = rc == STORE_OK;
	return rc == STORE_NOTFOUND ? STORE_OK : rc;
}

int
srv_audit_tip(struct store *st, struct srv_audit_tip *t)
{
	memset(t, 0, sizeof(*t));
	return store_read(st, tip_read, t);
}

/* The entry's canonical text; NULL on failure. Free with core_json_free. */
static char *
entry_text(uint64_t seq, time_t at, const char *actor, const char *action,
    const char *case_ref, const char *request, json_t *detail)
{
	char	 iso[21], *text;
	json_t	*e;

	core_time_iso(at, iso);
	e = json_pack("{s:I, s:s, s:s, s:s}", "seq", (json_int_t)seq, "at",
	    iso, "actor", actor, "action", action);
	if (e == NULL)
		return NULL;
	if ((case_ref != NULL && json_object_set_new(e, "case",
	    json_string(case_ref)) == -1) ||
	    (request != NULL && json_object_set_new(e, "request",
	    json_string(request)) == -1) ||
	    (detail != NULL && json_object_set(e, "detail", detail) == -1)) {
		json_decref(e);
		return NULL;
	}
	text = json_dumps(e, JSON_COMPACT | JSON_SORT_KEYS | JSON_ENSURE_ASCII);
	json_decref(e);
	return text;
}

int
srv_audit_append(struct store_txn *txn, const struct srv_keys *keys,
    time_t at, const char *actor, const char *action, const char *case_ref,
    const char *request, json_t *detail)
{
	uint8_t		 prev[CRYPTO_HASH_BYTES], sig[CRYPTO_SIG_BYTES];
	uint8_t		 key[8], head[HEAD_LEN], *val = NULL;
	uint64_t	 seq;
	char		*text = NULL;
	size_t		 n;
	int		 rc = STORE_IO;

	/* No key, no entry, no change: an unaudited change is worse than a
	 * refused one. */
	if (keys == NULL || keys->audit_sk == NULL || actor == NULL ||
	    action == NULL || (detail != NULL && !json_is_object(detail)))
		return STORE_INVALID;
	rc = srv_audit_head(txn, &seq, prev, sig);
	if (rc == STORE_NOTFOUND) {
		seq = 0;
		memset(prev, 0, sizeof(prev));
	} else if (rc != STORE_OK)
		return rc;
	seq++;
	if ((text = entry_text(seq, at, actor, action, case_ref, request,
	    detail)) == NULL)
		return STORE_IO;
	if ((n = strlen(text)) > SRV_AUDIT_ENTRY_MAX) {
		rc = STORE_INVALID;
		goto out;
	}
	if ((val = malloc(ENTRY_HDR + n)) == NULL) {
		rc = STORE_IO;
		goto out;
	}
	val[0] = SRV_RECORD_V1;
	crypto_audit_link(prev, text, n, val + 1);
	memcpy(val + ENTRY_HDR, text, n);
	store_be64_put(key, seq);
	/* Never over an existing entry: a head that fell behind its entries
	 * fails every change until someone looks, rather than forking. */
	if ((rc = store_put(txn, STORE_T_AUDIT, key, sizeof(key), val,
	    ENTRY_HDR + n, STORE_NOOVERWRITE)) != STORE_OK)
		goto out;
	head[0] = SRV_RECORD_V1;
	store_be64_put(head + 1, seq);
	memcpy(head + 9, val + 1, CRYPTO_HASH_BYTES);
	crypto_audit_head_sign(keys->audit_sk, seq, val + 1,
	    head + 9 + CRYPTO_HASH_BYTES);
	rc = store_put(txn, STORE_T_META, HEAD_KEY, strlen(HEAD_KEY), head,
	    sizeof(head), 0);
 out:
	free(val);
	core_json_free(text);
	return rc;
}

int
srv_audit_entry(const void *key, size_t klen, const void *val, size_t vlen,
    uint64_t *seq, const uint8_t **hash, const char **text, size_t *len)
{
	const uint8_t *v = val;

	if (klen != 8)
		return -1;
	*seq = store_be64_get(key);
	if (vlen < ENTRY_HDR + 2 || v[0] != SRV_RECORD_V1)
		return -1;
	*hash = v + 1;
	*text = (const char *)v + ENTRY_HDR;
	*len = vlen - ENTRY_HDR;
	return 0;
}

uint64_t
srv_audit_claimed(const char *text, size_t len)
{
	json_t		*o, *s;
	uint64_t	 seq = 0;

	o = json_loadb(text, len, JSON_REJECT_DUPLICATES, NULL);
	s = json_object_get(o, "seq");
	if (json_is_integer(s) && json_integer_value(s) > 0)
		seq = (uint64_t)json_integer_value(s);
	json_decref(o);
	return seq;
}

static int
verify_entry(const void *key, size_t klen, const void *val, size_t vlen,
    void *arg)
{
	struct crypto_audit_check	*c = arg;
	const uint8_t			*hash;
	const char			*text;
	uint64_t			 seq;
	size_t				 len;
	int				 rc;

	if (klen != 8)	/* a stray key: the entry after the last good one */
		rc = crypto_audit_check_entry(c, c->count + 1, 0, NULL, NULL,
		    0);
	else if (srv_audit_entry(key, klen, val, vlen, &seq, &hash, &text,
	    &len) == -1)
		rc = crypto_audit_check_entry(c, store_be64_get(key), 0, NULL,
		    NULL, 0);
	else
		rc = crypto_audit_check_entry(c, seq, srv_audit_claimed(text,
		    len), hash, text, len);
	return rc == 0 ? 0 : STORE_STOP;
}

int
srv_audit_verify(struct store_txn *txn,
    const uint8_t pk[CRYPTO_SIGN_PK_BYTES], struct crypto_audit_check *c)
{
	uint8_t		hash[CRYPTO_HASH_BYTES], sig[CRYPTO_SIG_BYTES];
	uint64_t	seq = 0;
	int		rc;

	crypto_audit_check_init(c);
	rc = store_each(txn, STORE_T_AUDIT, NULL, 0, NULL, 0, verify_entry, c);
	/* Stopped at the first fault, which the check keeps. */
	if (rc == STORE_OK && c->fault != CRYPTO_AUDIT_INTACT)
		return STORE_OK;
	if (rc != STORE_OK)
		return rc;
	rc = srv_audit_head(txn, &seq, hash, sig);
	if (rc == STORE_NOTFOUND)
		(void)crypto_audit_check_head(c, pk, 0, NULL, NULL);
	else if (rc == STORE_CORRUPT) {
		/* A damaged head vouches for nothing: judged like a forged
		 * one. */
		memset(hash, 0, sizeof(hash));
		memset(sig, 0, sizeof(sig));
		(void)crypto_audit_check_head(c, pk, 0, hash, sig);
	} else if (rc != STORE_OK)
		return rc;
	else
		(void)crypto_audit_check_head(c, pk, seq, hash, sig);
	return STORE_OK;
}
