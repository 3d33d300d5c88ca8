/*
 * dedup.c: precision and recall of Bisik's duplicate detection on a
 * labelled set of Indonesian complaint pairs (bench/data/dedup_pairs.tsv,
 * made by bench/gen_dedup_pairs.py from hand-written complaints).
 *
 *   dedup PAIRS.tsv
 *
 * A pair is flagged as it would be in GET /cases/{case}: the two texts
 * (title and body of a report are signed together; here each text is a
 * body) share an LSH band of the production layout and their estimated
 * similarity is at least CORE_DUPLICATE_MIN. Printed: precision, recall
 * and F1 of that rule, the share flagged per kind of pair, the same with
 * the exact Jaccard similarity (what the estimate approximates), other
 * thresholds and shingle sizes for comparison, the share of unrelated
 * pairs that become LSH candidates (the lookup's cost) and the speed of
 * signing. Uses core/ only; no server, no store.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/core.h"

#define PAIRS_MAX	4096
#define LINE_MAX_B	(64 * 1024)
#define KINDS_MAX	32

struct pair {
	char	kind[24];
	int	dup;
	char	*a, *b;
};

static struct pair	pairs[PAIRS_MAX];
static size_t		npairs;

static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
load(const char *path)
{
	FILE	*f = fopen(path, "r");
	char	*line, *k, *l, *a, *b, *save;

	if (f == NULL || (line = malloc(LINE_MAX_B)) == NULL)
		return -1;
	while (fgets(line, LINE_MAX_B, f) != NULL && npairs < PAIRS_MAX) {
		if (line[0] == '#' || line[0] == '\n')
			continue;
		line[strcspn(line, "\n")] = '\0';
		k = strtok_r(line, "\t", &save);
		l = strtok_r(NULL, "\t", &save);
		a = strtok_r(NULL, "\t", &save);
		b = strtok_r(NULL, "\t", &save);
		if (k == NULL || l == NULL || a == NULL || b == NULL)
			continue;
		snprintf(pairs[npairs].kind, sizeof(pairs[npairs].kind), "%s", k);
		pairs[npairs].dup = atoi(l);
		pairs[npairs].a = strdup(a);
		pairs[npairs].b = strdup(b);
		npairs++;
	}
	free(line);
	fclose(f);
	return npairs > 0 ? 0 : -1;
}

/* Exact Jaccard of k-word shingle sets, by sorting shingle hashes. */
static int
cmp64(const void *x, const void *y)
{
	uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;

	return a < b ? -1 : a > b;
}

/* The set of k-character (code point) or k-word shingles of a text, as
 * sorted distinct 64-bit hashes, computed independently of core. */
static size_t
shingle_set(const char *text, int chars, size_t k, uint64_t *out,
    size_t max)
{
	char		*n = core_text_normalize(text, strlen(text)), *p, *save;
	uint64_t	 w[4096];
	size_t		 cps[65536], ncp = 0, nw = 0, i, j, ns = 0, len;

	if (n == NULL)
		return 0;
	len = strlen(n);
	if (chars) {
		for (i = 0; i < len && ncp < 65535; i++)
			if (((unsigned char)n[i] & 0xc0) != 0x80)
				cps[ncp++] = i;
		cps[ncp] = len;
		for (i = 0; i + k <= ncp && ns < max; i++) {
			uint64_t h = 1469598103934665603ULL;

			for (j = cps[i]; j < cps[i + k]; j++)
				h = (h ^ (unsigned char)n[j]) * 1099511628211ULL;
			out[ns++] = h;
		}
		if (ncp > 0 && ncp < k)
			out[ns++] = 1;
	} else {
		for (p = strtok_r(n, " ", &save); p != NULL && nw < 4096;
		    p = strtok_r(NULL, " ", &save)) {
			uint64_t h = 1469598103934665603ULL;

			for (; *p != '\0'; p++)
				h = (h ^ (unsigned char)*p) * 1099511628211ULL;
			w[nw++] = h;
		}
		for (i = 0; i + k <= nw && ns < max; i++) {
			uint64_t h = 0;

			for (j = 0; j < k; j++)
				h = h * 31 + w[i + j];
			out[ns++] = h;
		}
		if (nw > 0 && nw < k)
			out[ns++] = w[0];
	}
	qsort(out, ns, sizeof(*out), cmp64);
	for (i = 0, j = 0; i < ns; i++)
		if (j == 0 || out[j - 1] != out[i])
			out[j++] = out[i];
	free(n);
	return j;
}

