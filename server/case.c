/*
 * case.c: case records, their keys and their timelines.
 *
 * A case record (table `cases`, key: sequence as 8 bytes big-endian) is
 * plain metadata needed for queues (status, kind, agency, due time, ...)
 * plus two sealed fields: "dek", the per-case data key wrapped by the
 * storage key, and "content", the case's free text sealed under that data
 * key. Every sealed field has additional data naming the field and the
 * case, so a ciphertext copied into another record or field does not open.
 * Destroying "dek" shreds the case: nothing else can open its text.
 *
 * Timeline entries (table `timeline`, key: sequence ‖ entry number, both
 * big-endian) record who did what and when; their free text is sealed
 * under the same data key.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/domain.h"

/* A sealed text field as base64 is at most this large (a 20,000-char body
 * in 4-byte UTF-8 plus its redacted copy plus JSON). */
#define SEALED_TEXT_MAX	(512 * 1024)

static void
make_ad(char *ad, size_t adlen, const char *name, uint64_t seq)
{
	snprintf(ad, adlen, "bisik-v1:%s:%" PRIu64, name, seq);
}

int
srv_case_seal_text(const uint8_t *dek, uint64_t seq, const char *name,
    const char *text, size_t len, char **b64)
{
	char	 ad[96];
	uint8_t	*ct;
	char	*out;

	if (len > SEALED_TEXT_MAX)
		return -1;
	make_ad(ad, sizeof(ad), name, seq);
	if ((ct = malloc(len + CRYPTO_SEAL_OVERHEAD)) == NULL)
		return -1;
	if (crypto_seal(dek, ad, strlen(ad), text, len, ct) == -1 ||
	    (out = malloc(crypto_b64_len(len + CRYPTO_SEAL_OVERHEAD))) == NULL) {
		free(ct);
		return -1;
	}
	crypto_b64_encode(ct, len + CRYPTO_SEAL_OVERHEAD, out);
	free(ct);
	*b64 = out;
	return 0;
}

int
srv_case_open_text(const uint8_t *dek, uint64_t seq, const char *name,
    const char *b64, char **text)
{
	return srv_case_open_textn(dek, seq, name, b64, strlen(b64), text);
}

int
srv_case_open_textn(const uint8_t *dek, uint64_t seq, const char *name,
    const char *b64, size_t blen, char **text)
{
	char	 ad[96];
	uint8_t	*ct;
	char	*pt;
	size_t	 n;

	if (blen > SEALED_TEXT_MAX * 2)
		return -1;
	make_ad(ad, sizeof(ad), name, seq);
	if ((ct = malloc(blen)) == NULL)
		return -1;
	if (crypto_b64_decode(b64, blen, ct, blen, &n) == -1 ||
	    n < CRYPTO_SEAL_OVERHEAD ||
	    (pt = malloc(n - CRYPTO_SEAL_OVERHEAD + 1)) == NULL) {
		free(ct);
		return -1;
	}
	if (crypto_open(dek, ad, strlen(ad), ct, n, (uint8_t *)pt) == -1) {
		free(ct);
		free(pt);
		return -1;
	}
	free(ct);
	pt[n - CRYPTO_SEAL_OVERHEAD] = '\0';
	*text = pt;
	return 0;
}

int
srv_case_seal_bytes(const uint8_t *dek, uint64_t seq, const char *name,
    const void *in, size_t len, uint8_t *out)
{
	char ad[96];

	make_ad(ad, sizeof(ad), name, seq);
	return crypto_seal(dek, ad, strlen(ad), in, len, out);
}

int
srv_case_open_bytes(const uint8_t *dek, uint64_t seq, const char *name,
    const uint8_t *in, size_t len, uint8_t *out)
{
	char ad[96];

	make_ad(ad, sizeof(ad), name, seq);
	return crypto_open(dek, ad, strlen(ad), in, len, out);
}

