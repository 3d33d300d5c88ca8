/*
 * totp.c: the second factor of staff sign-in: TOTP (RFC 6238) through
 * liboath, the enrolment secret as base32, otpauth:// URI and an SVG QR
 * code (libqrencode), and single-use recovery codes.
 *
 * A TOTP secret is a shared key: whoever reads it can make codes. It is
 * kept sealed under the storage key with additional data naming the user
 * and whether it is still pending, so a sealed secret copied onto another
 * user's record, or a pending one promoted by editing the store, does not
 * open. Codes are compared in constant time, and a step counter once used
 * is never accepted again (a code seen over a shoulder or in a proxy log
 * cannot be replayed within its 90-second window).
 *
 * Recovery codes are stored only as keyed hashes (the token pepper) bound
 * to the user id; their 50 bits are enough because every wrong guess
 * counts toward the account lockout.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <liboath/oath.h>
#include <qrencode.h>

#include "server/domain.h"

/* Sealed secret: SRV_TOTP_SECRET_BYTES + CRYPTO_SEAL_OVERHEAD bytes. */
#define SEALED_BYTES	(SRV_TOTP_SECRET_BYTES + CRYPTO_SEAL_OVERHEAD)
/* Modules of white border around the QR code (ISO 18004 asks for 4). */
#define QR_QUIET	4
/* Largest QR symbol we draw; an otpauth URI of a 64-character username
 * needs version 7 (45 modules) at level M. */
#define QR_WIDTH_MAX	177

static const char crockford[] = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

static pthread_once_t	oath_once = PTHREAD_ONCE_INIT;
static int		oath_ready;

static void
oath_start(void)
{
	oath_ready = oath_init() == OATH_OK;
}

int
srv_totp_generate(const uint8_t *secret, size_t len, time_t now,
    unsigned digits, char *out)
{
	pthread_once(&oath_once, oath_start);
	if (!oath_ready || digits < 6 || digits > 8)
		return -1;
	if (oath_totp_generate((const char *)secret, len, now, SRV_TOTP_STEP,
	    OATH_TOTP_DEFAULT_START_TIME, digits, out) != OATH_OK)
		return -1;
	return 0;
}

struct code_cmp {
	const char	*code;
	size_t		 len;
};

/* liboath's callback: 0 on a match; compares in constant time. */
static int
code_equal(void *handle, const char *test)
{
	const struct code_cmp *c = handle;

	if (strlen(test) != c->len)
		return 1;
	return crypto_equal(c->code, test, c->len) ? 0 : 1;
}

int
srv_totp_check(const uint8_t *secret, size_t len, time_t now,
    unsigned digits, const char *code, uint64_t after, uint64_t *counter)
{
	struct code_cmp	c;
	uint64_t	n = 0;
	int		pos = 0, rc;
	size_t		i;

	pthread_once(&oath_once, oath_start);
	if (!oath_ready || code == NULL || digits < 6 || digits > 8 ||
	    strlen(code) != digits)
		return -1;
	for (i = 0; i < digits; i++)
		if (code[i] < '0' || code[i] > '9')
			return -1;
	c.code = code;
	c.len = digits;
	rc = oath_totp_validate3_callback((const char *)secret, len, now,
	    SRV_TOTP_STEP, OATH_TOTP_DEFAULT_START_TIME, digits,
	    SRV_TOTP_WINDOW, &pos, &n, code_equal, &c);
	if (rc < 0 || n <= after)
		return -1;
	*counter = n;
	return 0;
}

static void
totp_ad(char *ad, size_t adlen, uint64_t user, int pending)
{
	snprintf(ad, adlen, "bisik-totp-v1 user=%llu %s",
	    (unsigned long long)user, pending ? "pending" : "active");
}

int
srv_totp_seal(const uint8_t *storage, uint64_t user, int pending,
    const uint8_t secret[SRV_TOTP_SECRET_BYTES], char **b64)
{
	uint8_t	 sealed[SEALED_BYTES];
	char	 ad[64], *t;

	totp_ad(ad, sizeof(ad), user, pending);
	if (crypto_seal(storage, ad, strlen(ad), secret,
	    SRV_TOTP_SECRET_BYTES, sealed) == -1)
		return -1;
	if ((t = malloc(crypto_b64_len(sizeof(sealed)))) == NULL)
		return -1;
	crypto_b64_encode(sealed, sizeof(sealed), t);
	*b64 = t;
	return 0;
}

