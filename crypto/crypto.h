/*
 * crypto: every cryptographic operation of Bisik, on libsodium 1.0.18.
 *
 * What it is for: record sealing (XChaCha20-Poly1305), identity escrow
 * (hashed ElGamal on ristretto255 with a Shamir k-of-n split of the escrow
 * scalar and Chaum-Pedersen DLEQ proofs, and a dealerless generation of
 * that key among its holders), passphrase sealing (Argon2id),
 * reporter/staff tokens (Crockford base32 with a check symbol, stored as a
 * keyed BLAKE2b hash), proof-of-work challenges and signed receipts.
 *
 * Contract:
 *  - crypto_init() must succeed before any other call; it is idempotent and
 *    thread-safe (it only calls sodium_init()).
 *  - Functions returning int return 0 on success and -1 on failure; outputs
 *    are written only on success (and wiped on failure where they could hold
 *    a secret).
 *  - Every received point is checked to be a valid, non-identity ristretto255
 *    encoding and every received scalar to be canonical (< L) before use.
 *  - Nothing here allocates except crypto_secret_alloc(); nothing blocks
 *    except crypto_pw_seal/open (Argon2id, 64 MiB to 1 GiB, up to seconds),
 *    crypto_password_hash/verify (Argon2id, 64 MiB) and crypto_pow_solve.
 *  - All functions are thread-safe (no global state besides libsodium's).
 *  - This module uses only libc and libsodium; it knows no file formats
 *    beyond its own binary layouts described below.
 */
#ifndef BISIK_CRYPTO_H
#define BISIK_CRYPTO_H

#include <stddef.h>
#include <stdint.h>

#define CRYPTO_WUR __attribute__((warn_unused_result))

#define CRYPTO_KEY_BYTES	32	/* symmetric keys, peppers, DEK, KEK */
#define CRYPTO_HASH_BYTES	32	/* BLAKE2b-256 */
#define CRYPTO_POINT_BYTES	32	/* ristretto255 element */
#define CRYPTO_SCALAR_BYTES	32	/* ristretto255 scalar */
#define CRYPTO_SIGN_PK_BYTES	32	/* Ed25519 public key */
#define CRYPTO_SIGN_SK_BYTES	64	/* Ed25519 secret key (seed ‖ pk) */
#define CRYPTO_SIG_BYTES	64	/* Ed25519 signature */
#define CRYPTO_BOX_PK_BYTES	32	/* X25519 public key */
#define CRYPTO_BOX_SK_BYTES	32	/* X25519 secret key */
#define CRYPTO_BOX_SEAL_OVERHEAD 48	/* crypto_box_seal overhead */

CRYPTO_WUR int	crypto_init(void);

/* ---- Guarded secret memory ------------------------------------------ */

/* sodium_malloc + mlock; NULL on failure. Free with crypto_secret_free,
 * which wipes and accepts NULL. */
void	*crypto_secret_alloc(size_t);
void	 crypto_secret_free(void *);
/* sodium_memzero */
void	 crypto_wipe(void *, size_t);
/* Constant-time equality of two buffers of the same length: 1 equal. */
int	 crypto_equal(const void *, const void *, size_t);
/* Fill with random bytes. */
void	 crypto_random(void *, size_t);

/* ---- Record sealing (XChaCha20-Poly1305-IETF) ------------------------ */

/*
 * Layout: nonce (24) ‖ ciphertext ‖ tag (16). The additional data binds a
 * sealed field to its place (e.g. case id and field name) so a ciphertext
 * moved to another record does not open.
 */
#define CRYPTO_SEAL_OVERHEAD	40
CRYPTO_WUR int	crypto_seal(const uint8_t key[CRYPTO_KEY_BYTES],
		    const void *ad, size_t adlen, const void *msg, size_t len,
		    uint8_t *out /* len + CRYPTO_SEAL_OVERHEAD */);
/* Fails (-1) on a short or tampered input; out is wiped then. */
CRYPTO_WUR int	crypto_open(const uint8_t key[CRYPTO_KEY_BYTES],
		    const void *ad, size_t adlen, const uint8_t *in,
		    size_t inlen, uint8_t *out /* inlen - OVERHEAD */);

/* ---- Hashing --------------------------------------------------------- */

/*
 * Domain-separated hash of a list of byte strings: BLAKE2b-256 over
 * tag ‖ 0x00 ‖ for each part: 8-byte big-endian length ‖ bytes.
 * Used for receipts' content hash and anywhere several fields are hashed.
 */
struct crypto_part {
	const void	*p;
	size_t		 len;
};
void	crypto_hash_parts(const char *tag, const struct crypto_part *parts,
	    size_t nparts, uint8_t out[CRYPTO_HASH_BYTES]);
/* Keyed BLAKE2b-256 (key 32 bytes). */
void	crypto_keyed_hash(const uint8_t key[CRYPTO_KEY_BYTES],
	    const void *msg, size_t len, uint8_t out[CRYPTO_HASH_BYTES]);

/* ---- Signatures (Ed25519) ------------------------------------------- */

/* Deterministic keypair from a 32-byte seed (server keys are stored as seeds). */
CRYPTO_WUR int	crypto_sign_from_seed(const uint8_t seed[32],
		    uint8_t pk[CRYPTO_SIGN_PK_BYTES], uint8_t sk[CRYPTO_SIGN_SK_BYTES]);
void	crypto_sign_msg(const uint8_t sk[CRYPTO_SIGN_SK_BYTES],
	    const void *msg, size_t len, uint8_t sig[CRYPTO_SIG_BYTES]);
CRYPTO_WUR int	crypto_sign_check(const uint8_t pk[CRYPTO_SIGN_PK_BYTES],
		    const void *msg, size_t len, const uint8_t sig[CRYPTO_SIG_BYTES]);

/* ---- Receipts (signed proof of filing) ------------------------------- */

/*
 * content_hash = crypto_hash_parts("bisik-content-v1", kind, title, body,
 *   agency, category, location, occurred_on, visibility) where an absent
 *   optional field is the empty string and visibility is the effective one
 *   ("confidential" when left out). The identity is never part of it; it
 *   is the binding a sealed identity is made with.
 * Signed message: crypto_hash_parts("bisik-receipt-v2", case, at,
 *   content_hash, identity_hash (empty without an identity), audit_seq
 *   (8 BE), audit_head) signed with Ed25519 (the 32-byte digest is what is
 *   signed). `at` is the UTC time as "YYYY-MM-DDTHH:MM:SSZ"; audit_seq and
 *   audit_head are the audit chain's head when the case was filed (0 and
 *   32 zero bytes for an empty chain), so every reporter holds a witness
 *   of the chain that a later rewrite cannot explain away.
 */
struct crypto_content {
	const char	*kind, *title, *body, *agency, *category, *location,
			*occurred_on, *visibility;
};	/* NULL = ""; a NULL or "" visibility is hashed as "confidential" */
void	crypto_content_hash(const struct crypto_content *,
	    uint8_t out[CRYPTO_HASH_BYTES]);
