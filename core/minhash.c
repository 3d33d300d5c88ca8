/*
 * minhash.c: near-duplicate reports by MinHash over word shingles, with
 * banded locality-sensitive hashing to find candidates without comparing
 * a new report with every stored one.
 *
 * Two reports are compared by the Jaccard similarity of their sets of
 * shingles: runs of CORE_SHINGLE_CHARS consecutive characters of the
 * normalised text, spaces included, so a shingle is a piece of a word or
 * of two neighbouring words. Measured on Indonesian complaint pairs
 * (bench/dedup), character shingles keep a text with typing mistakes or
 * its sentences in another order above 0.9 where 2-word shingles fall to
 * 0.77 and 0.88, at the same precision; core_minhash_words stays for
 * that comparison. A MinHash signature keeps, for each of
 * CORE_MINHASH_K hash functions, the smallest hash over the set; the
 * share of positions where two signatures agree estimates the Jaccard
 * similarity (standard error sqrt(J(1-J)/K): 0.027 at J = 0.9).
 *
 * Banding: the signature is cut into CORE_LSH_BANDS bands of
 * CORE_LSH_ROWS rows; two reports are candidates when one band is equal
 * in both. The chance that a pair of similarity s shares a band is
 * 1 - (1 - s^r)^b: with 16 x 8 it is 0.9999 at s = 0.9 and 0.994 at
 * 0.85, and falls to 0.6 at 0.7 and 0.02 at 0.5, so a lookup opens few
 * signatures beyond the ones that matter (bench/dedup measures it).
 *
 * Normalisation makes trivial differences vanish before hashing: Unicode
 * NFKC (full-width letters, ligatures), case folding, diacritics removed
 * ("Jalan Cikini Raya" = "JALAN CİKİNİ RAYA" = "jalan cikini raya"), and
 * every run of characters that are neither letters nor digits (spaces,
 * punctuation, symbols, emoji) turned into one space.
 *
 * The hash functions are fixed (seeded 64-bit mixers), so signatures are
 * reproducible; whoever stores them must treat a signature as what it
 * is, a fingerprint of the text (server/dedup.c keys the bands and seals
 * the signature).
 *
 * Pure computation, no I/O, thread-safe. The normalised copy of a text
 * is personal data: it is wiped before it is freed.
 */
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "core_int.h"

/* Shingles of one text at most: a 20,000-character body has at most
 * ~10,000 words; the bound keeps the work linear and bounded. */
#define SHINGLES_MAX	(CORE_BODY_MAX + CORE_TITLE_MAX)

/* The splitmix64 finalizer: a bijective 64-bit mixer. */
static uint64_t
mix64(uint64_t x)
{
	x ^= x >> 30;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 27;
	x *= 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return x;
}

/* FNV-1a over a word's bytes, mixed. */
static uint64_t
word_hash(const char *w, size_t n)
{
	uint64_t	h = 0xcbf29ce484222325ULL;
	size_t		i;

	for (i = 0; i < n; i++) {
		h ^= (unsigned char)w[i];
		h *= 0x100000001b3ULL;
	}
	return mix64(h);
}

/* The seed of hash function i: a fixed splitmix64 sequence. */
static uint64_t
seed_of(size_t i)
{
	return mix64(0x9e3779b97f4a7c15ULL * (uint64_t)(i + 1) +
	    0x62697369ULL);	/* "bisi" */
}

static int
keep_char(utf8proc_int32_t cp)
{
	switch (utf8proc_category(cp)) {
	case UTF8PROC_CATEGORY_LU:
	case UTF8PROC_CATEGORY_LL:
	case UTF8PROC_CATEGORY_LT:
	case UTF8PROC_CATEGORY_LM:
	case UTF8PROC_CATEGORY_LO:
	case UTF8PROC_CATEGORY_ND:
	case UTF8PROC_CATEGORY_NL:
	case UTF8PROC_CATEGORY_NO:
		return 1;
	default:
		return 0;
	}
}

static void
wipe_free(char *p)
{
	if (p != NULL) {
		explicit_bzero(p, strlen(p));
		free(p);
	}
}

/*
 * What utf8proc_map() below makes of ASCII text, without the Unicode
 * tables: most reports are plain ASCII, and mapping them cost as much as
 * sealing the identity. Letters are folded to lower case; tab, line
 * feed, vertical tab, form feed and carriage return separate words (its
 * STRIPCC turns them into spaces); the other control bytes vanish
 * without separating anything (STRIPCC removes them); every other byte
 * that is not a letter or digit separates. tests/unit/core_minhash_test.c
 * compares both paths on every ASCII byte.
 */