int
srv_totp_open(const uint8_t *storage, uint64_t user, int pending,
    const char *b64, uint8_t secret[SRV_TOTP_SECRET_BYTES])
{
	uint8_t	sealed[SEALED_BYTES];
	char	ad[64];
	size_t	n;

	if (b64 == NULL || crypto_b64_decode(b64, strlen(b64), sealed,
	    sizeof(sealed), &n) == -1 || n != sizeof(sealed))
		return -1;
	totp_ad(ad, sizeof(ad), user, pending);
	return crypto_open(storage, ad, strlen(ad), sealed, n, secret);
}

void
srv_totp_text_free(char *p)
{
	if (p != NULL) {
		crypto_wipe(p, strlen(p));
		free(p);
	}
}

/* RFC 4648 base32 without padding (authenticator apps accept it; 20
 * bytes make exactly 32 symbols anyway). */
static char *
base32(const uint8_t *in, size_t len)
{
	static const char	 alpha[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
	char			*out, *o;
	unsigned		 acc = 0, bits = 0;
	size_t			 i;

	if ((out = malloc((len * 8 + 4) / 5 + 1)) == NULL)
		return NULL;
	o = out;
	for (i = 0; i < len; i++) {
		acc = (acc << 8) | in[i];
		bits += 8;
		while (bits >= 5) {
			*o++ = alpha[(acc >> (bits - 5)) & 31];
			bits -= 5;
		}
	}
	if (bits > 0)
		*o++ = alpha[(acc << (5 - bits)) & 31];
	*o = '\0';
	acc = 0;
	return out;
}

/* Appends to a bounded buffer; -1 once it would overflow. */
static int put(char *, size_t, size_t *, const char *, ...)
    __attribute__((format(printf, 4, 5)));
static int
put(char *buf, size_t cap, size_t *n, const char *fmt, ...)
{
	va_list	ap;
	int	m;

	va_start(ap, fmt);
	m = vsnprintf(buf + *n, cap - *n, fmt, ap);
	va_end(ap);
	if (m < 0 || (size_t)m >= cap - *n)
		return -1;
	*n += (size_t)m;
	return 0;
}

/*
 * The QR code as a self-contained SVG: one white square and one black
 * path of horizontal runs (no script, no external reference, so it is
 * safe to inline under the strict CSP).
 */
static char *
qr_svg(const char *text)
{
	QRcode	*qr = NULL;
	char	*svg = NULL;
	size_t	 cap = 0, n = 0;
	int	 w, size, x, y, run = 0;

	if ((qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8,
	    1)) == NULL)
		return NULL;
	w = qr->width;
	if (w <= 0 || w > QR_WIDTH_MAX)
		goto out;
	size = w + 2 * QR_QUIET;
	/* Each run takes at most 28 bytes and there are at most w/2+1 runs
	 * a row; 256 for the frame. */
	cap = (size_t)w * (size_t)(w / 2 + 1) * 28 + 256;
	if ((svg = malloc(cap)) == NULL)
		goto out;
	if (put(svg, cap, &n, "<svg xmlns=\"http://www.w3.org/2000/svg\" "
	    "viewBox=\"0 0 %d %d\" width=\"%d\" ", size, size, size * 4) == -1 ||
	    put(svg, cap, &n, "height=\"%d\" shape-rendering=\"crispEdges\">"
	    "<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>"
	    "<path fill=\"#000\" d=\"", size * 4, size, size) == -1)
		goto fail;
	for (y = 0; y < w; y++) {
		for (x = 0; x < w; x += run > 0 ? run : 1) {
			run = 0;
			while (x + run < w && (qr->data[y * w + x + run] & 1))
				run++;
			if (run > 0 && put(svg, cap, &n, "M%d %dh%dv1h-%dz",
			    x + QR_QUIET, y + QR_QUIET, run, run) == -1)
				goto fail;
		}
	}
	if (put(svg, cap, &n, "\"/></svg>") == -1)
		goto fail;
	goto out;
 fail:
	crypto_wipe(svg, cap);
	free(svg);
	svg = NULL;
 out:
	/* The modules encode the secret. */
	crypto_wipe(qr->data, (size_t)qr->width * (size_t)qr->width);
	QRcode_free(qr);
	return svg;
}