struct crypto_receipt {
	const char	*case_ref;
	const char	*at;
	uint8_t		 content_hash[CRYPTO_HASH_BYTES];
	int		 has_identity;
	uint8_t		 identity_hash[CRYPTO_HASH_BYTES];
	uint64_t	 audit_seq;
	uint8_t		 audit_head[CRYPTO_HASH_BYTES];
};
void	crypto_receipt_sign(const uint8_t sk[CRYPTO_SIGN_SK_BYTES],
	    const struct crypto_receipt *, uint8_t sig[CRYPTO_SIG_BYTES]);
CRYPTO_WUR int	crypto_receipt_verify(const uint8_t pk[CRYPTO_SIGN_PK_BYTES],
		    const struct crypto_receipt *,
		    const uint8_t sig[CRYPTO_SIG_BYTES]);

/* ---- Base64 (standard alphabet, with padding) ------------------------ */

/* Encoded length including the NUL. */
size_t	crypto_b64_len(size_t binlen);
/* Writes NUL-terminated text into out (crypto_b64_len(len) bytes). */
void	crypto_b64_encode(const void *bin, size_t len, char *out);
/* Strict decode (no whitespace); -1 on bad input or if > maxlen bytes. */
CRYPTO_WUR int	crypto_b64_decode(const char *text, size_t textlen,
		    uint8_t *out, size_t maxlen, size_t *outlen);

/* ---- Tokens ----------------------------------------------------------- */

/*
 * A token is 31 random Crockford base32 symbols (155 bits) followed by one
 * check symbol (5 bits of BLAKE2b("bisik-token-check", the 31 symbols):
 * the top 5 bits of the first byte of BLAKE2b-256 keyed with the 17-byte
 * ASCII key "bisik-token-check" over the 31 upper-case symbols).
 * Display form: 8 groups of 4 separated by '-', e.g. "7KQ2-...". Parsing
 * is case-insensitive, ignores '-' and ' ', maps O->0 and I/L->1, and
 * rejects anything else, a wrong length or a wrong check symbol. The
 * canonical form (32 upper-case symbols, no separators) is what is hashed.
 */
#define CRYPTO_TOKEN_SYMBOLS	32
#define CRYPTO_TOKEN_TEXT	40	/* display form + NUL */
#define CRYPTO_TOKEN_MAX_INPUT	128	/* longer input is malformed */
void	crypto_token_new(char out[CRYPTO_TOKEN_TEXT]);
CRYPTO_WUR int	crypto_token_parse(const char *in, size_t len,
		    char canon[CRYPTO_TOKEN_SYMBOLS + 1]);
/* BLAKE2b-256 keyed with the pepper over the canonical form. */
void	crypto_token_hash(const uint8_t pepper[CRYPTO_KEY_BYTES],
	    const char canon[CRYPTO_TOKEN_SYMBOLS + 1],
	    uint8_t out[CRYPTO_HASH_BYTES]);

/* ---- Proof of work ------------------------------------------------------ */

/*
 * Challenge bytes: version 0x01 ‖ expires (8, BE unix seconds) ‖
 * difficulty (1) ‖ id (16 random) ‖ mac (16: keyed BLAKE2b-128 of the
 * preceding 26 bytes). Its text form is unpadded base64url (56 chars).
 * A solution is a nonce string of 1..64 printable ASCII characters such
 * that BLAKE2b-256(challenge text ‖ nonce) starts with `difficulty`
 * zero bits. Single use is enforced by the caller storing the id.
 */
#define CRYPTO_CHALLENGE_BYTES	42
#define CRYPTO_CHALLENGE_TEXT	57	/* base64url, no padding, + NUL */
#define CRYPTO_CHALLENGE_ID_BYTES 16
#define CRYPTO_POW_NONCE_MAX	64
#define CRYPTO_POW_MAX_DIFFICULTY 32
/* difficulty <= CRYPTO_POW_MAX_DIFFICULTY (asserted: validate config). */
void	crypto_challenge_new(const uint8_t key[CRYPTO_KEY_BYTES],
	    uint64_t expires, unsigned difficulty,
	    char out[CRYPTO_CHALLENGE_TEXT]);
/* Checks form and MAC; gives id, expiry and difficulty. Does not check
 * expiry against the clock (the caller does). -1 on anything wrong. */
CRYPTO_WUR int	crypto_challenge_check(const uint8_t key[CRYPTO_KEY_BYTES],
		    const char *text, size_t len,
		    uint8_t id[CRYPTO_CHALLENGE_ID_BYTES], uint64_t *expires,
		    unsigned *difficulty);
/* 0 if nonce solves the challenge text at that difficulty. */
CRYPTO_WUR int	crypto_pow_verify(const char *challenge, size_t clen,
		    const char *nonce, size_t nlen, unsigned difficulty);
/* Finds a decimal nonce; out must hold CRYPTO_POW_NONCE_MAX + 1. */
CRYPTO_WUR int	crypto_pow_solve(const char *challenge, size_t clen,
		    unsigned difficulty, char *out);

/* ---- Passphrase sealing (Argon2id + XChaCha20-Poly1305) --------------- */

/*
 * Layout: version 0x01 ‖ opslimit (4, BE) ‖ memlimit in KiB (4, BE) ‖
 * salt (16) ‖ nonce (24) ‖ ciphertext ‖ tag (16). Seals with one of
 * libsodium's three Argon2id levels (interactive: 64 MiB, 2 passes;
 * moderate: 256 MiB, 3 passes, the default of `bisik keygen`; sensitive:
 * 1 GiB, 4 passes); open reads the limits from the blob, accepts limits
 * up to the "sensitive" ones and refuses larger (a hostile file must not
 * exhaust memory).
 */
#define CRYPTO_PW_OVERHEAD	(1 + 4 + 4 + 16 + 24 + 16)
enum crypto_pw_level {
	CRYPTO_PW_INTERACTIVE,
	CRYPTO_PW_MODERATE,
	CRYPTO_PW_SENSITIVE
};
CRYPTO_WUR int	crypto_pw_seal(const char *pass, size_t passlen,
		    const uint8_t *msg, size_t len, enum crypto_pw_level,
		    uint8_t *out /* len + CRYPTO_PW_OVERHEAD */);
/* Fails on a wrong passphrase, a tampered or short input, or limits out of
 * bounds; out is wiped then. */
CRYPTO_WUR int	crypto_pw_open(const char *pass, size_t passlen,
		    const uint8_t *in, size_t inlen,
		    uint8_t *out /* inlen - CRYPTO_PW_OVERHEAD */);

/* ---- Staff passwords (Argon2id strings) -------------------------------- */

/*
 * crypto_pwhash_str format with the "interactive" Argon2id limits (logins
 * are online; the server bounds how many run at once). verify: 0 if the
 * password matches; -1 on mismatch or a malformed or non-Argon2id string.
 */