static double
exact_jaccard(const char *a, const char *b, int chars, size_t k)
{
	static uint64_t	sa[65536], sb[65536];
	size_t		na = shingle_set(a, chars, k, sa, 65536),
			nb = shingle_set(b, chars, k, sb, 65536),
			i = 0, j = 0, both = 0;

	while (i < na && j < nb) {
		if (sa[i] == sb[j]) {
			both++;
			i++;
			j++;
		} else if (sa[i] < sb[j])
			i++;
		else
			j++;
	}
	return na + nb - both == 0 ? 1 : (double)both / (double)(na + nb - both);
}

struct score {
	size_t	tp, fp, fn, tn;
};

static void
add(struct score *s, int dup, int flagged)
{
	if (dup && flagged)
		s->tp++;
	else if (dup)
		s->fn++;
	else if (flagged)
		s->fp++;
	else
		s->tn++;
}

static double
prec(const struct score *s)
{
	return s->tp + s->fp ? (double)s->tp / (double)(s->tp + s->fp) : 1;
}

static double
rec(const struct score *s)
{
	return s->tp + s->fn ? (double)s->tp / (double)(s->tp + s->fn) : 1;
}

static double
f1(const struct score *s)
{
	double p = prec(s), r = rec(s);

	return p + r > 0 ? 2 * p * r / (p + r) : 0;
}

static int
share_band(const uint32_t *sa, const uint32_t *sb, size_t bands, size_t rows)
{
	uint64_t	ba[CORE_MINHASH_K], bb[CORE_MINHASH_K];
	size_t		i;

	core_lsh_bands_n(sa, bands, rows, ba);
	core_lsh_bands_n(sb, bands, rows, bb);
	for (i = 0; i < bands; i++)
		if (ba[i] == bb[i])
			return 1;
	return 0;
}

static int
sign(const char *text, int chars, size_t k, uint32_t *sig)
{
	char	*n = core_text_normalize(text, strlen(text));
	int	 rc;

	if (n == NULL)
		return -1;
	rc = chars ? core_minhash_chars(n, k, sig) : core_minhash_words(n, k,
	    sig);
	free(n);
	return rc;
}

