/*
 * redact.c: how well and how fast the redaction filter works, on the
 * labelled battery of complaint texts (tests/data/redact_battery.txt).
 *
 *   redact BATTERY
 *
 * Printed: the recall on labelled values (a value counts as caught when
 * every letter and digit of it lies inside a mask), per kind; the share
 * of controls kept (a control counts as lost when any mask touches it);
 * and the filter's speed on a large mixed text (the battery's texts,
 * with their Unicode tricks, repeated to BIG_BYTES) as one call and as
 * many 2 KiB reports (title and body, as at submission), beside the
 * other work core/ does for a submission (parsing and checking the
 * report, its MinHash signature) to show whether the filter bounds the
 * submission path. Uses core/ only; no server, no store.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <jansson.h>
#include <utf8proc.h>

#include "core/core.h"

#define TEXTS_MAX	4096
#define LABELS_MAX	32
#define LINE_MAX_B	8192
/* The large mixed text: big enough for a stable figure, small enough to
 * stay well under CORE_REDACT_INPUT_MAX. */
#define BIG_BYTES	(8u * 1024 * 1024)
/* A report as submitted: a 2 KiB body and a title. */
#define REPORT_BYTES	2048
#define REPORTS		4000

struct label {
	int	kind;		/* CORE_RK_*, -1 a control */
	size_t	start, end;
};

struct text {
	char		*s;
	size_t		 len;
	struct label	 lab[LABELS_MAX];
	size_t		 nlab;
};

static struct text	texts[TEXTS_MAX];
static size_t		ntexts;

/* CPU time of this process: on a machine shared with other work the
 * wall clock counts the time spent waiting for a core too. */
static double
now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int
kind_of(const char *name, size_t n)
{
	int k;

	if (n == 4 && memcmp(name, "keep", 4) == 0)
		return -1;
	for (k = 0; k < CORE_RK_MAX; k++)
		if (strlen(core_redact_kind_name(k)) == n &&
		    memcmp(core_redact_kind_name(k), name, n) == 0)
			return k;
	return -2;
}

/* One line of the battery (format: its header comment). */
static int
parse_line(const char *l, struct text *t)
{
	size_t	 n = strlen(l), i, o = 0, open = 0, k;
	char	*out;
	long	 cp;
	int	 in = 0, kind;

	memset(t, 0, sizeof(*t));
	if ((out = malloc(n * 4 + 1)) == NULL)
		return -1;
	for (i = 0; i < n; i++) {
		if (l[i] == '\\' && l[i + 1] == 'n') {
			out[o++] = '\n';
			i++;
		} else if (l[i] == '\\' && (l[i + 1] == '\\' ||
		    l[i + 1] == '{' || l[i + 1] == '}')) {
			out[o++] = l[i + 1];
			i++;
		} else if (l[i] == '\\' && l[i + 1] == 'u' && l[i + 2] == '{') {
			cp = strtol(l + i + 3, NULL, 16);
			for (k = i + 3; l[k] != '}' && l[k] != '\0'; k++)
				;
			if (l[k] != '}' || cp <= 0)
				goto bad;
			o += (size_t)utf8proc_encode_char((utf8proc_int32_t)cp,
			    (utf8proc_uint8_t *)out + o);
			i = k;
		} else if (l[i] == '{') {
			for (k = i + 1; l[k] != ':' && l[k] != '\0'; k++)
				;
			if (in || l[k] != ':' || t->nlab == LABELS_MAX ||
			    (kind = kind_of(l + i + 1, k - i - 1)) == -2)
				goto bad;
			t->lab[t->nlab].kind = kind;
			open = o;
			in = 1;
			i = k;
		} else if (l[i] == '}' && in) {
			t->lab[t->nlab].start = open;
			t->lab[t->nlab].end = o;
			t->nlab++;
			in = 0;
		} else
			out[o++] = l[i];
	}
	if (in)
		goto bad;
	out[o] = '\0';
	t->s = out;
	t->len = o;
	return 0;
 bad:
	free(out);
	return -1;
}

static int
load(const char *path)
{
	FILE	*f = fopen(path, "r");
	char	 line[LINE_MAX_B];
	size_t	 n;

	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL && ntexts < TEXTS_MAX) {
		n = strlen(line);
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (n == 0 || line[0] == '#')
			continue;
		if (parse_line(line, &texts[ntexts]) == -1) {
			fclose(f);
			return -1;
		}
		ntexts++;
	}
	fclose(f);
	return ntexts > 0 ? 0 : -1;
}

