/*
 * disclose: the cryptography of one identity disclosure (SECURITY.md,
 * "Identity disclosure").
 *
 * The server relays every message of a disclosure and must still be
 * unable to open the identity, even if it kept every partial of every
 * request for the same case. So the requester blinds the case's R before
 * anyone computes a partial: with a secret rho derived from the
 * requester's own key (never sent), P = rho·B and Rb = rho·R, proved
 * consistent by a DLEQ proof (log_B P == log_R Rb) which also shows that
 * the requester knows rho, so Rb is a multiple of this case's R and of no
 * other case's. Approvers compute Db_i = y_i·Rb with a DLEQ proof against
 * their commitment Y_i; those blinded partials may be seen by anyone:
 * K of them combine to rho·S, which without rho is a random point. Only
 * the requester, who recomputes rho from their key, turns the combination
 * into S = rho^-1 · (Σ λ_i·Db_i) and opens the identity.
 *
 * Every proof's context and every signed digest binds the case, the
 * request id, the escrow configuration hash, the generation, the holder
 * indices and the blinding (Frozen Heart: every element of the statement
 * is hashed), so nothing made for one request verifies for another. The
 * requester's signature also covers the account, reason, legal basis,
 * creation and expiry of the request; each approver signs the whole
 * request digest with their partial, so an approval says exactly what the
 * approver was shown.
 */
#include <string.h>
#include <sodium.h>

#include "crypto/crypto.h"
#include "crypto/internal.h"

static struct crypto_part
str_part(const char *s)
{
	struct crypto_part p;

	p.p = s == NULL ? "" : s;
	p.len = s == NULL ? 0 : strlen(s);
	return p;
}

/* The request's identity: the id the requester chose, the configuration
 * of the generation it is made under and the nonce. */
static void
binding_parts(const struct crypto_disclosure *d, struct crypto_part *parts)
{
	parts[0] = str_part(d->request);
	parts[1].p = d->config;
	parts[1].len = sizeof(d->config);
	parts[2].p = d->nonce;
	parts[2].len = sizeof(d->nonce);
}

/* DLEQ context of the requester's blinding proof. */
static void
blind_ctx(const struct crypto_disclosure *d, uint8_t ctx[CRYPTO_HASH_BYTES])
{
	struct crypto_part	parts[6];
	uint8_t			gen[4], req[4];

	crypto_int_put_be32(gen, d->generation);
	crypto_int_put_be32(req, d->requester);
	parts[0] = str_part(d->case_ref);
	parts[1].p = gen;
	parts[1].len = sizeof(gen);
	parts[2].p = req;
	parts[2].len = sizeof(req);
	binding_parts(d, parts + 3);
	crypto_hash_parts("bisik-disclosure-blind-v2", parts, 6, ctx);
}

/* DLEQ context of holder `index`'s partial for the request: bound to the
 * request id, so a partial made for one request verifies for no other. */
static void
partial_ctx(const struct crypto_disclosure *d, unsigned index,
    uint8_t ctx[CRYPTO_HASH_BYTES])
{
	struct crypto_part	parts[9];
	uint8_t			gen[4], req[4], idx[4];

	crypto_int_put_be32(gen, d->generation);
	crypto_int_put_be32(req, d->requester);
	crypto_int_put_be32(idx, index);
	parts[0] = str_part(d->case_ref);
	binding_parts(d, parts + 1);
	parts[4].p = gen;
	parts[4].len = sizeof(gen);
	parts[5].p = req;
	parts[5].len = sizeof(req);
	parts[6].p = idx;
	parts[6].len = sizeof(idx);
	parts[7].p = d->R;
	parts[7].len = CRYPTO_POINT_BYTES;
	parts[8].p = d->P;
	parts[8].len = CRYPTO_POINT_BYTES;
	crypto_hash_parts("bisik-disclosure-partial-v2", parts, 9, ctx);
}

/*
 * rho = BLAKE2b-512(key = secret, tag ‖ blinding context (case,
 * generation, requester, request id, configuration, nonce) ‖ R) mod L. Deterministic, so the requester's client keeps no
 * state between the request and the reveal: the key file and the public
 * nonce give rho back.
 */