int
main(int argc, char **argv)
{
	static uint32_t	 sa[PAIRS_MAX][CORE_MINHASH_K], sb[PAIRS_MAX][CORE_MINHASH_K];
	static double	 est[PAIRS_MAX], jac[PAIRS_MAX];
	static int	 cand[PAIRS_MAX];
	const char	*kinds[KINDS_MAX];
	size_t		 nkinds = 0, i, k, kd, n, hit, dups = 0;
	struct score	 s, sj;
	double		 t0, t1, th;
	static const double thr[] = { 0.7, 0.8, 0.85, 0.9, 0.95 };

	if (argc != 2 || load(argv[1]) == -1) {
		fprintf(stderr, "usage: dedup PAIRS.tsv\n");
		return 2;
	}
	t0 = now_s();
	for (i = 0; i < npairs; i++)
		if (core_minhash(pairs[i].a, strlen(pairs[i].a), sa[i]) == -1 ||
		    core_minhash(pairs[i].b, strlen(pairs[i].b), sb[i]) == -1) {
			fprintf(stderr, "dedup: pair %zu has no words\n", i + 1);
			return 1;
		}
	t1 = now_s();
	for (i = 0; i < npairs; i++) {
		est[i] = core_minhash_similarity(sa[i], sb[i]);
		jac[i] = exact_jaccard(pairs[i].a, pairs[i].b, 1,
		    CORE_SHINGLE_CHARS);
		cand[i] = share_band(sa[i], sb[i], CORE_LSH_BANDS,
		    CORE_LSH_ROWS);
		dups += pairs[i].dup;
		for (k = 0; k < nkinds; k++)
			if (strcmp(kinds[k], pairs[i].kind) == 0)
				break;
		if (k == nkinds && nkinds < KINDS_MAX)
			kinds[nkinds++] = pairs[i].kind;
	}

	printf("duplicate detection: %zu labelled pairs (%zu duplicates), "
	    "MinHash K=%d, %d-character shingles, LSH %d bands x %d rows, "
	    "threshold %.2f\n", npairs, dups, CORE_MINHASH_K,
	    CORE_SHINGLE_CHARS, CORE_LSH_BANDS, CORE_LSH_ROWS,
	    CORE_DUPLICATE_MIN);
	memset(&s, 0, sizeof(s));
	memset(&sj, 0, sizeof(sj));
	for (i = 0; i < npairs; i++) {
		add(&s, pairs[i].dup, cand[i] && est[i] >= CORE_DUPLICATE_MIN);
		add(&sj, pairs[i].dup, jac[i] >= CORE_DUPLICATE_MIN);
	}
	printf("  precision %.3f  recall %.3f  F1 %.3f   (tp %zu, fp %zu, "
	    "fn %zu, tn %zu)\n", prec(&s), rec(&s), f1(&s), s.tp, s.fp, s.fn,
	    s.tn);
	printf("  exact Jaccard at the same threshold: precision %.3f  "
	    "recall %.3f\n", prec(&sj), rec(&sj));
	printf("  flagged per kind of pair (label: 1 duplicate, 0 not):\n");
	for (kd = 0; kd < nkinds; kd++) {
		double	 sum = 0, mn = 2, mx = -1;
		int	 label = 0;

		for (i = 0, n = 0, hit = 0; i < npairs; i++) {
			if (strcmp(pairs[i].kind, kinds[kd]) != 0)
				continue;
			n++;
			label = pairs[i].dup;
			hit += cand[i] && est[i] >= CORE_DUPLICATE_MIN;
			sum += est[i];
			mn = est[i] < mn ? est[i] : mn;
			mx = est[i] > mx ? est[i] : mx;
		}
		printf("    %-11s (%d) %3zu pairs  flagged %5.1f%%  similarity "
		    "mean %.2f  min %.2f  max %.2f\n", kinds[kd], label, n,
		    100.0 * (double)hit / (double)n, sum / (double)n, mn, mx);
	}
	printf("  other thresholds (estimate, with LSH):\n");
	for (k = 0; k < sizeof(thr) / sizeof(thr[0]); k++) {
		memset(&s, 0, sizeof(s));
		for (i = 0; i < npairs; i++)
			add(&s, pairs[i].dup, cand[i] && est[i] >= thr[k]);
		printf("    >= %.2f  precision %.3f  recall %.3f  F1 %.3f\n",
		    thr[k], prec(&s), rec(&s), f1(&s));
	}
	printf("  other shingles (estimate >= %.2f, same LSH):\n",
	    CORE_DUPLICATE_MIN);
	{
		static const struct { int chars; size_t k; } sh[] = {
			{ 1, 3 }, { 1, 4 }, { 1, 5 }, { 0, 1 }, { 0, 2 },
			{ 0, 3 },
		};
		static uint32_t x[CORE_MINHASH_K], y[CORE_MINHASH_K];

		for (k = 0; k < sizeof(sh) / sizeof(sh[0]); k++) {
			memset(&s, 0, sizeof(s));
			for (i = 0; i < npairs; i++) {
				if (sign(pairs[i].a, sh[k].chars, sh[k].k,
				    x) == -1 || sign(pairs[i].b, sh[k].chars,
				    sh[k].k, y) == -1)
					continue;
				th = core_minhash_similarity(x, y);
				add(&s, pairs[i].dup, share_band(x, y,
				    CORE_LSH_BANDS, CORE_LSH_ROWS) &&
				    th >= CORE_DUPLICATE_MIN);
			}
			printf("    %zu-%-9s  precision %.3f  recall %.3f  "
			    "F1 %.3f%s\n", sh[k].k, sh[k].chars ? "character" :
			    "word", prec(&s), rec(&s), f1(&s), sh[k].chars &&
			    sh[k].k == CORE_SHINGLE_CHARS ? "   (used)" : "");
		}
	}
	printf("  LSH candidates (pairs sharing a band; each costs one "
	    "signature opened):\n");
	{
		static const size_t layout[][2] = { { 16, 8 }, { 32, 4 },
		    { 8, 16 } };

		for (k = 0; k < sizeof(layout) / sizeof(layout[0]); k++) {
			size_t	cd = 0, cn = 0, nd = 0, nn = 0, miss = 0;

			for (i = 0; i < npairs; i++) {
				int c = share_band(sa[i], sb[i], layout[k][0],
				    layout[k][1]);

				if (pairs[i].dup) {
					nd++;
					cd += c;
				} else {
					nn++;
					cn += c;
				}
				miss += !c && est[i] >= CORE_DUPLICATE_MIN;
			}
			printf("    %2zu x %-2zu  duplicates %5.1f%%  others "
			    "%5.1f%%  pairs >= %.2f not candidates: %zu%s\n",
			    layout[k][0], layout[k][1],
			    100.0 * (double)cd / (double)nd,
			    100.0 * (double)cn / (double)nn,
			    CORE_DUPLICATE_MIN, miss,
			    layout[k][0] == CORE_LSH_BANDS ? "   (used)" : "");
		}
	}
	printf("  signing: %.0f texts/s (normalise + %d hashes)\n",
	    (double)(2 * npairs) / (t1 - t0), CORE_MINHASH_K);
	for (i = 0; i < npairs; i++) {
		free(pairs[i].a);
		free(pairs[i].b);
	}
	return 0;
}