/* Every letter and digit of [a, b) inside a mask. */
static int
covered(const char *s, size_t a, size_t b, const struct core_redact_span *sp,
    size_t nsp)
{
	size_t			i = a, k, m;
	utf8proc_int32_t	cp;
	int			cat, in;

	while (i < b) {
		k = (size_t)utf8proc_iterate((const utf8proc_uint8_t *)s + i,
		    (utf8proc_ssize_t)(b - i), &cp);
		if (k == 0 || cp < 0)
			return 0;
		cat = utf8proc_category(cp);
		if (cat >= UTF8PROC_CATEGORY_LU && cat <= UTF8PROC_CATEGORY_NO &&
		    cat != UTF8PROC_CATEGORY_MN && cat != UTF8PROC_CATEGORY_MC &&
		    cat != UTF8PROC_CATEGORY_ME) {
			for (m = 0, in = 0; m < nsp && !in; m++)
				in = sp[m].start <= i && i + k <= sp[m].end;
			if (!in)
				return 0;
		}
		i += k;
	}
	return 1;
}

static void
quality(void)
{
	struct core_redact_span	*sp;
	size_t			 nsp, t, l, m, values = 0, caught = 0;
	size_t			 controls = 0, lost = 0, touched;
	size_t			 per[CORE_RK_MAX], got[CORE_RK_MAX];
	int			 k;

	memset(per, 0, sizeof(per));
	memset(got, 0, sizeof(got));
	for (t = 0; t < ntexts; t++) {
		if (core_redact_find(texts[t].s, texts[t].len, &sp, &nsp) == -1)
			exit(1);
		for (l = 0; l < texts[t].nlab; l++) {
			const struct label *lb = &texts[t].lab[l];

			if (lb->kind < 0) {
				controls++;
				for (m = 0, touched = 0; m < nsp; m++)
					touched |= sp[m].start < lb->end &&
					    lb->start < sp[m].end;
				lost += touched != 0;
				continue;
			}
			values++;
			per[lb->kind]++;
			if (covered(texts[t].s, lb->start, lb->end, sp, nsp)) {
				caught++;
				got[lb->kind]++;
			}
		}
		free(sp);
	}
	printf("redaction battery: %zu texts\n", ntexts);
	printf("  recall on labelled values  %5.1f %%  (%zu of %zu)\n",
	    100.0 * (double)caught / (double)values, caught, values);
	for (k = 0; k < CORE_RK_MAX; k++)
		if (per[k] > 0)
			printf("    %-8s %5.1f %%  (%zu of %zu)\n",
			    core_redact_kind_name(k), 100.0 * (double)got[k] /
			    (double)per[k], got[k], per[k]);
	printf("  controls kept              %5.1f %%  (%zu of %zu; %zu "
	    "lost)\n", 100.0 * (double)(controls - lost) / (double)controls,
	    controls - lost, controls, lost);
}

/* The battery's texts one after the other, repeated, up to n bytes. */
static char *
mixed_text(size_t n, size_t *len)
{
	char	*big = malloc(n + 1);
	size_t	 o = 0, t = 0;

	if (big == NULL)
		exit(1);
	while (o + texts[t].len + 1 < n) {
		memcpy(big + o, texts[t].s, texts[t].len);
		o += texts[t].len;
		big[o++] = '\n';
		t = (t + 1) % ntexts;
	}
	big[o] = '\0';
	*len = o;
	return big;
}

/* Cuts a 2 KiB report body from the mixed text at a code point edge. */
static size_t
report_at(const char *big, size_t len, size_t off, char *out)
{
	size_t n = REPORT_BYTES;

	if (off + n > len)
		off = 0;
	while (off > 0 && ((unsigned char)big[off] & 0xc0) == 0x80)
		off++;
	while (n > 0 && ((unsigned char)big[off + n] & 0xc0) == 0x80)
		n--;
	memcpy(out, big + off, n);
	out[n] = '\0';
	return n;
}

static void	hostile_speed(void);