/* Frees text after wiping it: opened case text is personal data. */
static void
free_text(char *t)
{
	if (t != NULL) {
		crypto_wipe(t, strlen(t));
		free(t);
	}
}

/*
 * The agency's copies of a case's text as the current filter makes them.
 * A record of this filter's version (CORE_REDACT_VERSION) holds them
 * where they differ from the original; a missing one means the filter
 * found nothing to mask. A record of an older filter, which found less
 * (it read no Unicode look-alikes, names or handles), has each copy
 * filtered again: its manual masks are markers by now and stay, and
 * nothing it hid can reappear. -1 when out of memory.
 */
static int
agency_copies(json_t *ct)
{
	static const char *const pairs[][2] = {
		{ "redacted_title", "title" }, { "redacted_body", "body" },
		{ "redacted_location", "location" },	/* [2] */
		{ "published_title", NULL }, { "published_body", NULL },
		{ "published_resolution", NULL },
	};
	const json_t	*v = json_object_get(ct, "redact_v");
	const char	*s;
	char		*r;
	size_t		 i;
	int		 current = json_is_integer(v) &&
			    json_integer_value(v) == CORE_REDACT_VERSION;

	for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		s = json_string_value(json_object_get(ct, pairs[i][0]));
		if (s == NULL && pairs[i][1] != NULL)
			s = json_string_value(json_object_get(ct,
			    pairs[i][1]));
		if (s == NULL)
			continue;
		/* Submission stores no copy of the location: it is
		 * filtered when read, until a review stores one. */
		if (current && (i != 2 || json_object_get(ct,
		    pairs[i][0]) != NULL)) {
			if (json_object_get(ct, pairs[i][0]) == NULL &&
			    json_object_set_new(ct, pairs[i][0],
			    json_string(s)) == -1)
				return -1;
			continue;
		}
		if ((r = core_redact(s, strlen(s))) == NULL)
			return -1;
		if (json_object_set_new(ct, pairs[i][0], json_string(r)) == -1) {
			free_text(r);
			return -1;
		}
		free_text(r);
	}
	if (!current && json_object_set_new(ct, "redact_v",
	    json_integer(CORE_REDACT_VERSION)) == -1)
		return -1;
	return 0;
}

int
srv_case_dek_open(const struct srv_keys *keys, uint64_t seq, const char *b64,
    size_t len, uint8_t dek[CRYPTO_KEY_BYTES])
{
	uint8_t	 wrapped[CRYPTO_KEY_BYTES + CRYPTO_SEAL_OVERHEAD];
	char	 ad[96];
	size_t	 n;

	make_ad(ad, sizeof(ad), "dek", seq);
	if (crypto_b64_decode(b64, len, wrapped, sizeof(wrapped), &n) == -1 ||
	    n != sizeof(wrapped) ||
	    crypto_open(keys->storage, ad, strlen(ad), wrapped, n, dek) == -1)
		return -1;
	return 0;
}

/* Unwraps meta's "dek" with the storage key. */
static int
dek_unwrap(const struct srv_keys *keys, uint64_t seq, const json_t *meta,
    uint8_t dek[CRYPTO_KEY_BYTES])
{
	const char	*b64 = json_string_value(json_object_get(meta, "dek"));

	if (b64 == NULL || srv_case_dek_open(keys, seq, b64, strlen(b64),
	    dek) == -1)
		return STORE_CORRUPT;
	return STORE_OK;
}

int
srv_case_dek(struct store_txn *txn, const struct srv_keys *keys, uint64_t seq,
    uint8_t dek[CRYPTO_KEY_BYTES])
{
	uint8_t	 key[8];
	json_t	*meta;
	int	 rc;

	store_be64_put(key, seq);
	if ((rc = srv_record_get(txn, STORE_T_CASES, key, 8, &meta)) !=
	    STORE_OK)
		return rc;
	rc = dek_unwrap(keys, seq, meta, dek);
	json_decref(meta);
	return rc;
}