#define CRYPTO_PASSWORD_HASH_TEXT 128	/* crypto_pwhash_STRBYTES, with NUL */
CRYPTO_WUR int	crypto_password_hash(const char *pass, size_t len,
		    char out[CRYPTO_PASSWORD_HASH_TEXT]);
CRYPTO_WUR int	crypto_password_verify(const char *hash, const char *pass,
		    size_t len);

/* ---- Admin keys --------------------------------------------------------- */

/* A central admin's key pair set; allocate with crypto_secret_alloc. */
struct crypto_admin_key {
	uint8_t	sign_pk[CRYPTO_SIGN_PK_BYTES];
	uint8_t	sign_sk[CRYPTO_SIGN_SK_BYTES];
	uint8_t	box_pk[CRYPTO_BOX_PK_BYTES];
	uint8_t	box_sk[CRYPTO_BOX_SK_BYTES];
};
void	crypto_admin_keygen(struct crypto_admin_key *);
/* Anonymous sealed box to an X25519 key (crypto_box_seal). */
CRYPTO_WUR int	crypto_box_to(const uint8_t pk[CRYPTO_BOX_PK_BYTES],
		    const uint8_t *msg, size_t len, uint8_t *out /* len + 48 */);
CRYPTO_WUR int	crypto_box_open_with(const struct crypto_admin_key *,
		    const uint8_t *in, size_t inlen, uint8_t *out /* inlen - 48 */);

/* ---- ristretto255 helpers --------------------------------------------- */

/* 0 if a valid encoding and not the identity element. */
CRYPTO_WUR int	crypto_point_check(const uint8_t p[CRYPTO_POINT_BYTES]);
/* 0 if canonical (< L) and non-zero; constant time. */
CRYPTO_WUR int	crypto_scalar_check(const uint8_t s[CRYPTO_SCALAR_BYTES]);

/* ---- Identity escrow ---------------------------------------------------- */

/*
 * Sealed identity, version 2 (docs/formats.md): version 0x02 ‖ R (32) ‖
 * nonce (24) ‖ ciphertext ‖ tag (16), always CRYPTO_IDENTITY_SEALED_BYTES
 * long. r random, R = r·B, S = r·Y, k = BLAKE2b-256(key =
 * "bisik-identity-v2", S ‖ R ‖ Y ‖ binding), XChaCha20-Poly1305 under k
 * with additional data 0x02 ‖ R ‖ binding, over the padded identity:
 * length (2 bytes, big-endian) ‖ identity ‖ zeros up to
 * CRYPTO_IDENTITY_MAX. The binding is the report's content hash
 * (crypto_content_hash), so an identity opens only for the report it was
 * filed with, and its size says nothing of its length.
 * Version 1 (sealed before bindings; opened, never made): 0x01 ‖ R ‖
 * nonce ‖ ciphertext ‖ tag, k = BLAKE2b-256(key = "bisik-identity-v1",
 * S ‖ R ‖ Y), additional data R, no padding.
 */
#define CRYPTO_IDENTITY_MAX	4096	/* plaintext bound */
#define CRYPTO_IDENTITY_R_OFFSET 1	/* R in both versions */
#define CRYPTO_IDENTITY_V1_OVERHEAD (1 + 32 + 24 + 16)
/* version ‖ R ‖ nonce ‖ length ‖ padded identity ‖ tag: 4171 bytes */
#define CRYPTO_IDENTITY_SEALED_BYTES \
	(1 + 32 + 24 + 2 + CRYPTO_IDENTITY_MAX + 16)
CRYPTO_WUR int	crypto_identity_seal(const uint8_t Y[CRYPTO_POINT_BYTES],
		    const uint8_t binding[CRYPTO_HASH_BYTES], const void *msg,
		    size_t len, uint8_t out[CRYPTO_IDENTITY_SEALED_BYTES]);
/* Checks the layout (version, size, R valid and non-identity) without
 * opening: 2 or 1, the version, or -1. */
CRYPTO_WUR int	crypto_identity_check(const uint8_t *in, size_t inlen);
/* Opens with S = y·R (whole or combined from partials) and, for version
 * 2, the binding it was sealed with (NULL is refused); the identity's
 * length goes to *outlen. Fails on a wrong S, Y or binding or any change;
 * out is wiped then. */
CRYPTO_WUR int	crypto_identity_open(const uint8_t S[CRYPTO_POINT_BYTES],
		    const uint8_t Y[CRYPTO_POINT_BYTES], const uint8_t *binding,
		    const uint8_t *in, size_t inlen,
		    uint8_t out[CRYPTO_IDENTITY_MAX], size_t *outlen);
/* The hash a receipt commits to: crypto_hash_parts(
 * "bisik-sealed-identity-v1", the sealed bytes). */
void		crypto_identity_hash(const uint8_t *in, size_t inlen,
		    uint8_t out[CRYPTO_HASH_BYTES]);

/*
 * The escrow fingerprint that reporters and holders pin: BLAKE2b-256 of Y
 * under the tag "bisik-escrow-fingerprint-v1", written as 52 Crockford
 * base32 symbols (256 bits and 4 zero bits) in 13 groups of 4 joined by
 * '-'. It is public; it is compared with what an operator cannot change
 * (a poster, the agency's own site), never with what the server serves.
 * crypto_escrow_fingerprint_match() reads a typed fingerprint leniently
 * (any case, spaces and dashes anywhere, O for 0, I and L for 1) and is 0
 * only if it names exactly this Y.
 */
#define CRYPTO_ESCROW_FP_SYMBOLS 52
#define CRYPTO_ESCROW_FP_TEXT	(CRYPTO_ESCROW_FP_SYMBOLS + 12 + 1)
void		crypto_escrow_fingerprint(const uint8_t Y[CRYPTO_POINT_BYTES],
		    char out[CRYPTO_ESCROW_FP_TEXT]);
CRYPTO_WUR int	crypto_escrow_fingerprint_match(const char *text,
		    const uint8_t Y[CRYPTO_POINT_BYTES]);

/*
 * Shamir k-of-n split of a fresh escrow scalar y (never returned, wiped):
 * shares[i-1] = f(i) for i = 1..n, commitments[i-1] = f(i)·B, Y = y·B.
 * 1 <= k <= n <= CRYPTO_ESCROW_MAX_HOLDERS. shares must be secret memory.
 */
#define CRYPTO_ESCROW_MAX_HOLDERS 64
CRYPTO_WUR int	crypto_escrow_split(unsigned k, unsigned n,
		    uint8_t Y[CRYPTO_POINT_BYTES],
		    uint8_t *shares /* n * 32 */,
		    uint8_t *commitments /* n * 32 */);
/* Lagrange coefficient at 0 of index `i` over the distinct non-zero
 * indices[0..count-1] (which must contain i). -1 on duplicates or zero,
 * or unless 1 <= count <= CRYPTO_ESCROW_MAX_HOLDERS. */