static char *
normalize_ascii(const char *text, size_t len)
{
	char	*out;
	size_t	 i, o = 0;
	int	 space = 1;
	char	 c;

	if ((out = malloc(len + 1)) == NULL)
		return NULL;
	for (i = 0; i < len; i++) {
		c = text[i];
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
			out[o++] = c;
			space = 0;
		} else if ((c < 0x20 && (c < '\t' || c > '\r')) || c == 0x7f)
			continue;
		else if (!space) {
			out[o++] = ' ';
			space = 1;
		}
	}
	if (o > 0 && out[o - 1] == ' ')
		o--;
	out[o] = '\0';
	return out;
}

char *
core_text_normalize(const char *text, size_t len)
{
	utf8proc_uint8_t	*mapped = NULL;
	utf8proc_ssize_t	 n;
	uint32_t		 cp;
	char			*out;
	size_t			 i, k, o = 0;
	int			 space = 1;

	if (text == NULL || core_utf8_len(text, len) < 0 ||
	    memchr(text, '\0', len) != NULL)
		return NULL;
	for (i = 0; i < len && (unsigned char)text[i] < 0x80; i++)
		;
	if (i == len)
		return normalize_ascii(text, len);
	n = utf8proc_map((const utf8proc_uint8_t *)text, (utf8proc_ssize_t)len,
	    &mapped, UTF8PROC_STABLE | UTF8PROC_COMPAT | UTF8PROC_COMPOSE |
	    UTF8PROC_CASEFOLD | UTF8PROC_STRIPMARK | UTF8PROC_IGNORE |
	    UTF8PROC_STRIPCC);
	if (n < 0)
		return NULL;
	if ((out = malloc((size_t)n + 1)) == NULL) {
		explicit_bzero(mapped, (size_t)n);
		free(mapped);
		return NULL;
	}
	for (i = 0; i < (size_t)n; i += k) {
		k = core_utf8_next(mapped + i, (size_t)n - i, &cp);
		if (k == 0)
			k = 1;		/* cannot happen after utf8proc_map */
		if (cp >= 0x80 ? keep_char((utf8proc_int32_t)cp) :
		    ((cp >= 'a' && cp <= 'z') || (cp >= '0' && cp <= '9') ||
		    (cp >= 'A' && cp <= 'Z'))) {
			memcpy(out + o, mapped + i, k);
			o += k;
			space = 0;
		} else if (!space) {
			out[o++] = ' ';
			space = 1;
		}
	}
	if (o > 0 && out[o - 1] == ' ')
		o--;
	out[o] = '\0';
	explicit_bzero(mapped, (size_t)n);
	free(mapped);
	return out;
}

/*
 * One-permutation hashing (Li, Owen, Zhang 2012) with optimal
 * densification (Shrivastava 2017): each shingle is hashed once; the top
 * bits pick one of the K bins and the low 32 bits compete for that bin's
 * minimum. That is one hash per shingle instead of K (a 2 KiB report has
 * about 2,000 shingles, so K = 128 full hashes each cost more than sealing
 * the report). Bins no shingle reached are filled afterwards from a bin
 * chosen by a hash of the empty bin's number, so two texts fill the same
 * empty bins from the same places and equal texts give equal signatures;
 * the fraction of equal positions stays an unbiased estimate of the
 * Jaccard similarity. 32-bit values are b-bit minwise hashing with b = 32.
 */
#define BIN_OF(m)	((size_t)((((m) >> 32) * CORE_MINHASH_K) >> 32))

static void
sig_add(uint32_t sig[CORE_MINHASH_K], const uint64_t seeds[CORE_MINHASH_K],
    uint64_t sh)
{
	uint64_t	m = mix64(sh ^ seeds[0]);
	size_t		f = BIN_OF(m);
	uint32_t	v = (uint32_t)m;

	if (v < sig[f])
		sig[f] = v;
}

/* Fills empty bins (still UINT32_MAX) from non-empty ones. */
static void
sig_finish(uint32_t sig[CORE_MINHASH_K], const uint64_t seeds[CORE_MINHASH_K])
{
	uint8_t		full[CORE_MINHASH_K];
	size_t		f, j, any = 0;
	uint64_t	attempt;

	for (f = 0; f < CORE_MINHASH_K; f++)
		any |= (full[f] = sig[f] != UINT32_MAX);
	if (!any)
		return;
	for (f = 0; f < CORE_MINHASH_K; f++) {
		if (full[f])
			continue;
		for (attempt = 1; ; attempt++) {
			j = BIN_OF(mix64(seeds[f] + attempt));
			if (full[j]) {
				sig[f] = sig[j];
				break;
			}
		}
	}
}