static int
derive_rho(const uint8_t secret[CRYPTO_KEY_BYTES],
    const struct crypto_disclosure *d, uint8_t rho[CRYPTO_SCALAR_BYTES])
{
	static const char	 tag[] = "bisik-disclosure-rho-v1";
	crypto_generichash_state st;
	uint8_t			 h[crypto_core_ristretto255_NONREDUCEDSCALARBYTES];
	uint8_t			 ctx[CRYPTO_HASH_BYTES];
	int			 rc = 0;

	blind_ctx(d, ctx);
	crypto_generichash_init(&st, secret, CRYPTO_KEY_BYTES, sizeof(h));
	crypto_generichash_update(&st, (const unsigned char *)tag, sizeof(tag));
	crypto_generichash_update(&st, ctx, sizeof(ctx));
	crypto_generichash_update(&st, d->R, CRYPTO_POINT_BYTES);
	crypto_generichash_final(&st, h, sizeof(h));
	crypto_core_ristretto255_scalar_reduce(rho, h);
	if (crypto_scalar_check(rho) != 0)	/* zero: probability 2^-252 */
		rc = -1;
	sodium_memzero(&st, sizeof(st));
	sodium_memzero(h, sizeof(h));
	return rc;
}

int
crypto_disclosure_blind(const uint8_t secret[CRYPTO_KEY_BYTES],
    struct crypto_disclosure *d, uint8_t rho[CRYPTO_SCALAR_BYTES],
    uint8_t proof[CRYPTO_DLEQ_BYTES])
{
	uint8_t	r[CRYPTO_SCALAR_BYTES], P[CRYPTO_POINT_BYTES];
	uint8_t	Rb[CRYPTO_POINT_BYTES], ctx[CRYPTO_HASH_BYTES];
	int	rc = -1;

	if (secret == NULL || d == NULL || crypto_point_check(d->R) != 0)
		return -1;
	if (derive_rho(secret, d, r) != 0)
		goto out;
	if (crypto_scalarmult_ristretto255_base(P, r) != 0 ||
	    crypto_scalarmult_ristretto255(Rb, r, d->R) != 0)
		goto out;
	memcpy(d->P, P, sizeof(P));
	memcpy(d->Rb, Rb, sizeof(Rb));
	blind_ctx(d, ctx);
	if (crypto_dleq_prove(r, d->P, d->R, d->Rb, ctx, sizeof(ctx),
	    proof) != 0)
		goto out;
	memcpy(rho, r, sizeof(r));
	rc = 0;
out:
	sodium_memzero(r, sizeof(r));
	return rc;
}

int
crypto_disclosure_blind_verify(const struct crypto_disclosure *d,
    const uint8_t proof[CRYPTO_DLEQ_BYTES])
{
	uint8_t	ctx[CRYPTO_HASH_BYTES];

	if (d == NULL || proof == NULL)
		return -1;
	blind_ctx(d, ctx);
	/* dleq_verify checks P, R and Rb: valid and not the identity. */
	return crypto_dleq_verify(d->P, d->R, d->Rb, ctx, sizeof(ctx), proof);
}

int
crypto_disclosure_partial(const uint8_t share[CRYPTO_SCALAR_BYTES],
    const uint8_t Yi[CRYPTO_POINT_BYTES], const struct crypto_disclosure *d,
    unsigned index, uint8_t D[CRYPTO_POINT_BYTES],
    uint8_t proof[CRYPTO_DLEQ_BYTES])
{
	uint8_t	Dt[CRYPTO_POINT_BYTES], ctx[CRYPTO_HASH_BYTES];

	if (d == NULL || index == 0 || index == d->requester)
		return -1;
	if (crypto_escrow_partial(share, d->Rb, Dt) != 0)
		return -1;
	partial_ctx(d, index, ctx);
	/* dleq_prove refuses a share that does not belong to Yi. */
	if (crypto_dleq_prove(share, Yi, d->Rb, Dt, ctx, sizeof(ctx),
	    proof) != 0)
		return -1;
	memcpy(D, Dt, sizeof(Dt));
	return 0;
}

int
crypto_disclosure_partial_verify(const uint8_t Yi[CRYPTO_POINT_BYTES],
    const struct crypto_disclosure *d, unsigned index,
    const uint8_t D[CRYPTO_POINT_BYTES], const uint8_t proof[CRYPTO_DLEQ_BYTES])
{
	uint8_t	ctx[CRYPTO_HASH_BYTES];

	if (d == NULL || index == 0 || index == d->requester)
		return -1;
	partial_ctx(d, index, ctx);
	return crypto_dleq_verify(Yi, d->Rb, D, ctx, sizeof(ctx), proof);
}