static void
speed(void)
{
	struct core_errors	 errs;
	struct core_report	 rep;
	uint32_t		 sig[CORE_MINHASH_K];
	char			 body[REPORT_BYTES + 1], *big, *r, *json;
	const char		*title = "Pungli di kantor kelurahan, hubungi "
				    "0812 3456 7890";
	size_t			 len, i, bl, total = 0;
	double			 t0, t_big, t_red, t_parse, t_hash;
	json_t			*o;

	big = mixed_text(BIG_BYTES, &len);
	t0 = now_s();
	if ((r = core_redact(big, len)) == NULL)
		exit(1);
	t_big = now_s() - t0;
	free(r);

	t0 = now_s();
	for (i = 0; i < REPORTS; i++) {
		bl = report_at(big, len, i * 7919 % len, body);
		total += bl + strlen(title);
		free(core_redact(title, strlen(title)));
		free(core_redact(body, bl));
	}
	t_red = now_s() - t0;

	bl = report_at(big, len, 0, body);
	o = json_pack("{s:s, s:s, s:s}", "kind", "complaint", "title", title,
	    "body", body);
	json = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	t0 = now_s();
	for (i = 0; i < REPORTS; i++) {
		if (core_report_parse(json, strlen(json), 0, &rep, &errs) !=
		    CORE_OK)
			exit(1);
		core_report_free(&rep);
	}
	t_parse = now_s() - t0;
	t0 = now_s();
	for (i = 0; i < REPORTS; i++)
		if (core_minhash(body, bl, sig) == -1)
			exit(1);
	t_hash = now_s() - t0;
	core_json_free(json);

	printf("redaction speed (CPU time of one thread)\n");
	printf("  one call over %.1f MB of mixed text   %7.1f MB/s\n",
	    (double)len / 1e6, (double)len / 1e6 / t_big);
	printf("  %d reports of 2 KiB (title + body)  %7.1f MB/s, %.1f us "
	    "a report\n", REPORTS, (double)total / 1e6 / t_red,
	    1e6 * t_red / REPORTS);
	printf("  other core work a report: JSON parse and checks %.1f us, "
	    "MinHash %.1f us\n", 1e6 * t_parse / REPORTS,
	    1e6 * t_hash / REPORTS);
	printf("  the filter takes %.2fx the time of the rest of core's work "
	    "for a report\n", t_red / (t_parse + t_hash));
	free(big);
	hostile_speed();
}

/*
 * Texts shaped against the scan: long runs that a matcher could rescan
 * from each of their positions (a run of letters and hyphens was once
 * quadratic in match_url). Each is HOSTILE_BYTES, one call each; the
 * slowest is the figure that matters.
 */
#define HOSTILE_BYTES	(64 * 1024)

static void
hostile_speed(void)
{
	static const char *const unit[] = {
		"a-", "12-03-2026-", "a", "1", "1-", "a.", "a@", "0812 ",
		"Aa ", "@a", "a_", "1.",
	};
	size_t	 i, j, ul;
	double	 t0, t, worst = 0;
	char	*text, *r;
	int	 wi = 0;

	if ((text = malloc(HOSTILE_BYTES + 1)) == NULL)
		exit(1);
	printf("redaction of hostile shapes (%d KiB, CPU time of one call)\n",
	    HOSTILE_BYTES / 1024);
	for (i = 0; i < sizeof(unit) / sizeof(unit[0]); i++) {
		ul = strlen(unit[i]);
		for (j = 0; j < HOSTILE_BYTES; j++)
			text[j] = unit[i][j % ul];
		text[HOSTILE_BYTES] = '\0';
		t0 = now_s();
		if ((r = core_redact(text, HOSTILE_BYTES)) == NULL)
			exit(1);
		t = now_s() - t0;
		free(r);
		printf("  \"%s\" repeated  %8.1f ms\n", unit[i], t * 1e3);
		if (t > worst) {
			worst = t;
			wi = (int)i;
		}
	}
	printf("  slowest: \"%s\", %.1f ms (%.1f MB/s)\n", unit[wi],
	    worst * 1e3, HOSTILE_BYTES / 1e6 / worst);
	free(text);
}

int
main(int argc, char *argv[])
{
	size_t t;

	if (argc != 2 || load(argv[1]) == -1) {
		fprintf(stderr, "usage: redact tests/data/redact_battery.txt\n");
		return 2;
	}
	quality();
	speed();
	for (t = 0; t < ntexts; t++)
		free(texts[t].s);
	return 0;
}