int
srv_totp_enrolment(const char *username,
    const uint8_t secret[SRV_TOTP_SECRET_BYTES], char **b32, char **uri,
    char **svg)
{
	char	*s = NULL, *u = NULL, *q = NULL;
	size_t	 cap;

	if (!srv_users_name_ok(username) ||
	    (s = base32(secret, SRV_TOTP_SECRET_BYTES)) == NULL)
		goto fail;
	/* Usernames are [a-z0-9._-], all unreserved in a URI. */
	cap = strlen(username) + strlen(s) + 128;
	if ((u = malloc(cap)) == NULL)
		goto fail;
	if (snprintf(u, cap, "otpauth://totp/Bisik:%s?secret=%s&issuer=Bisik"
	    "&algorithm=SHA1&digits=%d&period=%d", username, s,
	    SRV_TOTP_DIGITS, SRV_TOTP_STEP) >= (int)cap)
		goto fail;
	if ((q = qr_svg(u)) == NULL)
		goto fail;
	*b32 = s;
	*uri = u;
	*svg = q;
	return 0;
 fail:
	srv_totp_text_free(s);
	srv_totp_text_free(u);
	return -1;
}

void
srv_totp_recovery_new(char out[SRV_RECOVERY_TEXT])
{
	uint8_t	r[SRV_RECOVERY_SYMBOLS];
	size_t	i, o = 0;

	crypto_random(r, sizeof(r));
	for (i = 0; i < SRV_RECOVERY_SYMBOLS; i++) {
		if (i == SRV_RECOVERY_SYMBOLS / 2)
			out[o++] = '-';
		out[o++] = crockford[r[i] & 31];
	}
	out[o] = '\0';
	crypto_wipe(r, sizeof(r));
}

int
srv_totp_recovery_parse(const char *in, char canon[SRV_RECOVERY_SYMBOLS + 1])
{
	size_t	i, n = 0;
	char	c;

	if (in == NULL || strlen(in) > 64)
		return -1;
	for (i = 0; in[i] != '\0'; i++) {
		c = in[i];
		if (c == '-' || c == ' ')
			continue;
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (c == 'O')
			c = '0';
		else if (c == 'I' || c == 'L')
			c = '1';
		if (strchr(crockford, c) == NULL || c == '\0' ||
		    n == SRV_RECOVERY_SYMBOLS)
			goto bad;
		canon[n++] = c;
	}
	if (n != SRV_RECOVERY_SYMBOLS)
		goto bad;
	canon[n] = '\0';
	return 0;
 bad:
	crypto_wipe(canon, SRV_RECOVERY_SYMBOLS + 1);
	return -1;
}

void
srv_totp_recovery_hash(const uint8_t *pepper, uint64_t user,
    const char canon[SRV_RECOVERY_SYMBOLS + 1],
    char out[CRYPTO_HASH_BYTES * 2 + 1])
{
	static const char	tag[] = "bisik-recovery-v1";
	uint8_t			msg[sizeof(tag) + 8 + SRV_RECOVERY_SYMBOLS];
	uint8_t			h[CRYPTO_HASH_BYTES];
	size_t			i;

	memcpy(msg, tag, sizeof(tag));		/* with its NUL: a separator */
	store_be64_put(msg + sizeof(tag), user);
	memcpy(msg + sizeof(tag) + 8, canon, SRV_RECOVERY_SYMBOLS);
	crypto_keyed_hash(pepper, msg, sizeof(msg), h);
	for (i = 0; i < sizeof(h); i++) {
		out[2 * i] = "0123456789abcdef"[h[i] >> 4];
		out[2 * i + 1] = "0123456789abcdef"[h[i] & 15];
	}
	out[2 * sizeof(h)] = '\0';
	crypto_wipe(msg, sizeof(msg));
	crypto_wipe(h, sizeof(h));
}
