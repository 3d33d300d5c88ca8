/*
 * audit: the hash chain of the audit log and its signed head, and the one
 * walk that checks a chain.
 *
 * Both verifiers use crypto_audit_check_*: bisikd over the stored records
 * and bisik over what the API serves. Keeping the rules here means that a
 * tampered chain is judged, and its first broken entry named, the same way
 * whether the auditor reads the disk or the network. The walk keeps only
 * the running hash and the first fault, so a chain of any length is
 * checked in constant memory.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sodium.h>

#include "crypto/internal.h"

_Static_assert(crypto_generichash_BYTES == CRYPTO_HASH_BYTES, "hash");

void
crypto_audit_link(const uint8_t prev[CRYPTO_HASH_BYTES], const void *entry,
    size_t len, uint8_t out[CRYPTO_HASH_BYTES])
{
	crypto_generichash_state st;

	/* Plain concatenation (docs/design.md, "Audit chain"): prev has a fixed
	 * length, so entry cannot slide into it. */
	crypto_generichash_init(&st, NULL, 0, CRYPTO_HASH_BYTES);
	crypto_generichash_update(&st, prev, CRYPTO_HASH_BYTES);
	if (len > 0)
		crypto_generichash_update(&st, entry, len);
	crypto_generichash_final(&st, out, CRYPTO_HASH_BYTES);
}

static void
head_digest(uint64_t seq, const uint8_t hash[CRYPTO_HASH_BYTES],
    uint8_t out[CRYPTO_HASH_BYTES])
{
	struct crypto_part	parts[2];
	uint8_t			be[8];

	crypto_int_put_be64(be, seq);
	parts[0].p = be;
	parts[0].len = sizeof(be);
	parts[1].p = hash;
	parts[1].len = CRYPTO_HASH_BYTES;
	crypto_hash_parts("bisik-audit-head-v1", parts, 2, out);
}

void
crypto_audit_head_sign(const uint8_t sk[CRYPTO_SIGN_SK_BYTES], uint64_t seq,
    const uint8_t hash[CRYPTO_HASH_BYTES], uint8_t sig[CRYPTO_SIG_BYTES])
{
	uint8_t	digest[CRYPTO_HASH_BYTES];

	head_digest(seq, hash, digest);
	crypto_sign_detached(sig, NULL, digest, sizeof(digest), sk);
}

int
crypto_audit_head_verify(const uint8_t pk[CRYPTO_SIGN_PK_BYTES], uint64_t seq,
    const uint8_t hash[CRYPTO_HASH_BYTES], const uint8_t sig[CRYPTO_SIG_BYTES])
{
	uint8_t	digest[CRYPTO_HASH_BYTES];

	head_digest(seq, hash, digest);
	if (crypto_sign_verify_detached(sig, digest, sizeof(digest), pk) != 0)
		return -1;
	return 0;
}

void
crypto_audit_check_init(struct crypto_audit_check *c)
{
	memset(c, 0, sizeof(*c));
}

static int
fault(struct crypto_audit_check *c, int f, uint64_t seq, uint64_t other)
{
	c->fault = f;
	c->seq = seq;
	c->other = other;
	return -1;
}

int
crypto_audit_check_entry(struct crypto_audit_check *c, uint64_t seq,
    uint64_t claimed, const uint8_t *stored, const void *entry, size_t len)
{
	uint8_t	h[CRYPTO_HASH_BYTES];

	if (c->fault != CRYPTO_AUDIT_INTACT)
		return -1;
	/* Entries come in key order, so a higher number means the ones in
	 * between are gone; a lower one (a server repeating itself) is
	 * out of place. */
	if (seq > c->count + 1)
		return fault(c, CRYPTO_AUDIT_MISSING, c->count + 1, 0);
	if (seq <= c->count)
		return fault(c, CRYPTO_AUDIT_ORDER, seq, seq);
	if (stored == NULL || (entry == NULL && len > 0))
		return fault(c, CRYPTO_AUDIT_DAMAGED, seq, 0);
	crypto_audit_link(c->hash, entry, len, h);
	/*
	 * An entry whose own text names another number was moved here
	 * (two entries swapped): say so, rather than only that the hash is
	 * wrong, which follows from it. A text that names no number at all
	 * was altered and is judged by its hash.
	 */
	if (claimed != 0 && claimed != seq)
		return fault(c, CRYPTO_AUDIT_ORDER, seq, claimed);
	if (!crypto_equal(h, stored, CRYPTO_HASH_BYTES))
		return fault(c, CRYPTO_AUDIT_HASH, seq, 0);
	if (claimed == 0)
		return fault(c, CRYPTO_AUDIT_DAMAGED, seq, 0);
	memcpy(c->hash, h, sizeof(h));
	c->count = seq;
	return 0;
}

