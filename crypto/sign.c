/*
 * sign: Ed25519 signatures and the signed receipt a reporter receives as
 * proof of filing. The receipt commits to a hash of the complaint's content,
 * to the hash of the sealed identity filed with it (never the identity)
 * and to the audit chain's head at that moment, so a reporter can later
 * show what was filed, with which sealed identity and when, and hold the
 * server to the history it had then.
 */
#include <assert.h>
#include <string.h>
#include <sodium.h>

#include "crypto/crypto.h"

_Static_assert(CRYPTO_SIGN_PK_BYTES == crypto_sign_PUBLICKEYBYTES, "pk");
_Static_assert(CRYPTO_SIGN_SK_BYTES == crypto_sign_SECRETKEYBYTES, "sk");
_Static_assert(CRYPTO_SIG_BYTES == crypto_sign_BYTES, "sig");
_Static_assert(crypto_sign_SEEDBYTES == 32, "seed");

/* What an absent visibility means (docs/openapi.yaml, Report: the
 * default of "visibility"). */
#define DEFAULT_VISIBILITY	"confidential"

int
crypto_sign_from_seed(const uint8_t seed[32], uint8_t pk[CRYPTO_SIGN_PK_BYTES],
    uint8_t sk[CRYPTO_SIGN_SK_BYTES])
{
	if (crypto_sign_seed_keypair(pk, sk, seed) != 0)
		return -1;
	return 0;
}

void
crypto_sign_msg(const uint8_t sk[CRYPTO_SIGN_SK_BYTES], const void *msg,
    size_t len, uint8_t sig[CRYPTO_SIG_BYTES])
{
	crypto_sign_detached(sig, NULL, msg, len, sk);
}

int
crypto_sign_check(const uint8_t pk[CRYPTO_SIGN_PK_BYTES], const void *msg,
    size_t len, const uint8_t sig[CRYPTO_SIG_BYTES])
{
	if (msg == NULL && len > 0)
		return -1;
	if (crypto_sign_verify_detached(sig, msg, len, pk) != 0)
		return -1;
	return 0;
}

static struct crypto_part
str_part(const char *s)
{
	struct crypto_part p;

	p.p = s == NULL ? "" : s;
	p.len = s == NULL ? 0 : strlen(s);
	return p;
}

void
crypto_content_hash(const struct crypto_content *c,
    uint8_t out[CRYPTO_HASH_BYTES])
{
	struct crypto_part	parts[8];
	const char		*vis;

	/*
	 * The effective visibility is hashed, so a client that leaves it
	 * out and a server that fills in the default agree on the hash.
	 */
	vis = c->visibility;
	if (vis == NULL || vis[0] == '\0')
		vis = DEFAULT_VISIBILITY;
	parts[0] = str_part(c->kind);
	parts[1] = str_part(c->title);
	parts[2] = str_part(c->body);
	parts[3] = str_part(c->agency);
	parts[4] = str_part(c->category);
	parts[5] = str_part(c->location);
	parts[6] = str_part(c->occurred_on);
	parts[7] = str_part(vis);
	crypto_hash_parts("bisik-content-v1", parts, 8, out);
}

static void
receipt_digest(const struct crypto_receipt *r, uint8_t out[CRYPTO_HASH_BYTES])
{
	struct crypto_part	parts[6];
	uint8_t			seq[8];
	int			i;

	for (i = 0; i < 8; i++)
		seq[i] = (uint8_t)(r->audit_seq >> (56 - 8 * i));
	parts[0] = str_part(r->case_ref);
	parts[1] = str_part(r->at);
	parts[2].p = r->content_hash;
	parts[2].len = CRYPTO_HASH_BYTES;
	parts[3].p = r->identity_hash;
	parts[3].len = r->has_identity ? CRYPTO_HASH_BYTES : 0;
	parts[4].p = seq;
	parts[4].len = sizeof(seq);
	parts[5].p = r->audit_head;
	parts[5].len = CRYPTO_HASH_BYTES;
	crypto_hash_parts("bisik-receipt-v2", parts, 6, out);
}

void
crypto_receipt_sign(const uint8_t sk[CRYPTO_SIGN_SK_BYTES],
    const struct crypto_receipt *r, uint8_t sig[CRYPTO_SIG_BYTES])
{
	uint8_t	digest[CRYPTO_HASH_BYTES];

	/* A receipt for no case or no time is a caller bug, not input. */
	assert(r->case_ref != NULL && r->at != NULL);
	receipt_digest(r, digest);
	crypto_sign_detached(sig, NULL, digest, sizeof(digest), sk);
}

int
crypto_receipt_verify(const uint8_t pk[CRYPTO_SIGN_PK_BYTES],
    const struct crypto_receipt *r, const uint8_t sig[CRYPTO_SIG_BYTES])
{
	uint8_t	digest[CRYPTO_HASH_BYTES];

	if (r->case_ref == NULL || r->at == NULL)
		return -1;
	receipt_digest(r, digest);
	if (crypto_sign_verify_detached(sig, digest, sizeof(digest), pk) != 0)
		return -1;
	return 0;
}
