/*
 * core_minhash_test.c: duplicate detection primitives (core/minhash.c):
 * normalisation (NFKC, case folding, diacritics, punctuation), MinHash
 * signatures against exactly computed Jaccard similarities, LSH bands,
 * and the refusals (invalid UTF-8, NUL, texts without a word).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/core.h"
#include "tests/unit/tap.h"

static int
norm_is(const char *in, const char *want)
{
	char	*n = core_text_normalize(in, strlen(in));
	int	 ok = n != NULL && strcmp(n, want) == 0;

	if (!ok)
		printf("# normalize(\"%s\") = \"%s\", want \"%s\"\n", in,
		    n != NULL ? n : "(null)", want);
	free(n);
	return ok;
}

/*
 * ASCII text takes a path of its own in core_text_normalize; appending
 * " \xc3\xa9" (an e with a diacritic, normalised to "e") sends the same
 * text through utf8proc. 1 if both paths agree on ascii.
 */
static int
ascii_path_agrees(const char *ascii, size_t len)
{
	char	 buf[256];
	char	*fast, *slow;
	int	 ok;

	if (len + 3 > sizeof(buf))
		return 0;
	memcpy(buf, ascii, len);
	memcpy(buf + len, " \xc3\xa9", 3);
	fast = core_text_normalize(ascii, len);
	slow = core_text_normalize(buf, len + 3);
	ok = fast != NULL && slow != NULL && strlen(slow) ==
	    strlen(fast) + (fast[0] != '\0' ? 2 : 1) &&
	    strncmp(slow, fast, strlen(fast)) == 0 &&
	    strcmp(slow + strlen(slow) - 1, "e") == 0;
	if (!ok)
		printf("# ASCII path \"%s\", utf8proc \"%s\"\n",
		    fast != NULL ? fast : "(null)", slow != NULL ? slow : "(null)");
	free(fast);
	free(slow);
	return ok;
}

static double
est(const char *a, const char *b)
{
	uint32_t sa[CORE_MINHASH_K], sb[CORE_MINHASH_K];

	if (core_minhash(a, strlen(a), sa) == -1 ||
	    core_minhash(b, strlen(b), sb) == -1)
		return -1;
	return core_minhash_similarity(sa, sb);
}

/* Exact Jaccard similarity of the 4-character shingle sets, computed
 * independently (the test texts are ASCII: a character is a byte). */
#define SMAX 4096
static size_t
shingles(const char *text, char out[][CORE_SHINGLE_CHARS + 1])
{
	char	*n = core_text_normalize(text, strlen(text));
	size_t	 len, i, j, ns = 0;

	if (n == NULL)
		return 0;
	len = strlen(n);
	for (i = 0; i + CORE_SHINGLE_CHARS <= len && ns < SMAX; i++) {
		for (j = 0; j < ns; j++)
			if (memcmp(out[j], n + i, CORE_SHINGLE_CHARS) == 0)
				break;
		if (j == ns) {
			memcpy(out[ns], n + i, CORE_SHINGLE_CHARS);
			out[ns++][CORE_SHINGLE_CHARS] = '\0';
		}
	}
	free(n);
	return ns;
}

static double
jaccard(const char *a, const char *b)
{
	static char	sa[SMAX][CORE_SHINGLE_CHARS + 1],
			sb[SMAX][CORE_SHINGLE_CHARS + 1];
	size_t		na = shingles(a, sa), nb = shingles(b, sb), i, j, both = 0;

	for (i = 0; i < na; i++)
		for (j = 0; j < nb; j++)
			if (strcmp(sa[i], sb[j]) == 0) {
				both++;
				break;
			}
	return na + nb - both == 0 ? 1.0 : (double)both /
	    (double)(na + nb - both);
}

/* A long pseudo-random Indonesian-looking text of n words, seeded. */
static const char *const vocab[] = {
	"jalan", "rusak", "pasar", "sampah", "lampu", "air", "warga", "desa",
	"kantor", "pelayanan", "lambat", "petugas", "meminta", "biaya",
	"sekolah", "puskesmas", "banjir", "saluran", "tersumbat", "bulan",
	"sejak", "mohon", "segera", "diperbaiki", "kami", "sudah", "lapor",
	"tidak", "ada", "tanggapan", "kelurahan", "kecamatan", "izin",
	"bangunan", "liar", "trotoar", "parkir", "angkot", "terminal", "listrik",
};