int
crypto_audit_check_head(struct crypto_audit_check *c,
    const uint8_t pk[CRYPTO_SIGN_PK_BYTES], uint64_t seq, const uint8_t *hash,
    const uint8_t *sig)
{
	if (c->fault != CRYPTO_AUDIT_INTACT)
		return -1;
	if (hash == NULL || sig == NULL) {
		if (c->count == 0)
			return 0;	/* a new log: nothing to vouch for */
		return fault(c, CRYPTO_AUDIT_NO_HEAD, 1, 0);
	}
	c->head = seq;
	/* The signature first: a head the key did not sign says nothing
	 * about where the chain should end. */
	if (crypto_audit_head_verify(pk, seq, hash, sig) == -1)
		return fault(c, CRYPTO_AUDIT_SIGNATURE, seq, 0);
	if (seq > c->count)
		return fault(c, CRYPTO_AUDIT_TRUNCATED, c->count + 1, 0);
	if (seq < c->count)
		return fault(c, CRYPTO_AUDIT_EXTRA, seq + 1, 0);
	if (!crypto_equal(hash, c->hash, CRYPTO_HASH_BYTES))
		return fault(c, CRYPTO_AUDIT_HEAD_HASH, seq, 0);
	return 0;
}

void
crypto_audit_describe(const struct crypto_audit_check *c, char *buf,
    size_t len)
{
	char		hex[CRYPTO_HASH_BYTES * 2 + 1];
	uint64_t	s = c->seq;

	switch (c->fault) {
	case CRYPTO_AUDIT_INTACT:
		sodium_bin2hex(hex, sizeof(hex), c->hash, CRYPTO_HASH_BYTES);
		snprintf(buf, len, "audit chain intact: %" PRIu64 " entries, "
		    "head %s", c->count, hex);
		break;
	case CRYPTO_AUDIT_MISSING:
		snprintf(buf, len, "audit entry %" PRIu64 " is missing from "
		    "the chain: the entries around it are there", s);
		break;
	case CRYPTO_AUDIT_ORDER:
		snprintf(buf, len, "audit entry %" PRIu64 " is out of order: "
		    "the entry stored there is entry %" PRIu64, s, c->other);
		break;
	case CRYPTO_AUDIT_HASH:
		snprintf(buf, len, "audit entry %" PRIu64 " does not match the "
		    "chain: its hash differs", s);
		break;
	case CRYPTO_AUDIT_DAMAGED:
		snprintf(buf, len, "audit entry %" PRIu64 " does not match the "
		    "chain: its record is damaged", s);
		break;
	case CRYPTO_AUDIT_EXTRA:
		snprintf(buf, len, "audit entry %" PRIu64 " comes after the "
		    "signed head (entry %" PRIu64 "): the head was rolled back "
		    "or entries were added", s, c->head);
		break;
	case CRYPTO_AUDIT_TRUNCATED:
		snprintf(buf, len, "audit entry %" PRIu64 " is missing: the "
		    "signed head is entry %" PRIu64 " but the chain stops "
		    "before it (the tail was cut)", s, c->head);
		break;
	case CRYPTO_AUDIT_NO_HEAD:
		snprintf(buf, len, "the audit head is missing: entries 1 to "
		    "%" PRIu64 " are not vouched for by a signature", c->count);
		break;
	case CRYPTO_AUDIT_HEAD_HASH:
		snprintf(buf, len, "audit entry %" PRIu64 " does not match the "
		    "signed head: its hash differs", s);
		break;
	case CRYPTO_AUDIT_SIGNATURE:
		snprintf(buf, len, "the audit head (entry %" PRIu64 ") does not "
		    "verify with the audit key: its signature is invalid", s);
		break;
	default:
		snprintf(buf, len, "the audit chain could not be checked");
		break;
	}
}