int
srv_case_load(struct store_txn *txn, const struct srv_keys *keys,
    uint64_t seq, struct srv_case *c)
{
	uint8_t		 key[8];
	const char	*ref, *content_b64;
	const void	*blob;
	char		*text = NULL;
	size_t		 blen;
	int		 rc = STORE_IO;

	memset(c, 0, sizeof(*c));
	c->seq = seq;
	c->txn = txn;
	store_be64_put(key, seq);
	if ((rc = srv_record_get(txn, STORE_T_CASES, key, 8, &c->meta)) !=
	    STORE_OK)
		return rc;
	ref = json_string_value(json_object_get(c->meta, "ref"));
	content_b64 = json_string_value(json_object_get(c->meta, "content"));
	if (ref == NULL || strlen(ref) >= sizeof(c->ref)) {
		rc = STORE_CORRUPT;
		goto fail;
	}
	memcpy(c->ref, ref, strlen(ref) + 1);
	if ((rc = dek_unwrap(keys, seq, c->meta, c->dek)) != STORE_OK)
		goto fail;
	rc = store_get(txn, STORE_T_CONTENT, key, 8, &blob, &blen);
	if (rc == STORE_OK) {
		const uint8_t *b = blob;

		if (blen < 1 + CRYPTO_SEAL_OVERHEAD || b[0] != SRV_RECORD_V1 ||
		    (text = malloc(blen - 1 - CRYPTO_SEAL_OVERHEAD + 1)) ==
		    NULL || srv_case_open_bytes(c->dek, seq, "content", b + 1,
		    blen - 1, (uint8_t *)text) == -1) {
			free(text);
			rc = STORE_CORRUPT;
			goto fail;
		}
		text[blen - 1 - CRYPTO_SEAL_OVERHEAD] = '\0';
	} else if (rc == STORE_NOTFOUND && content_b64 != NULL) {
		/* Records written before the content table. */
		if (srv_case_open_text(c->dek, seq, "content", content_b64,
		    &text) == -1) {
			rc = STORE_CORRUPT;
			goto fail;
		}
	} else {
		rc = rc == STORE_NOTFOUND ? STORE_CORRUPT : rc;
		goto fail;
	}
	c->content = json_loads(text, JSON_REJECT_DUPLICATES, NULL);
	free_text(text);
	if (!json_is_object(c->content)) {
		rc = STORE_CORRUPT;
		goto fail;
	}
	if (agency_copies(c->content) == -1) {
		rc = STORE_IO;
		goto fail;
	}
	return STORE_OK;
 fail:
	srv_case_free(c);
	return rc;
}

int
srv_case_content_write(struct store_txn *txn, uint64_t seq,
    const uint8_t *dek, const char *text, size_t len)
{
	uint8_t	 key[8], *box;
	int	 rc;

	if (len > SEALED_TEXT_MAX)
		return STORE_INVALID;
	if ((box = malloc(1 + len + CRYPTO_SEAL_OVERHEAD)) == NULL)
		return STORE_IO;
	box[0] = SRV_RECORD_V1;
	store_be64_put(key, seq);
	if (srv_case_seal_bytes(dek, seq, "content", text, len, box + 1) == -1)
		rc = STORE_IO;
	else
		rc = store_put(txn, STORE_T_CONTENT, key, 8, box,
		    1 + len + CRYPTO_SEAL_OVERHEAD, 0);
	free(box);		/* ciphertext only */
	return rc;
}

void
srv_case_free(struct srv_case *c)
{
	if (c == NULL)
		return;
	json_decref(c->meta);
	json_decref(c->content);	/* the allocator wipes freed JSON */
	crypto_wipe(c->dek, sizeof(c->dek));
	memset(c, 0, sizeof(*c));
}

