/*
 * internal.h: what the files of crypto/ share with each other and with no
 * one else. Nothing outside crypto/ may include it; the public contract is
 * crypto.h.
 */
#ifndef BISIK_CRYPTO_INTERNAL_H
#define BISIK_CRYPTO_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "crypto/crypto.h"

/*
 * Same framing as crypto_hash_parts() (tag ‖ 0x00 ‖ for each part: 8-byte
 * big-endian length ‖ bytes) with any BLAKE2b output length, so that the
 * DLEQ challenge can take the 64 bytes that scalar_reduce needs.
 */
void	crypto_int_hash_parts(const char *tag, const struct crypto_part *parts,
	    size_t nparts, uint8_t *out, size_t outlen);

/* 1 if s < L (little-endian), else 0; constant time. Zero counts as
 * canonical: the DLEQ response may in principle be zero. */
int	crypto_int_scalar_canonical(const uint8_t s[CRYPTO_SCALAR_BYTES]);

static inline void
crypto_int_put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static inline uint32_t
crypto_int_get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static inline void
crypto_int_put_be64(uint8_t *p, uint64_t v)
{
	crypto_int_put_be32(p, (uint32_t)(v >> 32));
	crypto_int_put_be32(p + 4, (uint32_t)v);
}

static inline uint64_t
crypto_int_get_be64(const uint8_t *p)
{
	return (uint64_t)crypto_int_get_be32(p) << 32 |
	    crypto_int_get_be32(p + 4);
}

#endif