CRYPTO_WUR int	crypto_lagrange(const unsigned *indices, size_t count,
		    unsigned i, uint8_t lambda[CRYPTO_SCALAR_BYTES]);
/* D = share · R (R checked). */
CRYPTO_WUR int	crypto_escrow_partial(const uint8_t share[CRYPTO_SCALAR_BYTES],
		    const uint8_t R[CRYPTO_POINT_BYTES],
		    uint8_t D[CRYPTO_POINT_BYTES]);
/* S = Σ λ_i · D_i over count partials with their indices (same bounds as
 * crypto_lagrange; every D_i and the sum must be non-identity). Works on
 * any points: over commitments Y_i it gives Y for a consistent split. */
CRYPTO_WUR int	crypto_escrow_combine(const unsigned *indices,
		    const uint8_t *partials /* count * 32 */, size_t count,
		    uint8_t S[CRYPTO_POINT_BYTES]);

/*
 * Chaum-Pedersen DLEQ proof that log_B(Yi) == log_R(D): proof = c ‖ z
 * (64 bytes). The challenge hashes (length-prefixed) the tag
 * "bisik-dleq-v1", B, Yi, R, D, both commitments and the context string
 * (callers put case id, request id and admin index in it). The proof nonce
 * is fresh randomness.
 */
#define CRYPTO_DLEQ_BYTES	64
CRYPTO_WUR int	crypto_dleq_prove(const uint8_t share[CRYPTO_SCALAR_BYTES],
		    const uint8_t Yi[CRYPTO_POINT_BYTES],
		    const uint8_t R[CRYPTO_POINT_BYTES],
		    const uint8_t D[CRYPTO_POINT_BYTES],
		    const void *ctx, size_t ctxlen,
		    uint8_t proof[CRYPTO_DLEQ_BYTES]);
CRYPTO_WUR int	crypto_dleq_verify(const uint8_t Yi[CRYPTO_POINT_BYTES],
		    const uint8_t R[CRYPTO_POINT_BYTES],
		    const uint8_t D[CRYPTO_POINT_BYTES],
		    const void *ctx, size_t ctxlen,
		    const uint8_t proof[CRYPTO_DLEQ_BYTES]);

/* ---- Key files ----------------------------------------------------------- */

/* Reads exactly `len` bytes from a regular file that must be mode 0600 or
 * stricter and owned by us, into `out` (secret memory). -1 otherwise. */
CRYPTO_WUR int	crypto_keyfile_read(const char *path, uint8_t *out, size_t len);
/* Creates a new file (O_EXCL, 0600) holding random bytes; fsyncs it. */
CRYPTO_WUR int	crypto_keyfile_create(const char *path, size_t len);

/* ---- Audit chain (audit.c) ----------------------------------------------- */

/*
 * The tamper-evident log (docs/design.md, "Audit chain"): entry n is a byte
 * string (the
 * server's canonical JSON) and h_n = BLAKE2b-256(h_{n-1} ‖ entry n), with
 * h_0 = 32 zero bytes. The head (seq, h_seq) is signed with Ed25519 over
 * crypto_hash_parts("bisik-audit-head-v1", seq (8 BE), h_seq); the 32-byte
 * digest is what is signed.
 */
void	crypto_audit_link(const uint8_t prev[CRYPTO_HASH_BYTES],
	    const void *entry, size_t len, uint8_t out[CRYPTO_HASH_BYTES]);
void	crypto_audit_head_sign(const uint8_t sk[CRYPTO_SIGN_SK_BYTES],
	    uint64_t seq, const uint8_t hash[CRYPTO_HASH_BYTES],
	    uint8_t sig[CRYPTO_SIG_BYTES]);
CRYPTO_WUR int	crypto_audit_head_verify(const uint8_t pk[CRYPTO_SIGN_PK_BYTES],
		    uint64_t seq, const uint8_t hash[CRYPTO_HASH_BYTES],
		    const uint8_t sig[CRYPTO_SIG_BYTES]);

/*
 * The one check of a whole chain, shared by both verifiers (bisikd on the
 * data directory, bisik through the API) so that they find the same fault
 * and name it in the same words. Feed every entry in order with
 * crypto_audit_check_entry(), then the head with crypto_audit_check_head();
 * the first fault is kept, later input is ignored. A fault names one entry
 * (seq): the first one that is missing, misplaced or does not hash into
 * the chain; for head faults, the first entry the head fails to vouch for.
 */
enum crypto_audit_fault {
	CRYPTO_AUDIT_INTACT = 0,
	CRYPTO_AUDIT_MISSING,	/* entry seq is not there (a gap) */
	CRYPTO_AUDIT_ORDER,	/* entry seq holds entry `other` (reordered) */
	CRYPTO_AUDIT_HASH,	/* entry seq does not hash into the chain */
	CRYPTO_AUDIT_DAMAGED,	/* entry seq cannot be read at all */
	CRYPTO_AUDIT_EXTRA,	/* entry seq comes after the signed head */
	CRYPTO_AUDIT_TRUNCATED,	/* entries from seq to the head are gone */
	CRYPTO_AUDIT_NO_HEAD,	/* entries but no signed head */
	CRYPTO_AUDIT_HEAD_HASH,	/* the head's hash is not entry seq's */
	CRYPTO_AUDIT_SIGNATURE,	/* the head's signature does not verify */
	CRYPTO_AUDIT_FAULT_MAX
};
struct crypto_audit_check {
	uint64_t	count;			/* entries checked, in order */
	uint8_t		hash[CRYPTO_HASH_BYTES];	/* h_count */
	int		fault;			/* enum crypto_audit_fault */
	uint64_t	seq;			/* the entry the fault names */
	uint64_t	other;			/* ORDER: the entry found there */
	uint64_t	head;			/* the head's seq, once seen */
};
void	crypto_audit_check_init(struct crypto_audit_check *);
/* One entry: seq is where it is stored (key or API position), claimed the
 * "seq" its own text names (0 if unreadable), stored the h_n kept with it
 * (NULL: the record is damaged). 0 while intact, -1 once a fault is found. */
int	crypto_audit_check_entry(struct crypto_audit_check *, uint64_t seq,
	    uint64_t claimed, const uint8_t *stored, const void *entry,
	    size_t len);
/* The head (hash NULL: none stored) against the audit public key. */
int	crypto_audit_check_head(struct crypto_audit_check *,
	    const uint8_t pk[CRYPTO_SIGN_PK_BYTES], uint64_t seq,
	    const uint8_t *hash, const uint8_t *sig);
/* One sentence (no newline) on the outcome: "audit chain intact: N
 * entries, head <hex>" or what is broken, naming the entry. */
void	crypto_audit_describe(const struct crypto_audit_check *, char *buf,
	    size_t len);

/* ---- Identity disclosure (disclose.c) ------------------------------------ */