int
srv_case_put(struct store_txn *txn, uint64_t seq, json_t *meta)
{
	uint8_t	key[8];
	int	rc;

	/* Records written before content hashes were kept out of the plain
	 * metadata carried one: every rewrite drops it (a stored hash of the
	 * text would let a copy of the store confirm a guessed complaint;
	 * the reporter's receipt keeps it, the server needs none). */
	json_object_del(meta, "content_hash");
	/* Statistics and the indexes derived from the record follow it in
	 * the same transaction (derived.c). */
	if ((rc = srv_derived_put(txn, seq, meta)) != STORE_OK)
		return rc;
	store_be64_put(key, seq);
	return srv_record_put(txn, STORE_T_CASES, key, 8, meta, 0);
}

int
srv_case_timeline_add(struct store_txn *txn, const struct srv_case *c,
    json_t *meta, time_t at, const char *type, const char *actor,
    const char *text, int visible, json_t *extra)
{
	uint8_t		 key[12];
	char		 name[32];
	char		*sealed = NULL;
	json_t		*e;
	json_int_t	 n;
	int		 rc;

	n = json_integer_value(json_object_get(meta, "events"));
	if (n < 0 || n >= UINT32_MAX)
		return STORE_INVALID;
	e = json_pack("{s:I, s:s, s:s, s:b}", "at", (json_int_t)at, "type",
	    type, "actor", actor, "visible", visible);
	if (e == NULL)
		return STORE_IO;
	if (extra != NULL && json_object_update(e, extra) == -1) {
		json_decref(e);
		return STORE_IO;
	}
	if (text != NULL) {
		snprintf(name, sizeof(name), "timeline.%" PRId64, (int64_t)n);
		if (srv_case_seal_text(c->dek, c->seq, name, text, strlen(text),
		    &sealed) == -1 ||
		    json_object_set_new(e, "text", json_string(sealed)) == -1) {
			free(sealed);
			json_decref(e);
			return STORE_IO;
		}
		free(sealed);
	}
	store_be64_put(key, c->seq);
	store_be32_put(key + 8, (uint32_t)n);
	rc = srv_record_put(txn, STORE_T_TIMELINE, key, sizeof(key), e,
	    STORE_NOOVERWRITE);
	json_decref(e);
	if (rc == STORE_OK && json_object_set_new(meta, "events",
	    json_integer(n + 1)) == -1)
		rc = STORE_IO;
	return rc;
}

struct each_arg {
	const struct srv_case	*c;
	srv_timeline_fn		 fn;
	void			*arg;
	size_t			 count;
};

static int
each_entry(const void *key, size_t klen, const void *val, size_t vlen,
    void *arg)
{
	struct each_arg	*a = arg;
	json_t		*e;
	const char	*sealed;
	char		*text = NULL, name[32];
	int		 rc;

	if (klen != 12 || vlen < 2 || ((const uint8_t *)val)[0] != SRV_RECORD_V1)
		return STORE_CORRUPT;
	if (++a->count > SRV_TIMELINE_MAX)
		return STORE_STOP;
	e = json_loadb((const char *)val + 1, vlen - 1, JSON_REJECT_DUPLICATES,
	    NULL);
	if (!json_is_object(e)) {
		json_decref(e);
		return STORE_CORRUPT;
	}
	sealed = json_string_value(json_object_get(e, "text"));
	if (sealed != NULL) {
		snprintf(name, sizeof(name), "timeline.%" PRIu32,
		    store_be32_get((const uint8_t *)key + 8));
		if (srv_case_open_text(a->c->dek, a->c->seq, name, sealed,
		    &text) == -1) {
			json_decref(e);
			return STORE_CORRUPT;
		}
	}
	rc = a->fn(e, text, a->arg);
	free_text(text);
	json_decref(e);
	return rc;
}

int
srv_case_timeline_each(struct store_txn *txn, const struct srv_case *c,
    srv_timeline_fn fn, void *arg)
{
	struct each_arg	a = { c, fn, arg, 0 };
	uint8_t		prefix[8];
	int		rc;

	store_be64_put(prefix, c->seq);
	rc = store_each(txn, STORE_T_TIMELINE, prefix, 8, prefix, 8,
	    each_entry, &a);
	return rc;
}