int
crypto_disclosure_own(const uint8_t share[CRYPTO_SCALAR_BYTES],
    const uint8_t Yi[CRYPTO_POINT_BYTES], const struct crypto_disclosure *d,
    uint8_t D[CRYPTO_POINT_BYTES])
{
	uint8_t	chk[CRYPTO_POINT_BYTES];
	int	rc = -1;

	if (d == NULL || crypto_scalar_check(share) != 0 ||
	    crypto_point_check(Yi) != 0)
		return -1;
	/* A share that is not the one committed to would spoil S quietly. */
	if (crypto_scalarmult_ristretto255_base(chk, share) != 0 ||
	    !crypto_equal(chk, Yi, sizeof(chk)))
		goto out;
	rc = crypto_escrow_partial(share, d->Rb, D);
out:
	sodium_memzero(chk, sizeof(chk));
	return rc;
}

int
crypto_disclosure_unblind(const uint8_t rho[CRYPTO_SCALAR_BYTES],
    const uint8_t Sb[CRYPTO_POINT_BYTES], uint8_t S[CRYPTO_POINT_BYTES])
{
	uint8_t	inv[CRYPTO_SCALAR_BYTES], St[CRYPTO_POINT_BYTES];
	int	rc = -1;

	if (crypto_scalar_check(rho) != 0 || crypto_point_check(Sb) != 0)
		return -1;
	if (crypto_core_ristretto255_scalar_invert(inv, rho) != 0 ||
	    crypto_scalarmult_ristretto255(St, inv, Sb) != 0)
		goto out;
	memcpy(S, St, sizeof(St));
	rc = 0;
out:
	sodium_memzero(inv, sizeof(inv));
	sodium_memzero(St, sizeof(St));
	return rc;
}

void
crypto_disclosure_request_digest(const struct crypto_disclosure *d,
    const uint8_t blind_proof[CRYPTO_DLEQ_BYTES],
    uint8_t out[CRYPTO_HASH_BYTES])
{
	struct crypto_part	parts[11];
	uint8_t			ctx[CRYPTO_HASH_BYTES];

	/* The blinding context holds case, generation, requester index,
	 * request id, configuration and nonce. */
	blind_ctx(d, ctx);
	parts[0].p = ctx;
	parts[0].len = sizeof(ctx);
	parts[1] = str_part(d->account);
	parts[2] = str_part(d->created_at);
	parts[3] = str_part(d->expires_at);
	parts[4].p = d->R;
	parts[5].p = d->P;
	parts[6].p = d->Rb;
	parts[4].len = parts[5].len = parts[6].len = CRYPTO_POINT_BYTES;
	parts[7].p = blind_proof;
	parts[7].len = CRYPTO_DLEQ_BYTES;
	parts[8] = str_part(d->reason);
	parts[9] = str_part(d->legal_basis);
	parts[10].p = d->config;
	parts[10].len = sizeof(d->config);
	crypto_hash_parts("bisik-disclosure-request-v2", parts, 11, out);
}

void
crypto_disclosure_approval_digest(const uint8_t request[CRYPTO_HASH_BYTES],
    const struct crypto_disclosure *d, unsigned index,
    const uint8_t D[CRYPTO_POINT_BYTES],
    const uint8_t proof[CRYPTO_DLEQ_BYTES], uint8_t out[CRYPTO_HASH_BYTES])
{
	struct crypto_part	parts[6];
	uint8_t			ctx[CRYPTO_HASH_BYTES];

	partial_ctx(d, index, ctx);
	parts[0].p = request;
	parts[0].len = CRYPTO_HASH_BYTES;
	parts[1].p = ctx;
	parts[1].len = sizeof(ctx);
	parts[2].p = d->config;
	parts[2].len = sizeof(d->config);
	parts[3].p = d->Rb;
	parts[3].len = CRYPTO_POINT_BYTES;
	parts[4].p = D;
	parts[4].len = CRYPTO_POINT_BYTES;
	parts[5].p = proof;
	parts[5].len = CRYPTO_DLEQ_BYTES;
	crypto_hash_parts("bisik-disclosure-approval-v2", parts, 6, out);
}
