/*
 * escrow_config: the configuration hash of an escrow generation, which
 * every holder signs, and the digest a resharing dealer signs
 * (docs/formats.md, "Configuration hash").
 *
 * Y alone names the key reporters seal to. What a holder relies on when
 * they take part in a disclosure is more: who the other holders are (the
 * keys their requests and approvals are checked with, the keys partials
 * are sealed to), their commitments and the threshold. Whoever relays the
 * escrow file (the server) could change any of those and leave Y as it
 * is; so every holder signs one hash of all of them after checking their
 * own share, the server installs only a file every holder signed, and each
 * holder's client compares what the server hands it with the file it
 * signed. The layout is fixed and simple so that another program (a
 * dealerless ceremony) can produce the same bytes.
 */
#include <string.h>
#include <sodium.h>

#include "crypto/crypto.h"
#include "crypto/internal.h"

/* index ‖ sign key ‖ box key ‖ commitment */
#define MEMBER_BYTES	(4 + CRYPTO_SIGN_PK_BYTES + CRYPTO_BOX_PK_BYTES + \
			 CRYPTO_POINT_BYTES)
#define SEALED_BYTES	(CRYPTO_SCALAR_BYTES + CRYPTO_BOX_SEAL_OVERHEAD)

static void
member_bytes(const struct crypto_escrow_member *m, uint8_t out[MEMBER_BYTES])
{
	crypto_int_put_be32(out, m->index);
	memcpy(out + 4, m->sign_pk, CRYPTO_SIGN_PK_BYTES);
	memcpy(out + 4 + CRYPTO_SIGN_PK_BYTES, m->box_pk, CRYPTO_BOX_PK_BYTES);
	memcpy(out + 4 + CRYPTO_SIGN_PK_BYTES + CRYPTO_BOX_PK_BYTES,
	    m->commitment, CRYPTO_POINT_BYTES);
}

/* One part of crypto_hash_parts framing, fed in pieces: its length first. */
static void
part_len(crypto_generichash_state *st, uint64_t len)
{
	uint8_t	b[8];

	crypto_int_put_be64(b, len);
	crypto_generichash_update(st, b, sizeof(b));
}

static void
be32(crypto_generichash_state *st, uint32_t v)
{
	uint8_t	b[4];

	crypto_int_put_be32(b, v);
	crypto_generichash_update(st, b, sizeof(b));
}

static int
count_ok(unsigned n)
{
	return n >= 1 && n <= CRYPTO_ESCROW_MAX_HOLDERS;
}

int
crypto_escrow_config_hash(const struct crypto_escrow_config *c,
    uint8_t out[CRYPTO_HASH_BYTES])
{
	static const char	 tag[] = "bisik-escrow-config-v1";
	crypto_generichash_state st;
	uint8_t			 m[MEMBER_BYTES];
	uint64_t		 len;
	unsigned		 i;

	if (c == NULL || !count_ok(c->n) || c->threshold < 1 ||
	    c->threshold > c->n)
		return -1;
	if (c->reshared && (!count_ok(c->nretired) || !count_ok(c->ndealers)))
		return -1;
	/* A resharing is made by dealing old shares, never by a DKG; its
	 * record names the DKG's configuration as the previous one. */
	if (c->reshared && c->dkg)
		return -1;
	/* The same framing as crypto_hash_parts: tag with its NUL, then
	 * each part as an 8-byte big-endian length and its bytes. */
	crypto_generichash_init(&st, NULL, 0, CRYPTO_HASH_BYTES);
	crypto_generichash_update(&st, (const unsigned char *)tag,
	    sizeof(tag));
	part_len(&st, CRYPTO_POINT_BYTES);
	crypto_generichash_update(&st, c->Y, CRYPTO_POINT_BYTES);
	part_len(&st, 4);
	be32(&st, c->threshold);
	part_len(&st, 4);
	be32(&st, c->n);
	for (i = 0; i < c->n; i++) {
		member_bytes(&c->holders[i], m);
		part_len(&st, sizeof(m));
		crypto_generichash_update(&st, m, sizeof(m));
	}
	if (!c->reshared) {
		part_len(&st, 0);
		/* Present exactly for a DKG's key: a sixth part makes the
		 * hash differ from every five-part one (each part carries
		 * its length), and leaves a dealer ceremony's as it was. */
		if (c->dkg) {
			part_len(&st, CRYPTO_DKG_ID_BYTES + CRYPTO_HASH_BYTES);
			crypto_generichash_update(&st, c->dkg_id,
			    CRYPTO_DKG_ID_BYTES);
			crypto_generichash_update(&st, c->transcript,
			    CRYPTO_HASH_BYTES);
		}
		crypto_generichash_final(&st, out, CRYPTO_HASH_BYTES);
		return 0;
	}
	len = CRYPTO_HASH_BYTES + 4 + 4 + (uint64_t)c->nretired *
	    MEMBER_BYTES + 4 + (uint64_t)c->ndealers * 4 +
	    (uint64_t)c->ndealers * c->threshold * CRYPTO_POINT_BYTES +
	    (uint64_t)c->ndealers * CRYPTO_SIG_BYTES;
	part_len(&st, len);
	crypto_generichash_update(&st, c->previous, CRYPTO_HASH_BYTES);
	be32(&st, c->prev_threshold);
	be32(&st, c->nretired);
	for (i = 0; i < c->nretired; i++) {
		member_bytes(&c->retired[i], m);
		crypto_generichash_update(&st, m, sizeof(m));
	}
	be32(&st, c->ndealers);
	for (i = 0; i < c->ndealers; i++)
		be32(&st, c->dealers[i]);
	for (i = 0; i < c->ndealers; i++)
		crypto_generichash_update(&st, c->dealing[i],
		    (size_t)c->threshold * CRYPTO_POINT_BYTES);
	for (i = 0; i < c->ndealers; i++)
		crypto_generichash_update(&st, c->dealer_sig[i],
		    CRYPTO_SIG_BYTES);
	crypto_generichash_final(&st, out, CRYPTO_HASH_BYTES);
	return 0;
}