/*
 * One disclosure request's public statement. The requester blinds the
 * case's R with rho (derived from their secret key, never sent): P = rho·B,
 * Rb = rho·R, proved by DLEQ (log_B P == log_R Rb). Approver i sends
 * Db_i = y_i·Rb with a DLEQ proof against Y_i. K blinded partials combine
 * to rho·S, which only the requester can unblind, so whoever relays or
 * stores them (the server) cannot open the identity. Proof contexts and
 * signed digests bind case, request, generation, requester and holder
 * index, request id, configuration hash, nonce, R and P (disclose.c).
 * Times are "YYYY-MM-DDTHH:MM:SSZ" text, hashed as written.
 */
#define CRYPTO_DISCLOSURE_NONCE_BYTES	16
struct crypto_disclosure {
	const char	*case_ref;	/* case reference */
	const char	*request;	/* request id, chosen by the requester */
	const char	*account;	/* the requester's staff account name */
	const char	*reason, *legal_basis;
	const char	*created_at, *expires_at;
	uint32_t	 generation;	/* the generation whose holders open it */
	unsigned	 requester;	/* the requester's holder index */
	uint8_t		 config[CRYPTO_HASH_BYTES];	/* of that generation */
	uint8_t		 nonce[CRYPTO_DISCLOSURE_NONCE_BYTES];
	uint8_t		 R[CRYPTO_POINT_BYTES];	/* of the sealed identity */
	uint8_t		 P[CRYPTO_POINT_BYTES];	/* rho·B */
	uint8_t		 Rb[CRYPTO_POINT_BYTES];	/* rho·R */
};
/* Fills P and Rb from R and the rest, gives rho (secret memory) and the
 * blinding proof. secret: the requester's X25519 secret key. */
CRYPTO_WUR int	crypto_disclosure_blind(const uint8_t secret[CRYPTO_KEY_BYTES],
		    struct crypto_disclosure *, uint8_t rho[CRYPTO_SCALAR_BYTES],
		    uint8_t proof[CRYPTO_DLEQ_BYTES]);
CRYPTO_WUR int	crypto_disclosure_blind_verify(const struct crypto_disclosure *,
		    const uint8_t proof[CRYPTO_DLEQ_BYTES]);
/* Holder `index` (not the requester): D = share·Rb and its proof. Fails
 * if share·B != Yi. */
CRYPTO_WUR int	crypto_disclosure_partial(const uint8_t share[CRYPTO_SCALAR_BYTES],
		    const uint8_t Yi[CRYPTO_POINT_BYTES],
		    const struct crypto_disclosure *, unsigned index,
		    uint8_t D[CRYPTO_POINT_BYTES],
		    uint8_t proof[CRYPTO_DLEQ_BYTES]);
CRYPTO_WUR int	crypto_disclosure_partial_verify(
		    const uint8_t Yi[CRYPTO_POINT_BYTES],
		    const struct crypto_disclosure *, unsigned index,
		    const uint8_t D[CRYPTO_POINT_BYTES],
		    const uint8_t proof[CRYPTO_DLEQ_BYTES]);
/* The requester's own blinded partial share·Rb (no proof: it never leaves
 * their machine); fails if share·B != Yi. */
CRYPTO_WUR int	crypto_disclosure_own(const uint8_t share[CRYPTO_SCALAR_BYTES],
		    const uint8_t Yi[CRYPTO_POINT_BYTES],
		    const struct crypto_disclosure *, uint8_t D[CRYPTO_POINT_BYTES]);
/* S = rho^-1 · Sb. */
CRYPTO_WUR int	crypto_disclosure_unblind(const uint8_t rho[CRYPTO_SCALAR_BYTES],
		    const uint8_t Sb[CRYPTO_POINT_BYTES],
		    uint8_t S[CRYPTO_POINT_BYTES]);
/* What the requester signs (Ed25519 over these 32 bytes): everything in
 * the struct and the blinding proof. */
void	crypto_disclosure_request_digest(const struct crypto_disclosure *,
	    const uint8_t blind_proof[CRYPTO_DLEQ_BYTES],
	    uint8_t out[CRYPTO_HASH_BYTES]);
/* What approver `index` signs: the request digest (so all the requester
 * signed), the partial's context, the configuration, Rb, D and the proof. */
void	crypto_disclosure_approval_digest(const uint8_t request[CRYPTO_HASH_BYTES],
	    const struct crypto_disclosure *, unsigned index,
	    const uint8_t D[CRYPTO_POINT_BYTES],
	    const uint8_t proof[CRYPTO_DLEQ_BYTES],
	    uint8_t out[CRYPTO_HASH_BYTES]);

/* ---- Resharing an escrow generation (reshare.c) --------------------------- */

/* 0 if share is canonical, non-zero and share·B == Yi. */
CRYPTO_WUR int	crypto_escrow_share_check(const uint8_t share[CRYPTO_SCALAR_BYTES],
		    const uint8_t Yi[CRYPTO_POINT_BYTES]);
/*
 * Dealer `index` of the old holders dealers[0..k-1] deals λ·share to n2
 * new holders with threshold k2: sub[j-1] = g(j) (secret memory, n2·32)
 * and commitments[t] = a_t·B (k2·32), commitments[0] = λ·Y_index.
 */
CRYPTO_WUR int	crypto_reshare_deal(const uint8_t share[CRYPTO_SCALAR_BYTES],
		    const unsigned *dealers, size_t k, unsigned index,
		    unsigned k2, unsigned n2, uint8_t *sub,
		    uint8_t *commitments);
/* 0 if C0 == λ_index·Yi over the dealers (the dealer dealt its share). */
CRYPTO_WUR int	crypto_reshare_check_dealer(const uint8_t Yi[CRYPTO_POINT_BYTES],
		    const unsigned *dealers, size_t k, unsigned index,
		    const uint8_t C0[CRYPTO_POINT_BYTES]);
/* Σ_t j^t·C_t (every C_t and the result valid, non-identity). */
CRYPTO_WUR int	crypto_feldman_eval(const uint8_t *commitments, unsigned k2,
		    unsigned j, uint8_t out[CRYPTO_POINT_BYTES]);
/* 0 if sub·B == crypto_feldman_eval(commitments, k2, j). */
CRYPTO_WUR int	crypto_feldman_verify(const uint8_t *commitments, unsigned k2,
		    unsigned j, const uint8_t sub[CRYPTO_SCALAR_BYTES]);
/* Sums of n (1..CRYPTO_ESCROW_MAX_HOLDERS) canonical scalars / valid
 * points; the result must be non-zero / not the identity. */
CRYPTO_WUR int	crypto_scalar_sum(const uint8_t *scalars, size_t n,
		    uint8_t out[CRYPTO_SCALAR_BYTES]);
CRYPTO_WUR int	crypto_point_sum(const uint8_t *points, size_t n,
		    uint8_t out[CRYPTO_POINT_BYTES]);