static void
sig_init(uint32_t sig[CORE_MINHASH_K], uint64_t seeds[CORE_MINHASH_K])
{
	size_t f;

	for (f = 0; f < CORE_MINHASH_K; f++) {
		seeds[f] = seed_of(f);
		sig[f] = UINT32_MAX;
	}
}

int
core_minhash_words(const char *norm, size_t k, uint32_t sig[CORE_MINHASH_K])
{
	uint64_t	*words = NULL, sh, seeds[CORE_MINHASH_K];
	size_t		 nw = 0, cap = 64, i, j, start, nsh;

	if (norm == NULL || k == 0 || k > CORE_SHINGLE_MAX)
		return -1;
	if ((words = malloc(cap * sizeof(*words))) == NULL)
		return -1;
	for (i = 0; norm[i] != '\0' && nw < SHINGLES_MAX; ) {
		while (norm[i] == ' ')
			i++;
		if (norm[i] == '\0')
			break;
		start = i;
		while (norm[i] != '\0' && norm[i] != ' ')
			i++;
		if (nw == cap) {
			uint64_t *nwp;

			cap *= 2;
			if ((nwp = reallocarray(words, cap, sizeof(*words))) ==
			    NULL) {
				free(words);
				return -1;
			}
			words = nwp;
		}
		words[nw++] = word_hash(norm + start, i - start);
	}
	if (nw == 0) {
		free(words);
		return -1;
	}
	sig_init(sig, seeds);
	/* A text shorter than k words is one shingle of all its words. */
	nsh = nw >= k ? nw - k + 1 : 1;
	for (i = 0; i < nsh; i++) {
		sh = 0x7368696e676c65ULL;	/* "shingle" */
		for (j = i; j < i + k && j < nw; j++)
			sh = mix64(sh ^ words[j]) + j - i;
		sig_add(sig, seeds, sh);
	}
	sig_finish(sig, seeds);
	free(words);
	return 0;
}

int
core_minhash_chars(const char *norm, size_t k, uint32_t sig[CORE_MINHASH_K])
{
	uint64_t	 seeds[CORE_MINHASH_K];
	size_t		 off[CORE_SHINGLE_MAX + 1], len, i, n, w;
	uint32_t	 cp;

	if (norm == NULL || k == 0 || k > CORE_SHINGLE_MAX)
		return -1;
	len = strlen(norm);
	if (len == 0 || (len == 1 && norm[0] == ' '))
		return -1;
	sig_init(sig, seeds);
	/* off[] holds the byte offsets of the last k + 1 code points seen,
	 * as a ring: a shingle is the bytes from off[i - k] to off[i]. */
	n = 0;
	for (i = 0; ; i += w) {
		off[n % (k + 1)] = i;
		if (n >= k)
			sig_add(sig, seeds, word_hash(norm + off[(n - k) %
			    (k + 1)], i - off[(n - k) % (k + 1)]));
		if (i >= len)
			break;
		if ((w = core_utf8_next((const unsigned char *)norm + i,
		    len - i, &cp)) == 0)
			w = 1;
		n++;
	}
	/* Fewer than k code points: the whole text is one shingle. */
	if (n < k)
		sig_add(sig, seeds, word_hash(norm, len));
	sig_finish(sig, seeds);
	return 0;
}

int
core_minhash(const char *text, size_t len, uint32_t sig[CORE_MINHASH_K])
{
	char	*norm;
	int	 rc;

	if ((norm = core_text_normalize(text, len)) == NULL)
		return -1;
	rc = core_minhash_chars(norm, CORE_SHINGLE_CHARS, sig);
	wipe_free(norm);
	return rc;
}

void
core_lsh_bands_n(const uint32_t sig[CORE_MINHASH_K], size_t bands,
    size_t rows, uint64_t *out)
{
	uint64_t	h;
	size_t		b, r;

	for (b = 0; b < bands; b++) {
		h = mix64(0x62616e64ULL + b);	/* "band" */
		for (r = 0; r < rows && b * rows + r < CORE_MINHASH_K; r++)
			h = mix64(h ^ sig[b * rows + r]);
		out[b] = h;
	}
}

void
core_lsh_bands(const uint32_t sig[CORE_MINHASH_K],
    uint64_t bands[CORE_LSH_BANDS])
{
	core_lsh_bands_n(sig, CORE_LSH_BANDS, CORE_LSH_ROWS, bands);
}

double
core_minhash_similarity(const uint32_t a[CORE_MINHASH_K],
    const uint32_t b[CORE_MINHASH_K])
{
	size_t	i, same = 0;

	for (i = 0; i < CORE_MINHASH_K; i++)
		same += a[i] == b[i];
	return (double)same / CORE_MINHASH_K;
}