static void
make_text(unsigned seed, size_t n, char *out, size_t outlen)
{
	size_t	i, o = 0;

	for (i = 0; i < n && o + 20 < outlen; i++) {
		seed = seed * 1103515245u + 12345u;
		o += (size_t)snprintf(out + o, outlen - o, "%s%s", i ? " " : "",
		    vocab[(seed >> 16) % (sizeof(vocab) / sizeof(vocab[0]))]);
	}
}

int
main(void)
{
	uint32_t	s1[CORE_MINHASH_K], s2[CORE_MINHASH_K];
	uint64_t	b1[CORE_LSH_BANDS], b2[CORE_LSH_BANDS];
	char		a[4096], b[4096], *p;
	double		e, j, worst = 0;
	unsigned	i, seed;
	size_t		k, same;
	int		ok;

	/* ---- normalisation ---- */
	CHECK(norm_is("JALAN Cikini-Raya, No. 5!!", "jalan cikini raya no 5"),
	    "normalise: case folded, punctuation runs become one space");
	CHECK(norm_is("Caf\xc3\xa9 \xc3\x91" "and\xc3\xba s\xc3\xa3o", "cafe nandu sao"),
	    "normalise: diacritics removed (composed input)");
	CHECK(norm_is("Cafe\xcc\x81", "cafe"),
	    "normalise: diacritics removed (combining mark)");
	CHECK(norm_is("\xef\xbc\xa1\xef\xbc\xa2\xef\xbc\xa3 \xef\xac\x81le",
	    "abc file"), "normalise: NFKC folds full-width letters and ligatures");
	CHECK(norm_is("a\xe2\x80\x8b" "b \xf0\x9f\x98\xa1 c", "ab c"),
	    "normalise: zero-width space ignored, emoji is a separator");
	CHECK(norm_is("  \t\n  ", ""), "normalise: white space only is empty");
	CHECK(norm_is("STRASSE stra\xc3\x9f" "e", "strasse strasse"),
	    "normalise: full case folding (sharp s)");
	ok = 1;
	for (i = 1; i < 0x80; i++) {	/* every ASCII byte but NUL */
		a[0] = 'a';
		a[1] = 'B';
		a[2] = (char)i;
		a[3] = 'c';
		a[4] = (char)i;
		ok &= ascii_path_agrees(a, 5) && ascii_path_agrees(a + 2, 1);
	}
	for (i = 0, seed = 7; i < 5000 && ok; i++) {
		for (k = 0; k < 40; k++) {
			seed = seed * 1103515245u + 12345u;
			a[k] = (char)(1 + (seed >> 16) % 0x7f);
		}
		ok = ascii_path_agrees(a, 1 + i % 40);
	}
	CHECK(ok, "normalise: ASCII text (every byte, 5,000 random strings) "
	    "comes out as utf8proc makes it");
	CHECK(core_text_normalize("ab\xff", 3) == NULL,
	    "normalise: invalid UTF-8 refused");
	CHECK(core_text_normalize("ab\0cd", 5) == NULL,
	    "normalise: NUL byte refused");

	/* ---- signatures ---- */
	CHECK(core_minhash("!!! ??? ...", 11, s1) == -1,
	    "a text without a word has no signature");
	CHECK(core_minhash_words("abc def", 0, s1) == -1 &&
	    core_minhash_words("abc def", CORE_SHINGLE_MAX + 1, s1) == -1 &&
	    core_minhash_chars("abc def", 0, s1) == -1 &&
	    core_minhash_chars("abc def", CORE_SHINGLE_MAX + 1, s1) == -1,
	    "shingle size out of range refused");
	CHECK(core_minhash("ab", 2, s1) == 0 && core_minhash("ab!", 3, s2) == 0 &&
	    memcmp(s1, s2, sizeof(s1)) == 0,
	    "a text shorter than a shingle has a signature");
	CHECK(core_minhash_words("abc def ghi", 2, s1) == 0 &&
	    core_minhash_words("abc  def ghi", 2, s2) == 0 &&
	    memcmp(s1, s2, sizeof(s1)) == 0,
	    "word shingles: the comparison form (bench) works too");
	e = est("Jalan di depan Pasar Kosambi rusak parah sejak Maret.",
	    "jalan DI DEPAN pasar kosambi, rusak parah; sejak maret!!");
	CHECK(e == 1.0, "texts equal after normalisation: similarity 1");
	e = est("Jalan di depan Pasar Kosambi rusak parah sejak Maret.",
	    "Sampah menumpuk di terminal bus selama dua minggu penuh.");
	CHECK(e >= 0 && e < 0.1, "unrelated texts: similarity near 0");

	/* Same text twice: the same signature; bands equal. */
	make_text(7, 200, a, sizeof(a));
	CHECK(core_minhash(a, strlen(a), s1) == 0 &&
	    core_minhash(a, strlen(a), s2) == 0 &&
	    memcmp(s1, s2, sizeof(s1)) == 0, "signatures are deterministic");
	core_lsh_bands(s1, b1);
	core_lsh_bands(s2, b2);
	CHECK(memcmp(b1, b2, sizeof(b1)) == 0, "equal signatures, equal bands");
	CHECK(CORE_LSH_BANDS * CORE_LSH_ROWS == CORE_MINHASH_K,
	    "bands x rows cover the signature");

	/* One changed row changes exactly its band. */
	memcpy(s2, s1, sizeof(s1));
	s2[CORE_LSH_ROWS * 3 + 1] ^= 1;
	core_lsh_bands(s2, b2);
	for (k = 0, same = 0; k < CORE_LSH_BANDS; k++)
		same += b1[k] == b2[k];
	CHECK(same == CORE_LSH_BANDS - 1 && b1[3] != b2[3],
	    "a changed row changes only its own band");

	/* Estimates against exact Jaccard: standard error at K = 128 is at
	 * most 0.045; 0.15 is over three of them. */
	for (i = 0; i < 20; i++) {
		make_text(100 + i, 120, a, sizeof(a));
		memcpy(b, a, sizeof(a));
		/* Change a few words: every 10th .. every 3rd. */
		for (p = b, k = 0; *p != '\0'; p++)
			if (*p == ' ' && ++k % (3 + i % 8) == 0 && p[1] != '\0')
				p[1] = (char)('A' + (i % 26));
		j = jaccard(a, b);
		e = est(a, b);
		if ((e > j ? e - j : j - e) > worst)
			worst = e > j ? e - j : j - e;
	}
	printf("# largest |estimate - exact Jaccard| over 20 pairs: %.3f\n",
	    worst);
	CHECK(worst < 0.15, "estimates follow exact Jaccard similarity");

	/* Sentences in another order keep most 4-character shingles. */
	e = est("Lampu jalan mati sejak dua minggu. Warga takut keluar malam. "
	    "Sudah dilaporkan ke kelurahan tetapi belum diperbaiki.",
	    "Warga takut keluar malam. Sudah dilaporkan ke kelurahan tetapi "
	    "belum diperbaiki. Lampu jalan mati sejak dua minggu.");
	printf("# sentences reordered: estimate %.3f\n", e);
	CHECK(e >= 0.8, "reordered sentences stay similar");

	/* A typo in a long text keeps it a likely duplicate. */
	make_text(3, 150, a, sizeof(a));
	memcpy(b, a, sizeof(a));
	b[40] = b[40] == 'x' ? 'y' : 'x';
	e = est(a, b);
	j = jaccard(a, b);
	printf("# one typo in 150 words: exact %.3f, estimate %.3f\n", j, e);
	CHECK(j >= 0.9 && e >= 0.85, "one typo in 150 words stays near 1");

	/* Titles in another case and extra punctuation are free. */
	CHECK(est("Lampu jalan mati di gang Mawar RT 03, sudah dua minggu.",
	    "LAMPU JALAN MATI DI GANG MAWAR RT 03 - SUDAH DUA MINGGU!!!") ==
	    1.0, "shouting and punctuation change nothing");
	return tap_done();
}