/* ---- Dealerless key generation (dkg.c) ------------------------------------ */

/*
 * A distributed key generation among the n escrow holders with threshold
 * k (docs/dkg.md): Gennaro-Jarecki-Krawczyk-Rabin's two phases, with a
 * public proof in place of their second-phase complaints. Each holder i
 * deals random polynomials f_i, f'_i of degree k-1 under Pedersen
 * commitments C_it = a_it·B + b_it·H (which reveal nothing), sends holder
 * j the pair (f_i(j), f'_i(j)) sealed to j's box key, and, once the
 * qualified dealers (QUAL) are fixed, publishes A_it = a_it·B with a proof
 * that A_it is the B-part of C_it. The key is Y = Σ_{i∈QUAL} A_i0, holder
 * j's share y_j = Σ_{i∈QUAL} f_i(j) and its public commitment
 * Y_j = Σ_{i∈QUAL} Σ_t j^t·A_it: the output has the shape of
 * crypto_escrow_split()'s, and the scalar y is never computed anywhere.
 *
 * H = crypto_core_ristretto255_from_hash(BLAKE2b-512("bisik-dkg-pedersen-
 * h-v1" ‖ 0x00)): a point nobody knows the logarithm of to base B.
 *
 * The ceremony (fixed when it opens, hashed into every message):
 * ceremony hash = crypto_hash_parts("bisik-dkg-ceremony-v1", id,
 * BE32 k ‖ BE32 n ‖ BE64 deadline[0..3] ‖ BE64 expires, sign_pk_1..n,
 * box_pk_1..n). 2 <= k <= n <= CRYPTO_DKG_MAX_HOLDERS; deadlines rise
 * strictly and expires comes after the last. Nothing here reads a clock:
 * whoever relays the messages closes each phase at its deadline.
 *
 * A message: version 0x01 ‖ ceremony id (16) ‖ phase (1) ‖ sender (BE32)
 * ‖ checkpoint (32) ‖ body ‖ Ed25519 signature (64) by the sender's
 * sign_pk over crypto_hash_parts("bisik-dkg-msg-v1", ceremony hash,
 * header, body). The checkpoint is the hash of everything accepted up to
 * the close of the previous phase (the ceremony hash for DEAL), so a
 * message fits exactly one history. Closing phase p sets checkpoint =
 * crypto_hash_parts("bisik-dkg-checkpoint-v1", checkpoint, BE32 p, then
 * for each sender 1..n its message's signed digest or an empty part):
 * arrival order within a phase does not matter.
 *
 * Bodies (indices BE32, lists strictly increasing):
 *  DEAL      C_0..C_{k-1} (k·32) ‖ sealed pair for holder 1..n (n·128):
 *            crypto_box_seal(box_pk_j, f(j) ‖ f'(j) ‖ tag), tag = the
 *            first 16 bytes of crypto_hash_parts("bisik-dkg-box-v1",
 *            ceremony hash, BE32 dealer, BE32 j), so a box cannot be
 *            moved to another dealer, holder or ceremony.
 *  COMPLAIN  the dealers whose pair to the sender failed (may be empty:
 *            "I accept every deal"); never the sender itself.
 *  ANSWER    for every complainer j, in order: j ‖ f(j) ‖ f'(j), in the
 *            open. Only a dealer with 1..k-1 complaints answers; more
 *            than k-1 complaints disqualify it at once.
 *  EXTRACT   A_0..A_{k-1} ‖ c ‖ z_0..z_{k-1} ‖ w_0..w_{k-1}: for each t
 *            a proof of knowledge of a_t, b_t with A_t = a_t·B and
 *            C_t - A_t = b_t·H, sharing one challenge c =
 *            BLAKE2b-512("bisik-dkg-extract-v1", ceremony hash, BE32
 *            dealer, B, H, C_*, A_*, R_*, S_*) mod L, R_t = z_t·B - c·A_t,
 *            S_t = w_t·H - c·(C_t - A_t). Only QUAL dealers extract.
 */
#define CRYPTO_DKG_MAX_HOLDERS	32	/* the all-to-all deal grows as n² */
#define CRYPTO_DKG_ID_BYTES	16
#define CRYPTO_DKG_SEED_BYTES	32
#define CRYPTO_DKG_PAIR_BYTES	(2 * CRYPTO_SCALAR_BYTES)	/* f(j) ‖ f'(j) */
#define CRYPTO_DKG_TAG_BYTES	16
#define CRYPTO_DKG_SEALED_BYTES	(CRYPTO_DKG_PAIR_BYTES + \
	CRYPTO_DKG_TAG_BYTES + CRYPTO_BOX_SEAL_OVERHEAD)
#define CRYPTO_DKG_HEADER_BYTES	(1 + CRYPTO_DKG_ID_BYTES + 1 + 4 + \
	CRYPTO_HASH_BYTES)
/* The largest body is a DEAL with k = n = CRYPTO_DKG_MAX_HOLDERS. */
#define CRYPTO_DKG_BODY_MAX	(CRYPTO_DKG_MAX_HOLDERS * \
	(CRYPTO_POINT_BYTES + CRYPTO_DKG_SEALED_BYTES))
#define CRYPTO_DKG_MSG_MAX	(CRYPTO_DKG_HEADER_BYTES + \
	CRYPTO_DKG_BODY_MAX + CRYPTO_SIG_BYTES)
#define CRYPTO_DKG_PHASES	4	/* DEAL, COMPLAIN, ANSWER, EXTRACT */

enum crypto_dkg_phase {
	CRYPTO_DKG_DEAL = 1,	/* commitments and sealed pairs */
	CRYPTO_DKG_COMPLAIN,	/* each holder names the deals that failed */
	CRYPTO_DKG_ANSWER,	/* dealers reveal the pairs complained of */
	CRYPTO_DKG_EXTRACT,	/* QUAL dealers publish A_it with the proof */
	CRYPTO_DKG_DONE,	/* every phase closed */
	CRYPTO_DKG_PHASE_MAX
};

/* Why crypto_dkg_accept() refused a message (0: accepted). */
enum crypto_dkg_err {
	CRYPTO_DKG_OK = 0,
	CRYPTO_DKG_MALFORMED,	/* length, version or layout */
	CRYPTO_DKG_WRONG_CEREMONY, /* another ceremony's id */
	CRYPTO_DKG_BAD_SENDER,	/* sender not in 1..n */
	CRYPTO_DKG_BAD_SIGNATURE, /* not the sender's, or not this ceremony */
	CRYPTO_DKG_WRONG_PHASE,	/* not the phase open now (late or early) */
	CRYPTO_DKG_REPLAY,	/* the sender already spoke in this phase */
	CRYPTO_DKG_STALE,	/* made on another history of earlier phases */
	CRYPTO_DKG_NOT_DUE,	/* the sender has no say in this phase */
	CRYPTO_DKG_BAD_BODY,	/* a point, scalar, index or proof fails */
	CRYPTO_DKG_FAILED,	/* the ceremony can no longer make a key */
	CRYPTO_DKG_ERR_MAX
};