int
crypto_dkg_escrow_config(const struct crypto_dkg *d,
    struct crypto_escrow_config *c)
{
	uint8_t		com[CRYPTO_DKG_MAX_HOLDERS * CRYPTO_POINT_BYTES];
	unsigned	i;

	if (d == NULL || c == NULL || crypto_dkg_result(d, c->Y, com) != 0)
		return -1;
	c->threshold = d->c.threshold;
	c->n = d->c.holders;
	for (i = 0; i < c->n; i++) {
		c->holders[i].index = i + 1;
		memcpy(c->holders[i].sign_pk, d->c.sign_pk[i],
		    CRYPTO_SIGN_PK_BYTES);
		memcpy(c->holders[i].box_pk, d->c.box_pk[i],
		    CRYPTO_BOX_PK_BYTES);
		memcpy(c->holders[i].commitment, com + i * CRYPTO_POINT_BYTES,
		    CRYPTO_POINT_BYTES);
	}
	c->reshared = 0;
	c->nretired = c->ndealers = 0;
	c->dkg = 1;
	memcpy(c->dkg_id, d->c.id, CRYPTO_DKG_ID_BYTES);
	crypto_dkg_checkpoint(d, c->transcript);
	return 0;
}

void
crypto_reshare_digest(const uint8_t Y[CRYPTO_POINT_BYTES],
    const uint8_t previous[CRYPTO_HASH_BYTES], unsigned prev_threshold,
    const unsigned *dealers, unsigned ndealers, unsigned dealer,
    unsigned threshold, unsigned n, const uint8_t *keys,
    const uint8_t *commitments, const uint8_t *sealed,
    uint8_t out[CRYPTO_HASH_BYTES])
{
	uint8_t			 nums[4 * (4 + CRYPTO_ESCROW_MAX_HOLDERS)];
	struct crypto_part	 parts[6];
	size_t			 off = 0, i;
	unsigned		 v[4];

	v[0] = prev_threshold;
	v[1] = dealer;
	v[2] = threshold;
	v[3] = n;
	if (ndealers > CRYPTO_ESCROW_MAX_HOLDERS)
		ndealers = CRYPTO_ESCROW_MAX_HOLDERS;
	for (i = 0; i < 4 + (size_t)ndealers; i++) {
		crypto_int_put_be32(nums + off, i < 4 ? v[i] : dealers[i - 4]);
		off += 4;
	}
	parts[0].p = Y;
	parts[0].len = CRYPTO_POINT_BYTES;
	parts[1].p = previous;
	parts[1].len = CRYPTO_HASH_BYTES;
	parts[2].p = nums;
	parts[2].len = off;
	parts[3].p = keys;
	parts[3].len = (size_t)n * (CRYPTO_SIGN_PK_BYTES + CRYPTO_BOX_PK_BYTES);
	parts[4].p = commitments;
	parts[4].len = (size_t)threshold * CRYPTO_POINT_BYTES;
	parts[5].p = sealed;
	parts[5].len = (size_t)n * SEALED_BYTES;
	crypto_hash_parts("bisik-reshare-deal-v2", parts, 6, out);
}