/* Where each dealer stands. */
enum crypto_dkg_dealer {
	CRYPTO_DKG_DEALER_WAITING = 0,	/* DEAL open, nothing yet */
	CRYPTO_DKG_DEALER_DEALT,	/* dealt; complaints being settled */
	CRYPTO_DKG_DEALER_QUALIFIED,	/* in QUAL */
	CRYPTO_DKG_DEALER_EXTRACTED,	/* in QUAL, extraction proved */
	CRYPTO_DKG_DEALER_NO_DEAL,	/* out: no deal by the close */
	CRYPTO_DKG_DEALER_COMPLAINTS,	/* out: more than k-1 complaints */
	CRYPTO_DKG_DEALER_UNANSWERED,	/* out: a complaint left unanswered */
	CRYPTO_DKG_DEALER_NO_EXTRACT,	/* in QUAL without a valid extraction:
					   the ceremony fails */
	CRYPTO_DKG_DEALER_MAX
};

struct crypto_dkg_ceremony {
	uint8_t		id[CRYPTO_DKG_ID_BYTES];	/* random, by the opener */
	unsigned	threshold;			/* k */
	unsigned	holders;			/* n */
	uint64_t	deadline[CRYPTO_DKG_PHASES];	/* unix s, phase p at [p-1] */
	uint64_t	expires;	/* unix s: nothing of it counts after */
	uint8_t		sign_pk[CRYPTO_DKG_MAX_HOLDERS][CRYPTO_SIGN_PK_BYTES];
	uint8_t		box_pk[CRYPTO_DKG_MAX_HOLDERS][CRYPTO_BOX_PK_BYTES];
};

/*
 * The public state of one ceremony, built only from its messages: every
 * holder, the relay and any auditor who feeds it the same messages gets
 * the same QUAL, key and commitments. It holds nothing secret. About
 * 260 KiB: callers allocate it (calloc) and read it only through the
 * functions below.
 */
struct crypto_dkg {
	struct crypto_dkg_ceremony c;
	uint8_t		chash[CRYPTO_HASH_BYTES];
	unsigned	phase;		/* enum crypto_dkg_phase open now */
	int		failed;		/* no key can come out of it */
	uint8_t		checkpoint[CRYPTO_HASH_BYTES];
	uint8_t		spoke[CRYPTO_DKG_MAX_HOLDERS];	/* in the open phase */
	uint8_t		digest[CRYPTO_DKG_MAX_HOLDERS][CRYPTO_HASH_BYTES];
	uint8_t		status[CRYPTO_DKG_MAX_HOLDERS];	/* crypto_dkg_dealer */
	uint8_t		C[CRYPTO_DKG_MAX_HOLDERS][CRYPTO_DKG_MAX_HOLDERS]
			    [CRYPTO_POINT_BYTES];
	uint8_t		sealed[CRYPTO_DKG_MAX_HOLDERS][CRYPTO_DKG_MAX_HOLDERS]
			    [CRYPTO_DKG_SEALED_BYTES];
	uint8_t		complaint[CRYPTO_DKG_MAX_HOLDERS]	/* [dealer] */
			    [CRYPTO_DKG_MAX_HOLDERS];		/* [holder] */
	uint8_t		answered[CRYPTO_DKG_MAX_HOLDERS][CRYPTO_DKG_MAX_HOLDERS];
	uint8_t		answer[CRYPTO_DKG_MAX_HOLDERS][CRYPTO_DKG_MAX_HOLDERS]
			    [CRYPTO_DKG_PAIR_BYTES];
	uint8_t		A[CRYPTO_DKG_MAX_HOLDERS][CRYPTO_DKG_MAX_HOLDERS]
			    [CRYPTO_POINT_BYTES];
	uint8_t		Y[CRYPTO_POINT_BYTES];
	uint8_t		Yi[CRYPTO_DKG_MAX_HOLDERS][CRYPTO_POINT_BYTES];
};

/* The second generator H. */
void		crypto_dkg_generator_h(uint8_t H[CRYPTO_POINT_BYTES]);
/* 0 if the ceremony's numbers, deadlines and keys are acceptable (keys
 * non-zero and pairwise distinct). */
CRYPTO_WUR int	crypto_dkg_ceremony_check(const struct crypto_dkg_ceremony *);
void		crypto_dkg_ceremony_hash(const struct crypto_dkg_ceremony *,
		    uint8_t out[CRYPTO_HASH_BYTES]);
/* 0 if pair = (s, s') is canonical and s·B + s'·H == Σ_t j^t·C_t. */
CRYPTO_WUR int	crypto_dkg_pair_verify(const uint8_t *C /* k * 32 */,
		    unsigned k, unsigned j,
		    const uint8_t pair[CRYPTO_DKG_PAIR_BYTES]);

/* Starts the public state in phase DEAL; -1 if the ceremony fails
 * crypto_dkg_ceremony_check(). */
CRYPTO_WUR int	crypto_dkg_init(struct crypto_dkg *,
		    const struct crypto_dkg_ceremony *);
/* Checks one message against the state and, if it passes, records it.
 * Returns enum crypto_dkg_err; on refusal nothing changes. */
CRYPTO_WUR int	crypto_dkg_accept(struct crypto_dkg *, const uint8_t *msg,
		    size_t len);
/* Closes the open phase: decides who is out, checks QUAL has at least k
 * dealers (after ANSWER) and, after EXTRACT, computes Y and the Y_j.
 * -1 when the ceremony is DONE or has failed (also when this close made
 * it fail). */
CRYPTO_WUR int	crypto_dkg_advance(struct crypto_dkg *);
/* 1 if `holder` has to speak in the open phase and has not yet. */
int		crypto_dkg_due(const struct crypto_dkg *, unsigned holder);
/* The phase byte of a message (0 if too short to have one). */
unsigned	crypto_dkg_msg_phase(const uint8_t *msg, size_t len);
/* Where dealer i stands (enum crypto_dkg_dealer), and in words. */
unsigned	crypto_dkg_dealer_status(const struct crypto_dkg *, unsigned i);
const char	*crypto_dkg_dealer_describe(unsigned status);
/* One sentence for an enum crypto_dkg_err. */
const char	*crypto_dkg_strerror(int);
/* The checkpoint at the latest close: once DONE, the hash of the whole
 * transcript, which every holder signs with the configuration. */
void		crypto_dkg_checkpoint(const struct crypto_dkg *,
		    uint8_t out[CRYPTO_HASH_BYTES]);
/* Once DONE (not failed): Y and the commitments Y_1..Y_n. */
CRYPTO_WUR int	crypto_dkg_result(const struct crypto_dkg *,
		    uint8_t Y[CRYPTO_POINT_BYTES],
		    uint8_t *commitments /* n * 32 */);

/*
 * A holder's own steps. `key` must be the ceremony's keys for that index;
 * each step checks the state is in its phase. The seed (secret, random,
 * CRYPTO_DKG_SEED_BYTES) determines the dealer's polynomials through the
 * ceremony hash, so the dealer re-derives them to answer and extract;
 * the same seed in another ceremony gives unrelated polynomials. Bodies
 * go into buffers of CRYPTO_DKG_BODY_MAX bytes, length in *len.
 */
CRYPTO_WUR int	crypto_dkg_deal(const struct crypto_dkg *, unsigned dealer,
		    const uint8_t seed[CRYPTO_DKG_SEED_BYTES], uint8_t *body,
		    size_t *len);
/* Opens every pair sealed to `holder` by the other dealers and names in
 * the body those that fail (count in *count, may be NULL). */
CRYPTO_WUR int	crypto_dkg_complain(const struct crypto_dkg *,
		    const struct crypto_admin_key *, unsigned holder,
		    uint8_t *body, size_t *len, unsigned *count);
CRYPTO_WUR int	crypto_dkg_answer(const struct crypto_dkg *, unsigned dealer,
		    const uint8_t seed[CRYPTO_DKG_SEED_BYTES], uint8_t *body,
		    size_t *len);
CRYPTO_WUR int	crypto_dkg_extract(const struct crypto_dkg *, unsigned dealer,
		    const uint8_t seed[CRYPTO_DKG_SEED_BYTES], uint8_t *body,
		    size_t *len);
/* Signs a body as `sender` for the open phase and the current checkpoint:
 * out (CRYPTO_DKG_MSG_MAX bytes) gets the message, *outlen its length. */
CRYPTO_WUR int	crypto_dkg_sign(const struct crypto_dkg *, unsigned sender,
		    const struct crypto_admin_key *, const uint8_t *body,
		    size_t len, uint8_t *out, size_t *outlen);
/* Once DONE: y_j = Σ_{i∈QUAL} f_i(j) from the pairs sealed to the holder
 * (or answered in the open), checked against Y_j. share: secret memory. */
CRYPTO_WUR int	crypto_dkg_share(const struct crypto_dkg *,
		    const struct crypto_admin_key *, unsigned holder,
		    uint8_t share[CRYPTO_SCALAR_BYTES]);
/* ---- Escrow configuration (escrow_config.c) -------------------------------- */

/*
 * The configuration hash of an escrow generation: every public value a
 * holder relies on, so that a holder's client can tell the file it
 * checked and signed from any other the server might hand it. Layout in
 * docs/formats.md ("Configuration hash"); with crypto_hash_parts framing
 * and the tag "bisik-escrow-config-v1" the parts are: Y; threshold (4 BE);
 * n (4 BE); per holder in order, index (4 BE) ‖ sign key ‖ box key ‖
 * commitment; and the resharing record as one part, empty for a
 * ceremony's file, else previous configuration hash ‖ previous threshold
 * (4 BE) ‖ number of retired holders (4 BE) ‖ each retired holder as
 * above ‖ number of dealers (4 BE) ‖ each dealer index (4 BE) ‖ each
 * dealer's threshold commitments ‖ each dealer's signature. A key made
 * by a dealerless ceremony (docs/dkg.md) adds a sixth part, present
 * exactly then: the ceremony id (16) ‖ its transcript hash
 * (crypto_dkg_checkpoint once DONE, 32), so that every holder's signature
 * also covers the one record of the ceremony they all saw; the hash of a
 * dealer ceremony's file is unchanged.
 * A holder's signature over a configuration is Ed25519 over these 32
 * bytes with the holder's sign key. Sealed shares are not part of it: a
 * changed one only fails to open for its holder.
 * Large (about 150 KiB): allocate it.
 */
struct crypto_escrow_member {
	unsigned	index;
	uint8_t		sign_pk[CRYPTO_SIGN_PK_BYTES];
	uint8_t		box_pk[CRYPTO_BOX_PK_BYTES];
	uint8_t		commitment[CRYPTO_POINT_BYTES];
};
struct crypto_escrow_config {
	uint8_t			Y[CRYPTO_POINT_BYTES];
	unsigned		threshold, n;
	struct crypto_escrow_member holders[CRYPTO_ESCROW_MAX_HOLDERS];
	int			reshared;	/* 1: the record below is set */
	uint8_t			previous[CRYPTO_HASH_BYTES];
	unsigned		prev_threshold, nretired;
	struct crypto_escrow_member retired[CRYPTO_ESCROW_MAX_HOLDERS];
	unsigned		ndealers;
	unsigned		dealers[CRYPTO_ESCROW_MAX_HOLDERS];
	/* dealer i's commitments C_0..C_{threshold-1} */
	uint8_t			dealing[CRYPTO_ESCROW_MAX_HOLDERS]
				    [CRYPTO_ESCROW_MAX_HOLDERS * CRYPTO_POINT_BYTES];
	uint8_t			dealer_sig[CRYPTO_ESCROW_MAX_HOLDERS]
				    [CRYPTO_SIG_BYTES];
	int			dkg;	/* 1: made by the ceremony below */
	uint8_t			dkg_id[CRYPTO_DKG_ID_BYTES];
	uint8_t			transcript[CRYPTO_HASH_BYTES];
};
/* -1 only if a count is out of bounds (0 or more than the maximum), or
 * for a resharing that claims to come from a dealerless ceremony. */
CRYPTO_WUR int	crypto_escrow_config_hash(const struct crypto_escrow_config *,
		    uint8_t out[CRYPTO_HASH_BYTES]);
/*
 * The configuration a dealerless ceremony made, from its public state
 * alone: Y, k, n, each holder's keys and commitment Y_j, and the dkg part
 * (id, transcript hash). -1 unless the ceremony is DONE with a key. What
 * every holder signs at its end, and what the relay checks them against.
 */
CRYPTO_WUR int	crypto_dkg_escrow_config(const struct crypto_dkg *,
		    struct crypto_escrow_config *);

/*
 * What resharing dealer `dealer` signs: crypto_hash_parts(
 * "bisik-reshare-deal-v2", Y, previous configuration hash, (previous
 * threshold, dealer, threshold, n, each dealer index as 4 BE each), the
 * new holders' keys (n × sign ‖ box), the dealer's commitments (threshold
 * × 32), its sealed sub-shares in holder order (n × 80)).
 */
void	crypto_reshare_digest(const uint8_t Y[CRYPTO_POINT_BYTES],
	    const uint8_t previous[CRYPTO_HASH_BYTES], unsigned prev_threshold,
	    const unsigned *dealers, unsigned ndealers, unsigned dealer,
	    unsigned threshold, unsigned n, const uint8_t *keys /* n * 64 */,
	    const uint8_t *commitments, const uint8_t *sealed,
	    uint8_t out[CRYPTO_HASH_BYTES]);

#endif
