/*
 * redact.c: the automatic redaction filter between a reporter's words
 * and agency staff.
 *
 * Agency staff see only the filtered text, and the agency is often the
 * office the report is about, so whatever this misses can expose a
 * reporter to the people they complain about. The filter therefore leans
 * towards masking: a long digit run is masked even when its kind is
 * unclear. It must still leave what the agency needs to act (dates,
 * times, amounts, percentages, case and regulation numbers, RT/RW,
 * street names, counts and measures), or it is useless to them.
 *
 * Detection runs on a normalised shadow of the text (redact_shadow.c:
 * look-alike digits, spaces, dashes and letters made ASCII, invisible
 * characters dropped, case folded); each match is mapped back to the
 * exact span of whole code points of the original, which is replaced by
 * a visible marker of its kind. Everything outside the matches is copied
 * byte for byte.
 *
 * A scan is one pass over the shadow, left to right. At each position
 * where a token may start the matchers are tried in a fixed order; each
 * is bounded (a local part, a domain, a chain of digit groups, a few
 * words of a name) or consumes what it scans, so the pass is linear.
 *
 * Idempotence (redact(redact(x)) == redact(x)): markers in the input are
 * recognised and skipped whole; what a matcher looks at behind it stops
 * where the last mask ended, as it would stop at that mask's marker in
 * the output; and a decision should never rest on text after the match
 * that a later match could replace (docs/redaction.md, "Idempotence",
 * lists the cases). Where these rules miss a case, the filter reads its
 * own output again until it finds nothing new
 * (core_redact_find_settled), so the first output is the settled one.
 * The fuzzers (tests/fuzz/fuzz_redact.c, fuzz_json.c) check it.
 */
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "core.h"
#include "core_int.h"

/* ---- Limits ------------------------------------------------------------ */

/* RFC 5321 bounds of a local part and of a domain; they also bound the
 * work of a scan that does not match. */
#define EMAIL_LOCAL_MAX	64
#define DOMAIN_MAX	253
/* A handle of letters only, named by its platform without "saya" or a
 * colon ("IG budisantoso"), has at least this many: shorter words there
 * are the sentence going on ("di tiktok banyak yang ..."). */
#define PLAIN_HANDLE_MIN 8
/* A chain of digit groups: 15 digits is E.164's maximum, 20 the longest
 * account number seen; a run of groups past these limits is masked whole
 * as an account. */
#define CHAIN_GROUPS_MAX 12
#define CHAIN_DIGITS_MAX 32
/* How far before a number a word naming it ("NPWP", "rek.") counts. */
#define CONTEXT_BYTES	48
/* A name after "nama saya": at most this many words of at most this
 * many bytes (shadow). */
#define NAME_WORDS_MAX	5
#define NAME_WORDS_LOWER 3
#define NAME_WORD_BYTES	32
/* Scans of a text and of its own output before the filter gives up on
 * settling it and masks it whole (core_redact_find_settled): the rules
 * settle nearly every text in the first scan, and each further one
 * masks text the scan before left. */
#define REDACT_SCANS_MAX 8

/* ---- Kinds and markers ------------------------------------------------- */

static const char *const markers[CORE_RK_MAX] = {
	[CORE_RK_EMAIL] =	"[email disamarkan]",
	[CORE_RK_PHONE] =	"[telepon disamarkan]",
	[CORE_RK_NIK] =		"[NIK disamarkan]",
	[CORE_RK_NPWP] =	"[NPWP disamarkan]",
	[CORE_RK_ACCOUNT] =	"[rekening disamarkan]",
	[CORE_RK_PLATE] =	"[plat nomor disamarkan]",
	[CORE_RK_URL] =		"[tautan disamarkan]",
	[CORE_RK_HANDLE] =	"[akun disamarkan]",
	[CORE_RK_NAME] =	"[nama disamarkan]",
	[CORE_RK_MANUAL] =	"[disamarkan]",
};

static const char *const kind_names[CORE_RK_MAX] = {
	[CORE_RK_EMAIL] = "email",	[CORE_RK_PHONE] = "phone",
	[CORE_RK_NIK] = "nik",		[CORE_RK_NPWP] = "npwp",
	[CORE_RK_ACCOUNT] = "account",	[CORE_RK_PLATE] = "plate",
	[CORE_RK_URL] = "url",		[CORE_RK_HANDLE] = "handle",
	[CORE_RK_NAME] = "name",	[CORE_RK_MANUAL] = "manual",
};

const char *
core_redact_marker(int kind)
{
	return kind >= 0 && kind < CORE_RK_MAX ? markers[kind] : NULL;
}

const char *
core_redact_kind_name(int kind)
{
	return kind >= 0 && kind < CORE_RK_MAX ? kind_names[kind] : NULL;
}

/* Not a mask: text a matcher keeps whole (a date, an amount, a case
 * reference) so that no part of it is read as something else. */
#define KEEP		(-1)
#define NONE		(-2)

/* ---- Scan state -------------------------------------------------------- */

struct scan {
	const unsigned char	*s;	/* shadow, NUL-terminated */
	size_t			 n;
	const unsigned char	*o;	/* original */
	size_t			 olen;
	const struct core_shadow *sh;
	size_t			 last_end;	/* where the last mask or
						   marker ended (shadow) */
	int			 last_kind;	/* its kind, NONE if none */
	struct core_redact_span	*sp;
	size_t			 nsp, cap;
	int			 failed;
};

/* A matcher's answer: mask [ms, me) of the shadow as kind (or KEEP it)
 * and go on at next. */
struct hit {
	size_t	ms, me, next;
	int	kind;
};

static int	try_words(const struct scan *, size_t, struct hit *);
static int	match_email(const struct scan *, size_t, struct hit *);
static int	starts_mask(const struct scan *, size_t);
static int	starts_mask_inword(const struct scan *, size_t);

static unsigned char
at(const struct scan *sc, size_t k)
{
	return k < sc->n ? sc->s[k] : 0;
}

/* ---- Character classes of the shadow (lower-case ASCII and UTF-8) ------ */

static int
is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static int
is_alpha(unsigned char c)
{
	return c >= 'a' && c <= 'z';
}

static int
is_alnum(unsigned char c)
{
	return is_alpha(c) || is_digit(c);
}

/* Part of a word: ASCII letters and digits and any other script. */
static int
is_w(unsigned char c)
{
	return is_alnum(c) || c >= 0x80;
}

/* A letter of a name: ASCII or any other script. */
static int
is_letter(unsigned char c)
{
	return is_alpha(c) || c >= 0x80;
}

static int
in_set(unsigned char c, const char *set)
{
	return c != '\0' && strchr(set, c) != NULL;
}

/* Does the shadow at i start with lit? */
static int
has(const struct scan *sc, size_t i, const char *lit)
{
	size_t n;

	if (i >= sc->n || sc->s[i] != (unsigned char)lit[0])
		return 0;
	n = strlen(lit);
	return sc->n - i >= n && memcmp(sc->s + i, lit, n) == 0;
}

static size_t
digit_run(const struct scan *sc, size_t i)
{
	size_t k = i;

	while (k < sc->n && is_digit(sc->s[k]))
		k++;
	return k - i;
}

static size_t
alpha_run(const struct scan *sc, size_t i)
{
	size_t k = i;

	while (k < sc->n && is_alpha(sc->s[k]))
		k++;
	return k - i;
}

/* May a token start at i: right after a mask, or after a character that
 * is not part of a word. */
static int
word_start(const struct scan *sc, size_t i)
{
	return i == 0 || i == sc->last_end || !is_alnum(sc->s[i - 1]);
}

/* 1 if the original character behind shadow byte k is an upper-case
 * letter (names keep their capitals in the original only). */
static int
orig_upper(const struct scan *sc, size_t k)
{
	size_t		o = sc->sh->map[k];
	uint32_t	cp;
	int		cat;

	if (o >= sc->olen)
		return 0;
	if (sc->o[o] < 0x80)
		return sc->o[o] >= 'A' && sc->o[o] <= 'Z';
	if (core_utf8_next(sc->o + o, sc->olen - o, &cp) == 0)
		return 0;
	cat = utf8proc_category((utf8proc_int32_t)cp);
	return cat == UTF8PROC_CATEGORY_LU || cat == UTF8PROC_CATEGORY_LT;
}

/* Is the word [i, i + len) one of the list? */
static int
word_in(const struct scan *sc, size_t i, size_t len, const char *const *list,
    size_t nlist)
{
	size_t k;

	if (len == 0)
		return 0;
	for (k = 0; k < nlist; k++)
		if (list[k][0] == (char)sc->s[i] && strlen(list[k]) == len &&
		    memcmp(sc->s + i, list[k], len) == 0)
			return 1;
	return 0;
}
#define WORD_IN(sc, i, len, list) \
	word_in((sc), (i), (len), (list), sizeof(list) / sizeof((list)[0]))

/* ---- Markers ----------------------------------------------------------- */

/* Length of a marker of ours at i (in the shadow: lower case), or 0. */
static size_t
marker_at(const struct scan *sc, size_t i, int *kind)
{
	const char	*m;
	size_t		 k, len, j;
	char		 buf[32];

	for (k = 0; k < CORE_RK_MAX; k++) {
		m = markers[k];
		len = strlen(m);
		if (sc->n - i < len || len >= sizeof(buf))
			continue;
		for (j = 0; j < len; j++)
			buf[j] = (char)(m[j] >= 'A' && m[j] <= 'Z' ?
			    m[j] - 'A' + 'a' : m[j]);
		if (memcmp(sc->s + i, buf, len) == 0) {
			*kind = (int)k;
			return len;
		}
	}
	return 0;
}

/* ---- Links and addresses ----------------------------------------------- */

/* Top-level domains a bare domain must end in to be taken for one
 * ("kantor.Lalu" is a missing space, "contoh.co.id" a domain). */
static const char *const tlds[] = {
	"ac", "ai", "app", "art", "asia", "au", "biz", "blog", "cc", "club",
	"co", "com", "dev", "edu", "gg", "gl", "gov", "icu", "id", "info",
	"int", "io", "link", "live", "ly", "me", "mil", "my", "net", "news",
	"online", "org", "page", "ph", "sch", "sg", "shop", "site", "store",
	"tech", "to", "top", "tv", "uk", "us", "web", "xyz",
};

/* Mail providers an address may name without its top-level domain
 * ("budi@gmail"). */
static const char *const providers[] = {
	"aol", "gmail", "hotmail", "icloud", "live", "mail", "outlook",
	"proton", "protonmail", "rocketmail", "yahoo", "ymail",
};

/* Domains and addresses are taken in ASCII (an internationalised one
 * is written in punycode); other scripts around them end them. */
static int
is_label(unsigned char c)
{
	return is_alnum(c) || c == '-';
}

/* Is the label [a, b) an ASCII top-level domain of the list? */
static int
known_tld(const struct scan *sc, size_t a, size_t b)
{
	return WORD_IN(sc, a, b - a, tlds);
}

/*
 * Domain labels from i joined by '.': the end of the longest prefix with
 * at least two labels whose last label is at least two letters (a known
 * top-level domain with known), or 0. Digits glued to the last label
 * ("a@b.com0812") start the next token: the domain ends before them.
 * *tld gets the start of that last label.
 */
static size_t
domain_end(const struct scan *sc, size_t i, int known, size_t *tld)
{
	size_t	k = i, start, end = 0, nlabels = 0, a, n = sc->n;

	if (n - i > DOMAIN_MAX)
		n = i + DOMAIN_MAX;
	for (;;) {
		start = k;
		while (k < n && is_label(sc->s[k]))
			k++;
		if (k == start || sc->s[start] == '-')
			break;
		nlabels++;
		for (a = start; a < k && is_alpha(sc->s[a]); a++)
			;
		if (nlabels >= 2 && a - start >= 2 &&
		    (a == k || is_digit(sc->s[a])) &&
		    (!known || known_tld(sc, start, a))) {
			end = a;
			*tld = start;
		}
		if (a < k && a > start && is_digit(sc->s[a]))
			break;
		if (k + 1 < n && sc->s[k] == '.' && is_label(sc->s[k + 1])) {
			k++;
			continue;
		}
		break;
	}
	return end;
}

/* Domains of offices, not of people: a bare one is left for the agency
 * ("pajak.go.id tidak bisa dibuka"). */
static int
institutional(const struct scan *sc, size_t i, size_t end, size_t tld)
{
	static const char *const second[] = {
		"ac", "desa", "go", "gov", "mil", "sch",
	};
	size_t	a;

	if (end - tld == 3 && has(sc, tld, "gov"))
		return 1;
	if (tld < i + 2)
		return 0;
	for (a = tld - 1; a > i && sc->s[a - 1] != '.'; a--)
		;
	return WORD_IN(sc, a, tld - 1 - a, second);
}

/* A link runs to the next white space; closing punctuation is the
 * sentence's, not the link's. */
static size_t
url_rest(const struct scan *sc, size_t j)
{
	size_t k = j;

	while (k < sc->n && sc->s[k] > 0x20 && sc->s[k] != 0x7f &&
	    sc->s[k] != '<' && sc->s[k] != '>' && sc->s[k] != '"')
		k++;
	while (k > j && in_set(sc->s[k - 1], ".,;:!?)]}'\""))
		k--;
	return k;
}

static int
match_url(const struct scan *sc, size_t i, struct hit *h)
{
	struct hit	ah;
	size_t		e, tld = 0, j = 0, n = sc->n;

	/*
	 * A link has "://", "www." or a dot right after its first label.
	 * A first label as long as DOMAIN_MAX is no scheme, no "www" and
	 * leaves domain_end() no room for a second label, so the scan stops
	 * there: without the bound, a long run of letters and hyphens was
	 * scanned to its end from each of its positions (quadratic).
	 */
	if (n - i > DOMAIN_MAX)
		n = i + DOMAIN_MAX;
	for (e = i; e < n && is_label(sc->s[e]); e++)
		;
	if (e == i + DOMAIN_MAX)
		return 0;
	if (at(sc, e) != '.' && at(sc, e) != ':')
		return 0;
	if (has(sc, i, "https://"))
		j = i + 8;
	else if (has(sc, i, "http://"))
		j = i + 7;
	else if (has(sc, i, "www.") && is_label(at(sc, i + 4)))
		j = i + 4;
	if (j != 0) {
		e = url_rest(sc, j);
		if (e <= j)
			return 0;
		h->ms = i;
		h->me = h->next = e;
		h->kind = CORE_RK_URL;
		return 1;
	}
	/* Not inside a path, a name or a link; after an '@' it is the
	 * domain of an address the e-mail matcher did not take. */
	if (i > 0 && i != sc->last_end && (sc->s[i - 1] == '.' ||
	    sc->s[i - 1] == '-' || sc->s[i - 1] == '/' ||
	    sc->s[i - 1] == '_' || sc->s[i - 1] == ':'))
		return 0;
	if ((e = domain_end(sc, i, 1, &tld)) == 0)
		return 0;
	/* A domain that is the local part of an address
	 * ("lapor.go.id@gmail.com") is the address's: the e-mail matcher
	 * takes the whole, or an office's domain there would keep the
	 * person's part before it. */
	memset(&ah, 0, sizeof(ah));
	if (match_email(sc, i, &ah) && ah.kind >= 0 && ah.me > e)
		return 0;
	h->ms = i;
	if (at(sc, e) == '/') {
		h->me = h->next = url_rest(sc, e);
		h->kind = CORE_RK_URL;
	} else {
		h->me = h->next = e;
		h->kind = institutional(sc, i, e, tld) ? KEEP : CORE_RK_URL;
	}
	return 1;
}

/* Characters of a local part (before the at sign). */
static int
is_local(unsigned char c)
{
	return is_alnum(c) || c == '_' || c == '%' || c == '+' || c == '-';
}

/*
 * A written-out connector at j: "[at]", "(at)", " at ", "@" with spaces
 * and the like for want = 'a'; "[dot]", " dot ", " titik " and the like
 * for want = 'd'. Returns its length; *odd is set when it is not the
 * plain '@' or '.'.
 */
static size_t
connector(const struct scan *sc, size_t j, int want, int *odd)
{
	static const char *const at_forms[] = {
		"[at]", "(at)", "{at}", "<at>", "[@]", "(@)", "{@}", "<@>",
	};
	static const char *const dot_forms[] = {
		"[dot]", "(dot)", "{dot}", "<dot>", "[.]", "(.)", "{.}",
	};
	const char *const	*forms = want == 'a' ? at_forms : dot_forms;
	size_t			 nforms = want == 'a' ?
				    sizeof(at_forms) / sizeof(at_forms[0]) :
				    sizeof(dot_forms) / sizeof(dot_forms[0]);
	size_t			 k = j, f, b;

	if (want == 'a' && at(sc, k) == '@') {
		return 1;
	}
	if (want == 'd' && at(sc, k) == '.')
		return 1;
	while (at(sc, k) == ' ' && k - j < 2)
		k++;
	/* What every form below starts with. */
	switch (at(sc, k)) {
	case '[': case '(': case '{': case '<': case '@': case 'a': case 'd':
	case 't':
		break;
	default:
		return 0;
	}
	for (f = 0; f < nforms; f++)
		if (has(sc, k, forms[f])) {
			b = k + strlen(forms[f]);
			while (at(sc, b) == ' ' && b - k < strlen(forms[f]) + 2)
				b++;
			*odd = 1;
			return b - j;
		}
	if (want == 'a' && at(sc, k) == '@' && k > j) {
		b = k + 1;
		while (at(sc, b) == ' ' && b - k < 3)
			b++;
		*odd = 1;
		return b - j;
	}
	/* The bare words need a space on each side. */
	if (k > j && (want == 'a' ? has(sc, k, "at ") :
	    (has(sc, k, "dot ") || has(sc, k, "titik ")))) {
		b = k + (want == 'a' ? 2 : has(sc, k, "dot ") ? 3 : 5);
		while (at(sc, b) == ' ' && b - k < 8)
			b++;
		*odd = 2;
		return b - j;
	}
	if (want == 'a' && k == j && at(sc, k) == '@')
		return 1;
	return 0;
}

/*
 * E-mail addresses, also written out: "budi@x.co.id", "budi [at] x [dot]
 * com", "budi(at)x(dot)com", "budi at x dot com", "budi @ gmail.com",
 * "budi@gmail". The full-width at sign is '@' in the shadow.
 */
static int
match_email(const struct scan *sc, size_t i, struct hit *h)
{
	size_t	j = i, k, c, labels = 0, first = 0, dstart, best;
	int	odd = 0, wordat = 0, worddot = 0, o;

	if (i > 0 && i != sc->last_end && (is_alnum(sc->s[i - 1]) ||
	    in_set(sc->s[i - 1], "._%+-")))
		return 0;
	/* local part: atoms joined by dots, written or not */
	for (;;) {
		k = j;
		while (k < sc->n && is_local(sc->s[k]) && k - i <= EMAIL_LOCAL_MAX)
			k++;
		if (k == j || k - i > EMAIL_LOCAL_MAX)
			return 0;
		j = k;
		o = 0;
		if ((c = connector(sc, j, 'd', &o)) > 0 && o != 2 &&
		    is_local(at(sc, j + c))) {
			odd |= o;
			j += c;
			continue;
		}
		break;
	}
	o = 0;
	if ((c = connector(sc, j, 'a', &o)) == 0)
		return 0;
	odd |= o;
	wordat = o == 2;
	j += c;
	dstart = j;
	/*
	 * Domain: labels joined by dots, written or not. The address ends
	 * after the last label at which it is whole (a top-level domain of
	 * two letters or more, a known one when anything was written out;
	 * or a provider alone, "budi@gmail"): what follows a shorter valid
	 * address ("budi@gmail.3333") is read on its own, as it will be
	 * once the address is a marker.
	 */
	for (best = 0;;) {
		k = j;
		while (k < sc->n && is_label(sc->s[k]) && k - i < DOMAIN_MAX)
			k++;
		if (k == j || sc->s[j] == '-')
			break;
		if (labels++ == 0)
			first = k;
		/* the label's letters; digits glued to a top-level domain
		 * are not its own */
		for (c = j; c < k && is_alpha(sc->s[c]); c++)
			;
		if (c == k || (c > j && is_digit(sc->s[c]))) {
			if (wordat && !worddot && !WORD_IN(sc, dstart, first -
			    dstart, providers))
				;	/* "the office at lapor.go.id" */
			else if (labels == 1 ? !wordat && WORD_IN(sc, j, c - j,
			    providers) : c - j >= 2 && (!(odd || wordat) ||
			    known_tld(sc, j, c)))
				best = c;
		}
		if (c < k)
			break;
		o = 0;
		if ((c = connector(sc, k, 'd', &o)) > 0 &&
		    is_label(at(sc, k + c)) && at(sc, k + c) != '-') {
			odd |= o;
			worddot |= o == 2;
			j = k + c;
			continue;
		}
		break;
	}
	if (best == 0)
		return 0;
	h->ms = i;
	h->me = h->next = best;
	h->kind = CORE_RK_EMAIL;
	return 1;
}

/* ---- Social-media accounts --------------------------------------------- */

static int
is_handle(unsigned char c)
{
	return is_alnum(c) || c == '_' || c == '.';
}

/* The end of a handle from j (its '.'s inside only), or j. */
static size_t
handle_end(const struct scan *sc, size_t j)
{
	size_t k = j;

	/* To the end of its characters, however long: a handle cut short
	 * would leave its tail for the agency. */
	while (k < sc->n && is_handle(sc->s[k]))
		k++;
	while (k > j && sc->s[k - 1] == '.')
		k--;
	return k;
}

/* "@nama_akun" (not an address: nothing of a word before the '@').
 * "@5000" and "@Rp5.000" are prices each, not accounts. */
static int
match_at_handle(const struct scan *sc, size_t i, struct hit *h)
{
	size_t	e, k;
	int	letters = 0;

	if (sc->s[i] != '@' || (i > 0 && i != sc->last_end &&
	    (is_alnum(sc->s[i - 1]) || in_set(sc->s[i - 1], "._%+-"))))
		return 0;
	e = handle_end(sc, i + 1);
	if (e < i + 3 && !(e == i + 2 && is_alpha(sc->s[i + 1])))
		return 0;
	for (k = i + 1; k < e; k++)
		letters |= is_alpha(sc->s[k]) || sc->s[k] == '_';
	if (!letters)
		return 0;
	/* A price: the digits after it, unless they start a mask of their
	 * own ("@Rp 1x.com"), which a second pass would not read as one. */
	if (has(sc, i + 1, "rp") && (is_digit(at(sc, i + 3)) ||
	    (in_set(at(sc, i + 3), " .") && is_digit(at(sc, i + 4)) &&
	    !starts_mask(sc, i + 4))))
		return 0;
	h->ms = i;
	h->me = h->next = e;
	h->kind = CORE_RK_HANDLE;
	return 1;
}

/* ---- Words that end a name --------------------------------------------- */

/*
 * Words that are not part of a name after "nama saya", "atas nama", ...:
 * function words, the verbs and adverbs that follow "saya" in a
 * sentence, the words of an address and of a self-description. A name
 * read after a trigger stops at the first of them.
 */
static const char *const stopwords[] = {
	/* Indonesian */
	"ada", "adalah", "agar", "akan", "aku", "alamat", "anak", "anda",
	"asal", "asli", "atas", "atau", "bagi", "bahwa", "baru", "bekerja",
	"belum", "beralamat", "berasal", "berdomisili", "bersama", "beserta",
	"bisa", "blm", "bukan", "dalam", "dan", "dapat", "dari", "demikian",
	"dengan", "dengar", "desa", "dgn", "di", "dia", "dinas", "domisili",
	"dong", "dulu", "email", "ga", "gak", "guru", "hanya", "harap",
	"harus", "hendak", "hp", "ialah", "ijin", "ingin", "ini", "itu",
	"iya", "izin", "jalan", "jl", "juga", "kab", "kabupaten", "kami",
	"kantor", "karena", "karyawan", "kec", "kecamatan", "kel",
	"kelurahan", "kepada", "kepala", "kira", "kita", "kota", "kpd", "krn",
	"ktp", "lagi", "lahir", "lapor", "lengkap", "lihat", "mahasiswa",
	"mau", "melalui", "melapor", "melaporkan", "memberi", "memohon",
	"mengadu", "mengadukan", "mengenai", "menyampaikan", "merasa",
	"mereka", "merupakan", "minta", "mohon", "nelayan", "nggak", "nik",
	"no", "nomor", "npwp", "oleh", "orang", "pada", "pedagang",
	"pegawai", "pekerjaan", "pelajar", "pelapor", "pemilik", "pengemudi",
	"penduduk", "pengadu", "pernah", "petani", "pikir", "pribadi",
	"provinsi", "pun", "rasa", "rek", "rekening", "rt", "rw", "saja",
	"saksi", "sampaikan", "sangat", "saya", "sbg", "sdh", "sebagai",
	"sedang", "sehingga", "sejak", "selaku", "sendiri", "seorang",
	"sering", "siswa", "soal", "sopir", "sudah", "supir", "sy", "tak",
	"tahu", "telah", "telp", "tentang", "terkait", "tidak", "tdk",
	"tinggal", "tolong", "tsb", "umur", "untuk", "usia", "utk", "wa",
	"wali", "warga", "yakin", "yang", "yg",
	/* English */
	"a", "about", "afraid", "also", "am", "an", "and", "are", "as", "at",
	"by", "citizen", "complain", "complaining", "concerned", "contacting",
	"for", "from", "going", "glad", "happy", "here", "i", "in", "is",
	"living", "local", "me", "my", "not", "of", "on", "or", "our",
	"please", "regarding", "report", "reporting", "resident", "residing",
	"so", "sorry", "that", "the", "this", "to", "unable", "very", "was",
	"we", "who", "with", "worried", "writing",
};

/* Titles before a name: skipped, the name after them is masked. */
static const char *const honorifics[] = {
	"bapak", "bpk", "pak", "ibu", "bu", "sdr", "sdri", "saudara",
	"saudari", "mas", "mbak", "kak", "mr", "mrs", "ms", "miss", "dr",
	"hj", "h", "ir",
};

/* Particles inside a capitalised name that are written in lower case. */
static const char *const particles[] = {
	"al", "bin", "binti", "da", "de", "van", "von",
};

/* After "saya <name>": the words that make it a self-introduction. */
static const char *const roles_id[] = {
	"anak", "asal", "ayah", "beralamat", "berasal", "berdomisili", "buruh",
	"dari", "domisili", "guru", "ibu", "istri", "karyawan", "ketua",
	"mahasiswa", "nelayan", "orang", "pedagang", "pegawai", "pelajar",
	"pelapor", "pemilik", "pengemudi", "penduduk", "petani", "sopir",
	"suami", "supir", "tinggal", "umur", "usia", "wali", "warga", "yang",
};
static const char *const roles_en[] = {
	"a", "an", "from", "here", "living", "resident", "residing", "the",
	"who",
};

static size_t
word_len(const struct scan *sc, size_t i)
{
	size_t k = i;

	while (k < sc->n && is_letter(sc->s[k]))
		k++;
	return k - i;
}

/*
 * Words of a name from j: letters (any script) with an inner apostrophe
 * or hyphen ("Ma'ruf"), or an initial with its dot ("M."), joined by one
 * or two spaces. In a name whose first letter is a capital, every word
 * but a particle must start with one; otherwise at most
 * NAME_WORDS_LOWER words. Stops at a stop word, a digit, punctuation or
 * a line end. Returns the end of the last word, or 0 with no word.
 */
static size_t
name_words(const struct scan *sc, size_t j, int need_cap, int *capmode)
{
	size_t	k = j, w, end = 0, words = 0, max, p;
	int	cap = orig_upper(sc, j);

	if (need_cap && !cap)
		return 0;
	max = cap ? NAME_WORDS_MAX : NAME_WORDS_LOWER;
	while (words < max) {
		w = word_len(sc, k);
		/* "Ma'ruf", "Siti-Aminah": joined while the word stays
		 * within NAME_WORD_BYTES, so that whether a long tail is
		 * joined never turns the name as a whole down. */
		while (w > 0 && in_set(at(sc, k + w), "'-") &&
		    is_letter(at(sc, k + w + 1)) && w + 1 + word_len(sc,
		    k + w + 1) <= NAME_WORD_BYTES)
			w += 1 + word_len(sc, k + w + 1);
		/* A mask may start inside the run, after a letter of
		 * another script or an apostrophe (an "ø" glued to "x.co"):
		 * the word ends there, as it will beside its marker. Past
		 * NAME_WORD_BYTES the word is too long either way. */
		for (p = k + 1; p < k + w && p <= k + NAME_WORD_BYTES; p++)
			if (!is_alnum(sc->s[p - 1]) && is_alpha(sc->s[p]) &&
			    starts_mask_inword(sc, p)) {
				w = p - k;
				break;
			}
		/* Whatever follows a word ends it, digits and '@' too:
		 * they may be masked on their own, and the word must read
		 * the same beside their marker. */
		if (w == 0 || w > NAME_WORD_BYTES)
			break;
		if (WORD_IN(sc, k, w, stopwords) && !(w == 1 &&
		    at(sc, k + 1) == '.' && words > 0))
			break;
		if (words > 0 && cap && !orig_upper(sc, k) &&
		    !WORD_IN(sc, k, w, particles))
			break;
		if (w == 1 && at(sc, k + 1) == '.')
			w++;		/* an initial */
		words++;
		end = k + w;
		k = end;
		if (at(sc, k) == ' ')
			k++;
		else if (sc->s[k - 1] != '.')
			break;
		if (at(sc, k) == ' ')
			k++;
		if (!is_letter(at(sc, k)))
			break;
	}
	if (capmode != NULL)
		*capmode = cap;
	return end;
}

/* Skips one title ("Bapak", "Bu", "Sdr.") at j; returns where the name
 * starts, j if there is none. */
static size_t
skip_honorific(const struct scan *sc, size_t j)
{
	size_t	w = alpha_run(sc, j), k;

	if (w == 0 || !WORD_IN(sc, j, w, honorifics))
		return j;
	k = j + w;
	if (at(sc, k) == '.')
		k++;
	if (at(sc, k) != ' ')
		return j;
	/* Past the title even when no name follows ("Bapak [nama
	 * disamarkan]"), so that the title is never taken for a name. */
	while (at(sc, k) == ' ' && k - j - w < 3)
		k++;
	return k;
}

/* ---- Self-identification ----------------------------------------------- */

enum trig {
	T_DIRECT,	/* "nama saya X", "atas nama X", "my name is X" */
	T_DIRECT_CAP,	/* the same, but only a capitalised X ("an. X") */
	T_COLON,	/* "nama: X", "pelapor: X" */
	T_SIGN,		/* "hormat saya,\nX", "ttd. X", "regards, X" */
	T_SIGNWEAK,	/* "terima kasih,\nX" at the end of a line */
	T_SAYA,		/* "saya X, warga ..." */
	T_IAM,		/* "I am X, a resident ..." */
	T_MAX
};

static const struct {
	const char	*text;
	enum trig	 type;
} triggers[] = {
	{ "a.n.", T_DIRECT }, { "a.n", T_DIRECT }, { "a/n", T_DIRECT },
	{ "an.", T_DIRECT_CAP }, { "aku bernama", T_DIRECT },
	{ "aku", T_SAYA }, { "atas nama", T_DIRECT },
	{ "best regards", T_SIGN }, { "full name", T_COLON },
	{ "hormat kami", T_SIGN }, { "hormat saya", T_SIGN },
	{ "i am", T_IAM }, { "i'm", T_IAM }, { "kind regards", T_SIGN },
	{ "my name is", T_DIRECT }, { "my name's", T_DIRECT },
	{ "nama aku", T_DIRECT }, { "nama lengkap saya", T_DIRECT },
	{ "nama lengkap", T_COLON }, { "nama pelapor", T_COLON },
	{ "nama saya", T_DIRECT }, { "nama sy", T_DIRECT },
	{ "nama", T_COLON }, { "namaku", T_DIRECT }, { "name", T_COLON },
	{ "pelapor", T_COLON }, { "pengirim", T_COLON },
	{ "perkenalkan nama saya", T_DIRECT }, { "regards", T_SIGN },
	{ "reporter", T_COLON }, { "salam hormat", T_SIGN },
	{ "salam", T_SIGNWEAK }, { "saya bernama", T_DIRECT },
	{ "saya sendiri", T_SAYA },
	{ "saya", T_SAYA }, { "signed", T_SIGN }, { "sincerely", T_SIGN },
	{ "sy bernama", T_DIRECT }, { "sy", T_SAYA },
	{ "terima kasih", T_SIGNWEAK }, { "tertanda", T_SIGN },
	{ "thank you", T_SIGNWEAK }, { "thanks", T_SIGNWEAK },
	{ "ttd", T_SIGN }, { "wassalam", T_SIGNWEAK },
	{ "yours faithfully", T_SIGN }, { "yours sincerely", T_SIGN },
	{ "yours truly", T_SIGN },
};

/* After a name: spaces, then ','? then the first word; 1 if it is one of
 * the role words (and, for a lower-case name, after a comma). */
static int
role_follows(const struct scan *sc, size_t k, int en, int cap)
{
	size_t	w;
	int	comma = 0;

	while (at(sc, k) == ' ')
		k++;
	if (at(sc, k) == ',') {
		comma = 1;
		k++;
		while (at(sc, k) == ' ')
			k++;
	}
	if (!cap && !comma)
		return 0;
	w = alpha_run(sc, k);
	if (w == 0 || is_letter(at(sc, k + w)))
		return 0;
	return en ? WORD_IN(sc, k, w, roles_en) : WORD_IN(sc, k, w, roles_id);
}

static int
match_selfid(const struct scan *sc, size_t i, struct hit *h)
{
	size_t	t, j, k, ns, ne, tl;
	int	type = -1, colon = 0, comma = 0, lines = 0, cap = 0;

	if (!is_alpha(sc->s[i]))
		return 0;
	/* The longest trigger that is here. */
	for (t = 0, tl = 0; t < sizeof(triggers) / sizeof(triggers[0]); t++) {
		if (triggers[t].text[0] != (char)sc->s[i])
			continue;
		k = strlen(triggers[t].text);
		if (k > tl && has(sc, i, triggers[t].text) &&
		    (!is_w(at(sc, i + k)) || sc->s[i + k - 1] == '.')) {
			tl = k;
			type = (int)triggers[t].type;
		}
	}
	if (type < 0)
		return 0;
	j = i + tl;
	/* The connector: spaces, at most one of ":-,=." and line ends. */
	for (k = 0; k < 12 && j < sc->n; k++, j++) {
		if (sc->s[j] == ' ')
			continue;
		if (sc->s[j] == '\n' && (type == T_SIGN ||
		    type == T_SIGNWEAK) && lines < 2) {
			lines++;
			continue;
		}
		if (in_set(sc->s[j], ":-=") && !colon && !comma) {
			colon = 1;
			continue;
		}
		if (sc->s[j] == ',' && !colon && !comma) {
			comma = 1;
			continue;
		}
		if (sc->s[j] == '.' && (type == T_SIGN) && !colon) {
			colon = 1;
			continue;
		}
		break;
	}
	if (type == T_COLON && !colon)
		return 0;
	if (type == T_SIGNWEAK && !comma && !lines)
		return 0;
	if ((type == T_SAYA || type == T_IAM) && (colon || lines))
		return 0;
	if (type == T_DIRECT && (has(sc, j, "adalah ") || has(sc, j, "is ")))
		j += has(sc, j, "is ") ? 3 : 7;
	ns = skip_honorific(sc, j);
	if (type == T_SIGNWEAK && ns != j)
		return 0;	/* thanks to someone else */
	if (ns == j && j > i + tl && !is_letter(at(sc, j)))
		return 0;
	if ((ne = name_words(sc, ns, type == T_DIRECT_CAP ||
	    type == T_SIGNWEAK, &cap)) == 0)
		return 0;
	switch (type) {
	case T_SIGNWEAK:
		/* a signature: the name ends its line */
		for (k = ne; at(sc, k) == ' ' || at(sc, k) == '.'; k++)
			;
		if (k < sc->n && sc->s[k] != '\n')
			return 0;
		break;
	case T_SAYA:
	case T_IAM:
		if (comma) {
			/* "Saya, Budi Santoso, warga ...": the name is
			 * between two commas */
			for (k = ne; at(sc, k) == ' '; k++)
				;
			if (at(sc, k) != ',')
				return 0;
		} else if (!role_follows(sc, ne, type == T_IAM, cap))
			return 0;
		break;
	default:
		break;
	}
	h->ms = ns;
	h->me = h->next = ne;
	h->kind = CORE_RK_NAME;
	return 1;
}

/* ---- Accounts named by their platform ---------------------------------- */

/*
 * "IG nama_akun", "ig: nama.akun", "tiktok @x", "twitter/X @x",
 * "akun IG saya budi", "fb: Budi Santoso".
 */
static int
match_platform(const struct scan *sc, size_t i, struct hit *h)
{
	static const struct {
		const char	*w;
		int		 strong;	/* a plain word after it is a
						   handle */
		int		 name;		/* the account is a name */
	} plats[] = {
		{ "facebook", 0, 1 }, { "fb", 0, 1 }, { "ig", 1, 0 },
		{ "insta", 1, 0 }, { "instagram", 1, 0 }, { "line", 0, 0 },
		{ "linkedin", 0, 1 }, { "snapchat", 1, 0 },
		{ "telegram", 1, 0 }, { "threads", 1, 0 }, { "tiktok", 1, 0 },
		{ "twitter", 1, 0 }, { "x", 0, 0 }, { "youtube", 0, 0 },
		{ "yt", 0, 0 },
	};
	static const char *const poss[] = {
		"aku", "gue", "gw", "kami", "ku", "my", "saya", "sy",
	};
	static const char *const generic[] = {
		"akun", "official", "resmi", "story", "live", "reels", "post",
		"postingan", "video", "foto", "konten", "komentar", "dm",
		"inbox", "page", "halaman", "grup", "group", "viral", "juga",
		"pemda", "pemkot", "pemkab", "ramai", "heboh",
	};
	size_t	p, w = alpha_run(sc, i), j, e, k;
	int	colon = 0, own = 0, special = 0, found = -1, cap;

	if (w == 0 || w > 9)
		return 0;
	for (p = 0; p < sizeof(plats) / sizeof(plats[0]); p++)
		if (plats[p].w[0] == (char)sc->s[i] && strlen(plats[p].w) == w &&
		    memcmp(sc->s + i, plats[p].w, w) == 0)
			found = (int)p;
	if (found < 0 || is_w(at(sc, i + w)))
		return 0;
	j = i + w;
	if (has(sc, j, "/x") && !is_w(at(sc, j + 2)))
		j += 2;
	while (at(sc, j) == ' ')
		j++;
	k = alpha_run(sc, j);
	if (k > 0 && WORD_IN(sc, j, k, poss) && !is_w(at(sc, j + k))) {
		own = 1;
		j += k;
		while (at(sc, j) == ' ')
			j++;
	}
	if (in_set(at(sc, j), ":-=")) {
		colon = 1;
		j++;
		while (at(sc, j) == ' ')
			j++;
	}
	if (j == i + w)
		return 0;
	if (at(sc, j) == '@') {
		e = handle_end(sc, j + 1);
		if (e <= j + 1)
			return 0;
		h->ms = j;
		h->me = h->next = e;
		h->kind = CORE_RK_HANDLE;
		return 1;
	}
	if (plats[found].name && (colon || own)) {
		if ((e = name_words(sc, j, 0, &cap)) == 0)
			return 0;
		h->ms = j;
		h->me = h->next = e;
		h->kind = CORE_RK_HANDLE;
		return 1;
	}
	/* The handle ends where its characters end, whatever follows:
	 * digits in it must not be read as a number of their own. */
	e = handle_end(sc, j);
	if (e < j + 2)
		return 0;
	for (k = j; k < e; k++)
		special |= !is_alpha(sc->s[k]);
	if (!special && (WORD_IN(sc, j, e - j, stopwords) ||
	    WORD_IN(sc, j, e - j, generic)))
		return 0;
	/* A plain word after a platform is a handle only when long:
	 * "IG budisantoso", not "di tiktok banyak yang ...". */
	if (!(colon || own || special || (plats[found].strong &&
	    e - j >= PLAIN_HANDLE_MIN)))
		return 0;
	h->ms = j;
	h->me = h->next = e;
	h->kind = CORE_RK_HANDLE;
	return 1;
}

/* ---- Vehicle plates ---------------------------------------------------- */

/* Region codes of Indonesian plates. */
static const char plate1[] = "abdefghklmnprstwz";
static const char *const plate2[] = {
	"aa", "ab", "ad", "ae", "ag", "ba", "bb", "bd", "be", "bg", "bh",
	"bk", "bl", "bm", "bn", "bp", "da", "db", "dc", "dd", "de", "dg",
	"dh", "dk", "dl", "dm", "dn", "dr", "dt", "ea", "eb", "ed", "kb",
	"kh", "kt", "ku", "pa", "pb",
};
/* Words after a number that make "d 12 km" a measure, not a plate
 * (in text that is not in capitals). */
static const char *const not_suffix[] = {
	"am", "bln", "cm", "dan", "di", "dll", "dgn", "hr", "ini", "itu",
	"jam", "jt", "kg", "kk", "km", "ml", "mm", "mg", "no", "org", "pm",
	"rb", "rt", "rw", "th", "thn", "wib", "wit", "ya", "yg",
};

/* At most two spaces or one dash between parts of a plate. */
static size_t
plate_sep(const struct scan *sc, size_t j)
{
	size_t k = j;

	while (at(sc, k) == ' ' && k - j < 2)
		k++;
	if (at(sc, k) == '-' && k == j) {
		k++;
		while (at(sc, k) == ' ' && k - j < 2)
			k++;
	}
	return k - j;
}

/* "B 1234 XYZ", "b1234xyz", "B-1234-XYZ", "AB 12 C". */
static int
match_plate(const struct scan *sc, size_t i, struct hit *h)
{
	size_t	r = alpha_run(sc, i), j, d, x, k;
	int	upper = 1, ok;

	if (r == 1)
		ok = in_set(sc->s[i], plate1);
	else if (r == 2)
		ok = WORD_IN(sc, i, 2, plate2);
	else
		return 0;
	if (!ok || (i > 0 && i != sc->last_end && is_alnum(sc->s[i - 1])))
		return 0;
	j = i + r;
	j += plate_sep(sc, j);
	d = digit_run(sc, j);
	if (d < 1 || d > 4 || sc->s[j] == '0')
		return 0;
	j += d;
	j += plate_sep(sc, j);
	x = alpha_run(sc, j);
	if (x < 1 || x > 3 || at(sc, j + x) >= 0x80)
		return 0;
	for (k = i; k < j + x; k++)
		if (is_alpha(sc->s[k]) && !orig_upper(sc, k))
			upper = 0;
	if (!upper && (d < 2 || WORD_IN(sc, j, x, not_suffix)))
		return 0;
	h->ms = i;
	h->me = h->next = j + x;
	h->kind = CORE_RK_PLATE;
	return 1;
}

/* Case references of our own and their kind ("BSK-2026-000123"): kept,
 * so that their digits are not read as an account. */
static int
match_caseref(const struct scan *sc, size_t i, struct hit *h)
{
	size_t	r = alpha_run(sc, i), j, d;

	if (r < 2 || r > 6 || at(sc, i + r) != '-')
		return 0;
	j = i + r + 1;
	if (digit_run(sc, j) != 4 || !(has(sc, j, "19") || has(sc, j, "20")) ||
	    at(sc, j + 4) != '-')
		return 0;
	j += 5;
	d = digit_run(sc, j);
	if (d < 1 || d > 12 || is_w(at(sc, j + d)))
		return 0;
	h->ms = i;
	h->me = h->next = j + d;
	h->kind = KEEP;
	return 1;
}

/* ---- Numbers ----------------------------------------------------------- */

/* Words that name the number after them. */
enum ctx { CTX_NONE, CTX_NIK, CTX_NPWP, CTX_ACCOUNT, CTX_PHONE };

static const struct {
	const char	*w;
	enum ctx	 c;
} ctx_words[] = {
	{ "account", CTX_ACCOUNT }, { "acc", CTX_ACCOUNT },
	{ "atm", CTX_ACCOUNT }, { "bank", CTX_ACCOUNT },
	{ "bca", CTX_ACCOUNT }, { "bni", CTX_ACCOUNT },
	{ "bpjs", CTX_ACCOUNT }, { "bri", CTX_ACCOUNT },
	{ "bsi", CTX_ACCOUNT }, { "btn", CTX_ACCOUNT },
	{ "call", CTX_PHONE }, { "card", CTX_ACCOUNT },
	{ "cimb", CTX_ACCOUNT }, { "contact", CTX_PHONE },
	{ "credit", CTX_ACCOUNT }, { "danamon", CTX_ACCOUNT },
	{ "debit", CTX_ACCOUNT }, { "gopay", CTX_ACCOUNT },
	{ "handphone", CTX_PHONE }, { "hp", CTX_PHONE },
	{ "hubungi", CTX_PHONE }, { "jago", CTX_ACCOUNT },
	{ "kartu", CTX_ACCOUNT }, { "kependudukan", CTX_NIK },
	{ "kontak", CTX_PHONE }, { "kredit", CTX_ACCOUNT },
	{ "ktp", CTX_NIK }, { "linkaja", CTX_ACCOUNT },
	{ "mandiri", CTX_ACCOUNT }, { "mobile", CTX_PHONE },
	{ "nik", CTX_NIK }, { "niaga", CTX_ACCOUNT },
	{ "norek", CTX_ACCOUNT }, { "npwp", CTX_NPWP },
	{ "ocbc", CTX_ACCOUNT }, { "ovo", CTX_ACCOUNT },
	{ "permata", CTX_ACCOUNT }, { "phone", CTX_PHONE },
	{ "ponsel", CTX_PHONE }, { "rek", CTX_ACCOUNT },
	{ "rekening", CTX_ACCOUNT }, { "seabank", CTX_ACCOUNT },
	{ "shopeepay", CTX_ACCOUNT }, { "sms", CTX_PHONE },
	{ "tel", CTX_PHONE }, { "telepon", CTX_PHONE },
	{ "telp", CTX_PHONE }, { "telpon", CTX_PHONE },
	{ "tlp", CTX_PHONE }, { "va", CTX_ACCOUNT },
	{ "virtual", CTX_ACCOUNT }, { "wa", CTX_PHONE },
	{ "whatsapp", CTX_PHONE },
};

/*
 * The nearest word naming the number that starts at i, within
 * CONTEXT_BYTES in the same clause and after the last mask: another
 * number, a line end or a mask has its own name.
 */
static enum ctx
number_context(const struct scan *sc, size_t i)
{
	size_t	k = i, lo, e, w, t;

	lo = i > CONTEXT_BYTES ? i - CONTEXT_BYTES : 0;
	if (lo < sc->last_end)
		lo = sc->last_end;
	while (k > lo) {
		if (is_digit(sc->s[k - 1]) || in_set(sc->s[k - 1], "\n;!?]"))
			return CTX_NONE;
		if (!is_alpha(sc->s[k - 1])) {
			k--;
			continue;
		}
		e = k;
		while (k > lo && is_alpha(sc->s[k - 1]))
			k--;
		if (k > 0 && k == lo && lo != sc->last_end &&
		    is_alpha(sc->s[k - 1]))
			return CTX_NONE;	/* cut off */
		w = e - k;
		for (t = 0; t < sizeof(ctx_words) / sizeof(ctx_words[0]); t++)
			if (ctx_words[t].w[0] == (char)sc->s[k] &&
			    strlen(ctx_words[t].w) == w &&
			    memcmp(sc->s + k, ctx_words[t].w, w) == 0)
				return ctx_words[t].c;
	}
	return CTX_NONE;
}

/* A currency just before i ("Rp", "Rp.", "IDR", "USD", "$"), after the
 * last mask. */
static int
currency_before(const struct scan *sc, size_t i)
{
	static const char *const cur[] = {
		"eur", "idr", "myr", "rm", "rp", "sgd", "usd",
	};
	size_t	k = i, skipped = 0, w;

	while (k > sc->last_end && skipped < 2 && (sc->s[k - 1] == ' ' ||
	    sc->s[k - 1] == '.')) {
		k--;
		skipped++;
	}
	if (k > sc->last_end && sc->s[k - 1] == '$')
		return 1;
	/* "€" and "£" in UTF-8 */
	if (k >= sc->last_end + 3 && sc->s[k - 3] == 0xe2 &&
	    sc->s[k - 2] == 0x82 && sc->s[k - 1] == 0xac)
		return 1;
	if (k >= sc->last_end + 2 && sc->s[k - 2] == 0xc2 &&
	    sc->s[k - 1] == 0xa3)
		return 1;
	for (w = 0; k - w > sc->last_end && is_alpha(sc->s[k - w - 1]); w++)
		;
	return w > 0 && WORD_IN(sc, k - w, w, cur);
}

/* A money amount: digits with '.' or ',' between digit groups. */
static size_t
amount_end(const struct scan *sc, size_t i)
{
	size_t j = i;

	for (;;) {
		j += digit_run(sc, j);
		if (in_set(at(sc, j), ".,") && is_digit(at(sc, j + 1))) {
			j++;
			continue;
		}
		return j;
	}
}

/* Reads 1..max digits at i into *v; returns how many, 0 if none or more
 * than max. */
static size_t
small_num(const struct scan *sc, size_t i, size_t max, int *v)
{
	size_t k = digit_run(sc, i), a;

	if (k == 0 || k > max)
		return 0;
	*v = 0;
	for (a = i; a < i + k; a++)
		*v = *v * 10 + (sc->s[a] - '0');
	return k;
}

/* A date: YYYY-MM-DD or DD-MM-YYYY (or YY), also with '/' or '.'. */
static size_t
match_date(const struct scan *sc, size_t i)
{
	size_t		j = i, k;
	int		a, b, c, ylen;
	unsigned char	sep;

	if ((k = small_num(sc, j, 4, &a)) == 0 || k == 3)
		return 0;
	ylen = k == 4;
	j += k;
	if (!in_set(at(sc, j), "-/."))
		return 0;
	sep = sc->s[j++];
	if ((k = small_num(sc, j, 2, &b)) == 0)
		return 0;
	j += k;
	if (at(sc, j) != sep)
		return 0;
	j++;
	if ((k = small_num(sc, j, ylen ? 2 : 4, &c)) == 0 ||
	    (!ylen && k != 4 && k != 2))
		return 0;
	j += k;
	if (ylen ? (b < 1 || b > 12 || c < 1 || c > 31) :
	    (a < 1 || a > 31 || b < 1 || b > 12))
		return 0;
	if (is_digit(at(sc, j)))
		return 0;
	return j - i;
}

/* A chain of digit groups, as a telephone or account number is written. */
struct chain {
	size_t	 ng;
	size_t	 gstart[CHAIN_GROUPS_MAX];	/* first byte ('(' or digit) */
	size_t	 gend[CHAIN_GROUPS_MAX];	/* after the last (')' or digit) */
	size_t	 doff[CHAIN_GROUPS_MAX + 1];	/* first digit of group g in d */
	char	 sep[CHAIN_GROUPS_MAX];		/* joiner before g: ' ', '-', '.' */
	int	 paren[CHAIN_GROUPS_MAX];
	int	 plus;				/* '+' or "(+" before group 0 */
	int	 cut;				/* longer than the limits */
	size_t	 start, run_end;		/* run_end: after the last group */
	char	 d[CHAIN_DIGITS_MAX + 1];
};

/*
 * The joiner at j between two groups: one or two spaces, a dash (spaces
 * around it allowed), a dot or a slash (none). Returns its length, 0 if
 * there is none; *kind gets ' ', '-', '.' or '/'.
 */
static size_t
joiner(const struct scan *sc, size_t j, char *kind)
{
	size_t	k = j, sp;

	while (at(sc, k) == ' ' && k - j < 2)
		k++;
	sp = k - j;
	if (at(sc, k) == '-') {
		k++;
		while (at(sc, k) == ' ' && k - j < 5)
			k++;
		*kind = '-';
		return k - j;
	}
	if (at(sc, k) == '.' && sp == 0 && is_digit(at(sc, k + 1))) {
		*kind = '.';
		return 1;
	}
	if (at(sc, k) == '/' && sp == 0 && is_digit(at(sc, k + 1))) {
		*kind = '/';
		return 1;
	}
	*kind = ' ';
	return sp;
}

static int
chain_add(const struct scan *sc, struct chain *ch, size_t dstart, size_t k,
    size_t gstart, size_t gend, int paren, char sep)
{
	size_t nd = ch->doff[ch->ng];

	if (nd + k > CHAIN_DIGITS_MAX)
		return -1;
	memcpy(ch->d + nd, sc->s + dstart, k);
	ch->sep[ch->ng] = sep;
	ch->paren[ch->ng] = paren;
	ch->gstart[ch->ng] = gstart;
	ch->gend[ch->ng] = gend;
	ch->ng++;
	ch->doff[ch->ng] = nd + k;
	ch->d[nd + k] = '\0';
	return 0;
}

static void
chain_read(const struct scan *sc, size_t i, struct chain *ch)
{
	size_t	j = i, k, q;
	int	paren;
	char	sep = 0;

	memset(ch, 0, sizeof(*ch));
	ch->start = i;
	if (at(sc, j) == '(' && at(sc, j + 1) == '+') {
		/* "(+62) 812 ..." */
		k = digit_run(sc, j + 2);
		if (k == 0 || k > 4 || at(sc, j + 2 + k) != ')')
			return;
		ch->plus = 1;
		(void)chain_add(sc, ch, j + 2, k, j, j + 3 + k, 0, 0);
		j += 3 + k;
		ch->run_end = j;
	} else if (at(sc, j) == '+') {
		ch->plus = 1;
		j++;
		if (at(sc, j) == ' ')
			j++;
	}
	for (;;) {
		q = j;
		sep = 0;
		if (ch->ng > 0) {
			k = joiner(sc, j, &sep);
			if (k == 0 && !(ch->paren[ch->ng - 1] &&
			    is_digit(at(sc, j))))
				break;
			q = j + k;
		}
		paren = 0;
		if (at(sc, q) == '(' && ch->ng <= 2) {
			k = digit_run(sc, q + 1);
			if (k == 0 || k > 5 || at(sc, q + 1 + k) != ')')
				break;
			paren = 1;
		} else
			k = digit_run(sc, q);
		if (k == 0)
			break;
		/* After spaces alone a group of one digit is a count
		 * ("0812 3456 7890 2 kali"), not part of the number;
		 * "+62 (0) 812" and "+60 3-2161 1234" are the exceptions. */
		if (ch->ng > 0 && sep == ' ' && k < 2 && !paren &&
		    !(ch->plus && ch->ng == 1))
			break;
		/* Past the limits the run is read to its end and masked
		 * whole (match_number): cutting it would leave a piece that
		 * a second pass reads otherwise. */
		if (!ch->cut && (ch->ng == CHAIN_GROUPS_MAX ||
		    chain_add(sc, ch, q + paren, k, q, q + k + 2 * paren,
		    paren, sep) == -1))
			ch->cut = 1;
		j = q + k + 2 * paren;
		ch->run_end = j;
	}
}

/* Digits of groups [a, b) without a "(0)" trunk group (as in "+62 (0)
 * 812"), into buf; returns their number. */
static size_t
chain_digits(const struct chain *ch, size_t a, size_t b, char *buf)
{
	size_t	g, n = 0, k;

	for (g = a; g < b; g++) {
		k = ch->doff[g + 1] - ch->doff[g];
		if (ch->paren[g] && k == 1 && ch->d[ch->doff[g]] == '0' &&
		    g > 0)
			continue;
		memcpy(buf + n, ch->d + ch->doff[g], k);
		n += k;
	}
	buf[n] = '\0';
	return n;
}

/* An international number without its '+' (or "00"): country code and
 * subscriber number, E.164 lengths; Indonesia's and NANP's exactly. */
static int
e164_ok(const char *d, size_t nd)
{
	if (nd < 8 || nd > 15 || d[0] == '0')
		return 0;
	if (d[0] == '6' && d[1] == '2') {
		if (d[2] == '0')	/* "+62 0812...": the trunk 0 */
			nd--;
		return nd >= 10 && nd <= 14;
	}
	if (d[0] == '1')
		return nd == 11;
	return 1;
}

/* A number as dialled inside a country: Indonesian mobiles 08.. (10-13
 * digits), landlines and other countries' numbers with a trunk 0 (9-12),
 * 62... without the '+', and NANP's (555) 123-4567. */
static int
domestic_ok(const struct chain *ch, size_t a, size_t b, const char *d,
    size_t nd)
{
	if (d[0] == '0' && d[1] == '8')
		return nd >= 10 && nd <= 13;
	if (d[0] == '0' && d[1] >= '1' && d[1] <= '9')
		return nd >= 9 && nd <= 12;
	if (d[0] == '6' && d[1] == '2' && d[2] >= '1' && d[2] <= '9')
		return nd >= 10 && nd <= 14;
	if (nd == 10 && b - a == 3 && d[0] >= '2' &&
	    ch->doff[a + 1] - ch->doff[a] == 3 &&
	    ch->doff[a + 2] - ch->doff[a + 1] == 3 &&
	    (ch->paren[a] || (ch->sep[a + 1] != ' ' && ch->sep[a + 2] != ' ')))
		return 1;
	return 0;
}

/* Could these 16 digits be a NIK: province, a birth date (day + 40 for
 * women), a serial number that is not 0000? */
static int
nik_plausible(const char *d)
{
	static const char *const prov =
	    "11121314151617181921313233343536515253616263646571727374757681"
	    "8291929394959697";
	int	p = (d[0] - '0') * 10 + (d[1] - '0');
	int	day = (d[6] - '0') * 10 + (d[7] - '0');
	int	mon = (d[8] - '0') * 10 + (d[9] - '0');
	size_t	k;
	int	ok = 0;

	for (k = 0; prov[k] != '\0'; k += 2)
		if ((prov[k] - '0') * 10 + (prov[k + 1] - '0') == p)
			ok = 1;
	if (day > 40)
		day -= 40;
	return ok && day >= 1 && day <= 31 && mon >= 1 && mon <= 12 &&
	    memcmp(d + 12, "0000", 4) != 0;
}

/* The old NPWP as written: 99.999.999.9-999.999 (any joiners). */
static int
npwp_form(const struct chain *ch, size_t a, size_t b)
{
	static const size_t	len[] = { 2, 3, 3, 1, 3, 3 };
	size_t			g;

	if (b - a != 6)
		return 0;
	for (g = 0; g < 6; g++)
		if (ch->doff[a + g + 1] - ch->doff[a + g] != len[g] ||
		    ch->paren[a + g])
			return 0;
	return 1;
}

/*
 * The kind groups [a, b) of the chain surely are, or NONE: an
 * international number, a named number (context), a NIK, an NPWP, a
 * domestic telephone number. Weaker guesses are the caller's. The chain
 * is taken to end at group end (b <= end).
 */
static int
classify(const struct chain *ch, size_t a, size_t b, size_t end, enum ctx ctx)
{
	char		 d[CHAIN_DIGITS_MAX + 1];
	const char	*x = ch->d + ch->doff[a];
	size_t		 nd = ch->doff[b] - ch->doff[a], n;
	int		 whole = b == end, slash = 0;

	for (n = a + 1; n < b; n++)
		if (ch->sep[n] == '/')
			slash = 1;
	if (a == 0 && ch->plus) {
		n = chain_digits(ch, a, b, d);
		return e164_ok(d, n) ? CORE_RK_PHONE : NONE;
	}
	if (nd > 2 && x[0] == '0' && x[1] == '0' && ch->paren[a] == 0) {
		n = chain_digits(ch, a, b, d);
		if (e164_ok(d + 2, n - 2))
			return CORE_RK_PHONE;
	}
	/* Slashes join the numbers of letters and decrees ("800/1234/2026");
	 * only a mobile number is taken across them ("0812/3456/7890"). */
	if (slash)
		return x[0] == '0' && x[1] == '8' && nd >= 10 && nd <= 13 ?
		    CORE_RK_PHONE : NONE;
	if (npwp_form(ch, a, b))
		return CORE_RK_NPWP;
	switch (ctx) {
	case CTX_NPWP:
		if (nd >= 8 && nd <= 16)
			return CORE_RK_NPWP;
		break;
	case CTX_NIK:
		if (nd >= 8 && nd <= 16)
			return CORE_RK_NIK;
		break;
	case CTX_ACCOUNT:
		if (nd >= 8 && nd <= 20)
			return CORE_RK_ACCOUNT;
		break;
	default:
		break;
	}
	/* By length alone only a whole chain: a prefix of 15 or 16 digits
	 * of a longer chain is not a number of its own. */
	if (whole && nd == 16 && x[0] == '0')
		return CORE_RK_NPWP;	/* the 16-digit NPWP of a firm */
	if (whole && nd == 16 && nik_plausible(x))
		return CORE_RK_NIK;
	if (whole && nd == 15)
		return CORE_RK_NPWP;
	if (domestic_ok(ch, a, b, x, nd))
		return CORE_RK_PHONE;
	if (ctx == CTX_PHONE && nd >= 6 && nd <= 15)
		return CORE_RK_PHONE;
	return NONE;
}

/* Digits grouped in thousands with '.' or ',' ("1.500.000.000"): money
 * far more often than anything personal. */
static int
thousands(const struct chain *ch, size_t a, size_t end)
{
	size_t g;

	if (end - a < 2 || (a == 0 && ch->plus) || ch->d[ch->doff[a]] == '0' ||
	    ch->paren[a] || ch->doff[a + 1] - ch->doff[a] > 3)
		return 0;
	for (g = a + 1; g < end; g++)
		if (ch->sep[g] != '.' || ch->paren[g] ||
		    ch->doff[g + 1] - ch->doff[g] != 3)
			return 0;
	return 1;
}

/*
 * A word after the chain that makes a long number an amount or a
 * measure ("1500000000 rupiah", "2500000 jiwa"). Not a word that starts
 * a mask of its own ("9010000812 m@gmail.com", "... km.co.id"): the
 * output has that mask's marker there, and a second pass, finding no
 * unit after the number, would mask it.
 */
static int
unit_after(const struct scan *sc, size_t e)
{
	static const char *const units[] = {
		"jiwa", "jt", "juta", "kg", "km", "liter", "m", "meter",
		"miliar", "milyar", "orang", "percent", "persen", "rb",
		"ribu", "rupiah", "ton", "triliun", "unit",
	};
	size_t w;

	if (at(sc, e) == '%' || (at(sc, e) == ',' && at(sc, e + 1) == '-'))
		return 1;
	if (at(sc, e) == ' ')
		e++;
	w = alpha_run(sc, e);
	return w > 0 && !is_w(at(sc, e + w)) && WORD_IN(sc, e, w, units) &&
	    !starts_mask(sc, e);
}

static int
numeric_kind(int k)
{
	return k == CORE_RK_PHONE || k == CORE_RK_NIK || k == CORE_RK_NPWP ||
	    k == CORE_RK_ACCOUNT;
}

/*
 * The first decision on groups [g0, end) of a chain, taken as a chain of
 * its own (end is where it stops, or where a mask will stop it): *kind
 * (a mask, or KEEP) for groups [g0, *gend).
 *
 *   - the longest run of groups from g0 that surely is something is
 *     masked (with the groups glued to it by a dash, dot or slash); a
 *     run that ends where something starts is read as ending the chain
 *     (a 15-digit run before a telephone number is an NPWP), as it
 *     will once that is a marker;
 *   - otherwise, if nothing starts at a later group either, the whole is
 *     masked as an account when long (10 digits or more, or 6 right
 *     after another masked number or after a word naming it:
 *     "0812 3456 7890 1234 5678"), else kept;
 *   - otherwise the groups before the first that starts something (or
 *     a date) are decided as a chain of their own.
 *
 * Deciding the groups before a later match as they will be read once
 * that match is a marker (the recursion) is what keeps a second pass
 * over the output from deciding otherwise.
 */
static void
decide(const struct scan *sc, const struct chain *ch, size_t g0, size_t end,
    enum ctx ctx, int after, int *kind, size_t *gend)
{
	size_t	a, b, c, k, m;
	int	kd, starts[CHAIN_GROUPS_MAX + 1];

	if (ctx == CTX_NONE && !after && thousands(ch, g0, end)) {
		*kind = KEEP;
		*gend = end;
		return;
	}
	/* starts[a]: a mask starts at group a; also after a date, where
	 * the scan starts again, when what it reads from there is masked */
	for (a = g0 + 1; a <= end; a++) {
		starts[a] = a == end;
		for (b = a + 1; b <= end && !starts[a]; b++)
			starts[a] = classify(ch, a, b, end, CTX_NONE) != NONE;
	}
	for (a = g0 + 1; a < end; a++) {
		if (ch->paren[a] || (m = match_date(sc, ch->gstart[a])) == 0)
			continue;
		for (c = a; c < end && ch->gend[c] < ch->gstart[a] + m; c++)
			;
		if (c + 1 < end && ch->gend[c] == ch->gstart[a] + m &&
		    !starts[c + 1]) {
			decide(sc, ch, c + 1, end, CTX_NONE, 0, &kd, &k);
			starts[c + 1] = kd >= 0;
		}
	}
	for (b = end; b > g0; b--)
		if ((kd = classify(ch, g0, b, starts[b] ? b : end, ctx)) !=
		    NONE) {
			if (b < end && ch->sep[b] != ' ')
				b = end;
			*kind = kd;
			*gend = b;
			return;
		}
	/* A date is kept whole wherever it starts (match_number), so it
	 * starts something too. */
	for (a = g0 + 1; a < end; a++)
		if (starts[a] || (!ch->paren[a] &&
		    match_date(sc, ch->gstart[a]) > 0)) {
			decide(sc, ch, g0, a, ctx, after, kind, gend);
			return;
		}
	*kind = KEEP;
	*gend = end;
	for (b = g0 + 1; b < end; b++)
		if (ch->sep[b] == '/')
			return;		/* a number of a letter: kept */
	k = ch->doff[end] - ch->doff[g0];
	if ((k >= 10 || (after && k >= 6) || (ctx != CTX_NONE && k >= 6)) &&
	    !(ctx == CTX_NONE && !after && !(g0 == 0 && ch->plus) &&
	    ch->d[ch->doff[g0]] != '0' && unit_after(sc, ch->gend[end - 1])))
		*kind = CORE_RK_ACCOUNT;
}

/*
 * A number at i (a digit not after a digit, '+' or '('). Dates and
 * amounts after a currency are kept whole; otherwise the chain of digit
 * groups from i is read and decided.
 */
static int
match_number(const struct scan *sc, size_t i, struct hit *h)
{
	struct chain	 ch;
	enum ctx	 ctx;
	size_t		 m, gap, ge;
	int		 kind, after;

	h->ms = i;
	h->kind = KEEP;
	if (is_digit(sc->s[i])) {
		if ((m = match_date(sc, i)) > 0) {
			h->me = h->next = i + m;
			return 1;
		}
		if (currency_before(sc, i)) {
			h->me = h->next = amount_end(sc, i);
			return 1;
		}
	}
	chain_read(sc, i, &ch);
	if (ch.ng == 0)
		return 0;
	ctx = number_context(sc, i);
	after = 0;
	if (numeric_kind(sc->last_kind) && sc->last_end <= i &&
	    i - sc->last_end <= 3) {
		after = 1;
		for (gap = sc->last_end; gap < i; gap++)
			if (!in_set(sc->s[gap], " -./,"))
				after = 0;
	}
	if (ch.cut) {
		h->kind = CORE_RK_ACCOUNT;
		h->me = h->next = ch.run_end;
		return 1;
	}
	decide(sc, &ch, 0, ch.ng, ctx, after, &kind, &ge);
	h->kind = kind;
	h->me = h->next = ch.gend[ge - 1];
	return 1;
}

/* ---- The scan ---------------------------------------------------------- */

static void
add_span(struct scan *sc, size_t a, size_t b, int kind)
{
	struct core_redact_span	*np;
	size_t			 start, end, cap;

	if (sc->failed || a >= b)
		return;
	core_shadow_span(sc->sh, (const char *)sc->o, sc->olen, a, b, &start,
	    &end);
	if (sc->nsp > 0 && start < sc->sp[sc->nsp - 1].end) {
		/* Two matches in one code point's shadow: one mask. */
		if (end > sc->sp[sc->nsp - 1].end)
			sc->sp[sc->nsp - 1].end = end;
		return;
	}
	if (sc->nsp == sc->cap) {
		cap = sc->cap == 0 ? 8 : sc->cap * 2;
		if ((np = reallocarray(sc->sp, cap, sizeof(*np))) == NULL) {
			sc->failed = 1;
			return;
		}
		sc->sp = np;
		sc->cap = cap;
	}
	sc->sp[sc->nsp].start = start;
	sc->sp[sc->nsp].end = end;
	sc->sp[sc->nsp].kind = kind;
	sc->nsp++;
}

/* Widens [*a, *b) of the shadow to whole code points' shadows. */
static void
snap(const struct scan *sc, size_t *a, size_t *b)
{
	const uint32_t *m = sc->sh->map;

	while (*a > 0 && m[*a - 1] == m[*a])
		(*a)--;
	while (*b < sc->n && *b > 0 && m[*b] == m[*b - 1])
		(*b)++;
}

static int
try_words(const struct scan *sc, size_t i, struct hit *h)
{
	unsigned char c = sc->s[i];

	if (!is_w(c) && c != '@')
		return 0;
	if (is_alnum(c) && match_url(sc, i, h))
		return 1;
	if ((is_local(c)) && match_email(sc, i, h))
		return 1;
	if (c == '@')
		return match_at_handle(sc, i, h);
	if (!is_alpha(c))
		return 0;
	return match_selfid(sc, i, h) || match_platform(sc, i, h) ||
	    match_plate(sc, i, h) || match_caseref(sc, i, h);
}

/*
 * Does a mask start at i, after text that the caller keeps? A matcher
 * that decides by what follows it (a unit after a number, digits after
 * "@Rp") asks this: if the text there will be a marker, a second pass
 * reads the marker, not the text, and must decide the same. With
 * nothing masked before i the scan reaches i in the state it has now,
 * so the answer is the one the scan will get there.
 */
static int
starts_mask(const struct scan *sc, size_t i)
{
	struct hit h;

	memset(&h, 0, sizeof(h));
	return word_start(sc, i) && try_words(sc, i, &h) && h.kind >= 0;
}

/*
 * starts_mask() for name_words(), inside a run of letters: a link, an
 * address or a plate. The matchers that read names themselves
 * (match_selfid, match_platform) are left out, or a run of names inside
 * names would recurse without bound.
 */
static int
starts_mask_inword(const struct scan *sc, size_t i)
{
	struct hit h;

	memset(&h, 0, sizeof(h));
	if (!word_start(sc, i))
		return 0;
	return (match_url(sc, i, &h) || match_email(sc, i, &h) ||
	    match_plate(sc, i, &h)) && h.kind >= 0;
}

/* One left-to-right scan of text: its masks, in order. */
static int
scan_text(const char *text, size_t len, struct core_redact_span **spans,
    size_t *nspans)
{
	struct core_shadow	 sh;
	struct scan		 sc;
	struct hit		 h;
	size_t			 i = 0, m;
	int			 mk, found;
	unsigned char		 c;

	*spans = NULL;
	*nspans = 0;
	if (text == NULL)
		len = 0;
	if (core_shadow_make(text != NULL ? text : "", len, 0, &sh) == -1)
		return -1;
	memset(&sc, 0, sizeof(sc));
	sc.s = sh.s;
	sc.n = sh.len;
	sc.o = (const unsigned char *)(text != NULL ? text : "");
	sc.olen = len;
	sc.sh = &sh;
	sc.last_kind = NONE;
	while (i < sc.n && !sc.failed) {
		c = sc.s[i];
		if (c == '[' && (m = marker_at(&sc, i, &mk)) > 0) {
			i += m;
			sc.last_end = i;
			sc.last_kind = mk;
			continue;
		}
		found = 0;
		memset(&h, 0, sizeof(h));
		if (word_start(&sc, i))
			found = try_words(&sc, i, &h);
		if (!found && (is_digit(c) || c == '+' || (c == '(' &&
		    (is_digit(at(&sc, i + 1)) || at(&sc, i + 1) == '+'))) &&
		    (i == 0 || i == sc.last_end || !is_digit(sc.s[i - 1])))
			found = match_number(&sc, i, &h);
		if (!found || h.next <= i) {
			/* The rest of a word's letters start nothing. */
			i++;
			if (is_alpha(c))
				while (i < sc.n && is_alpha(sc.s[i]))
					i++;
			continue;
		}
		if (h.kind >= 0) {
			snap(&sc, &h.ms, &h.me);
			add_span(&sc, h.ms, h.me, h.kind);
			if (h.next < h.me)
				h.next = h.me;
			sc.last_end = h.me;
			sc.last_kind = h.kind;
		}
		i = h.next;
	}
	core_shadow_free(&sh);
	if (sc.failed) {
		free(sc.sp);
		return -1;
	}
	*spans = sc.sp;
	*nspans = sc.nsp;
	return 0;
}

/* ---- Settling --------------------------------------------------------- */

/*
 * The masks [sp, sp + n) render text as a sequence of pieces: the text
 * between masks, copied, and each mask's marker. A cursor walks that
 * output from its start, so that positions in it, taken in order, map
 * back to the text.
 */
struct outpos {
	const struct core_redact_span	*sp;
	size_t				 n;
	size_t				 i;	/* the next mask */
	size_t				 out;	/* output offset of ... */
	size_t				 orig;	/* ... this text offset */
};

/*
 * Moves the cursor to the piece holding output byte p (not before the
 * last asked) and returns the text offset p maps to: the byte itself in
 * copied text; inside a marker, its mask's start, or for an end (last
 * byte p) its mask's end.
 */
static size_t
outpos_map(struct outpos *c, size_t p, int end)
{
	size_t seg, ml;

	for (;;) {
		if (c->i == c->n)
			return c->orig + (p - c->out) + (end ? 1 : 0);
		seg = c->sp[c->i].start - c->orig;
		if (p < c->out + seg)
			return c->orig + (p - c->out) + (end ? 1 : 0);
		ml = strlen(markers[c->sp[c->i].kind]);
		if (p < c->out + seg + ml)
			return end ? c->sp[c->i].end : c->sp[c->i].start;
		c->out += seg + ml;
		c->orig = c->sp[c->i].end;
		c->i++;
	}
}

/*
 * The union of the masks old[] (of the text) and found[] (of its output
 * with old[] rendered, mapped back), in order: masks that overlap become
 * one, of the kind of the found mask among them (it reads the longer
 * stretch; a found one is taken first where both start at one byte).
 * -1 when out of memory.
 */
static int
settle_merge(const struct core_redact_span *old, size_t nold,
    const struct core_redact_span *found, size_t nfound,
    struct core_redact_span **out, size_t *nout)
{
	struct core_redact_span	*m, *r, x;
	struct outpos		 c = { old, nold, 0, 0, 0 };
	size_t			 i, a = 0, b = 0, n = 0;
	int			 isfound;

	if ((m = reallocarray(NULL, nfound, sizeof(*m))) == NULL ||
	    (r = reallocarray(NULL, nold + nfound, sizeof(*r))) == NULL) {
		free(m);
		return -1;
	}
	for (i = 0; i < nfound; i++) {
		m[i].start = outpos_map(&c, found[i].start, 0);
		m[i].end = outpos_map(&c, found[i].end - 1, 1);
		m[i].kind = found[i].kind;
	}
	while (a < nold || b < nfound) {
		if ((isfound = b < nfound && (a == nold ||
		    m[b].start <= old[a].start)))
			x = m[b++];
		else
			x = old[a++];
		if (n > 0 && x.start < r[n - 1].end) {
			if (x.end > r[n - 1].end)
				r[n - 1].end = x.end;
			if (isfound)
				r[n - 1].kind = x.kind;
			continue;
		}
		r[n++] = x;
	}
	free(m);
	*out = r;
	*nout = n;
	return 0;
}

/*
 * The masks of text once the filter reads its own output as it reads
 * the text: scan, render, scan the output; a mask found there (a
 * decision the first scan took on text that a later mask replaced, a
 * case the rules above miss) is mapped back and joined, until a scan of
 * the output finds nothing. When max scans have not settled it, the
 * whole text is one mask of kind CORE_RK_MANUAL ("[disamarkan]", which a
 * scan leaves alone; the review treats it as the filter's, not as a
 * stretch of its own). *scans gets the number of scans (1 when the text
 * has no mask, 2 when the first scan settled it).
 */
/* core_redact_find_settled; *rendered (when asked) gets the output the
 * last scan read when that is the answer (NULL otherwise: no mask, or
 * the whole-text mask), so that core_redact does not render it again. */
static int
settle(const char *text, size_t len, int max, struct core_redact_span **spans,
    size_t *nspans, int *scans, char **rendered)
{
	struct core_redact_span	*sp, *nw, *merged;
	size_t			 nsp, nn, nm, olen;
	char			*out;
	int			 k = 1;

	*spans = NULL;
	*nspans = 0;
	if (rendered != NULL)
		*rendered = NULL;
	if (scan_text(text, len, &sp, &nsp) == -1)
		return -1;
	while (nsp > 0) {
		if (k >= max) {
			free(sp);
			if ((sp = malloc(sizeof(*sp))) == NULL)
				return -1;
			sp->start = 0;
			sp->end = len;
			sp->kind = CORE_RK_MANUAL;
			nsp = 1;
			break;
		}
		k++;
		if ((out = core_redact_render(text, len, sp, nsp,
		    &olen)) == NULL || scan_text(out, olen, &nw, &nn) == -1) {
			if (out != NULL) {
				explicit_bzero(out, olen);
				free(out);
			}
			free(sp);
			return -1;
		}
		if (nn == 0 && rendered != NULL) {
			*rendered = out;
			break;
		}
		explicit_bzero(out, olen);
		free(out);
		if (nn == 0)
			break;
		if (settle_merge(sp, nsp, nw, nn, &merged, &nm) == -1) {
			free(nw);
			free(sp);
			return -1;
		}
		free(nw);
		free(sp);
		sp = merged;
		nsp = nm;
	}
	if (scans != NULL)
		*scans = k;
	*spans = sp;
	*nspans = nsp;
	return 0;
}

int
core_redact_find_settled(const char *text, size_t len, int max,
    struct core_redact_span **spans, size_t *nspans, int *scans)
{
	return settle(text, len, max, spans, nspans, scans, NULL);
}

int core_redact_scans_max = REDACT_SCANS_MAX;

int
core_redact_find(const char *text, size_t len, struct core_redact_span **spans,
    size_t *nspans)
{
	return settle(text, len, core_redact_scans_max, spans, nspans, NULL,
	    NULL);
}

/* ---- Output ------------------------------------------------------------ */

/*
 * Sets *copy to a copy of s with NUL bytes and bytes that are not valid
 * UTF-8 made U+FFFD, or to NULL when s is clean already. The matchers
 * then see exactly what will be written, whatever the input, and a second
 * pass over the output sees the same. -1 when out of memory.
 */
int
core_redact_sanitize(const char *text, size_t len, char **copy,
    size_t *copylen)
{
	static const unsigned char	 fffd[] = { 0xef, 0xbf, 0xbd };
	const unsigned char		*s = (const unsigned char *)text;
	unsigned char			*out;
	size_t				 i = 0, k, n = 0;
	uint32_t			 cp;

	*copy = NULL;
	if (len == 0 || (memchr(s, '\0', len) == NULL &&
	    core_utf8_len(text, len) >= 0))
		return 0;
	if (len > CORE_REDACT_INPUT_MAX || (out = malloc(len * 3 + 1)) == NULL)
		return -1;
	while (i < len) {
		k = s[i] == '\0' ? 0 : core_utf8_next(s + i, len - i, &cp);
		if (k == 0) {
			memcpy(out + n, fffd, sizeof(fffd));
			n += sizeof(fffd);
			i++;
		} else {
			memcpy(out + n, s + i, k);
			n += k;
			i += k;
		}
	}
	out[n] = '\0';
	*copy = (char *)out;
	*copylen = n;
	return 0;
}

char *
core_redact_render(const char *text, size_t len,
    const struct core_redact_span *sp, size_t nsp, size_t *outlen)
{
	size_t	 total = len + 1, i, pos = 0, n = 0, ml;
	char	*out;

	for (i = 0; i < nsp; i++)
		total += strlen(markers[sp[i].kind]);
	if ((out = malloc(total)) == NULL)
		return NULL;
	for (i = 0; i < nsp; i++) {
		memcpy(out + n, text + pos, sp[i].start - pos);
		n += sp[i].start - pos;
		ml = strlen(markers[sp[i].kind]);
		memcpy(out + n, markers[sp[i].kind], ml);
		n += ml;
		pos = sp[i].end;
	}
	memcpy(out + n, text + pos, len - pos);
	n += len - pos;
	out[n] = '\0';
	if (outlen != NULL)
		*outlen = n;
	return out;
}

char *
core_redact(const char *text, size_t len)
{
	struct core_redact_span	*sp = NULL;
	char			*clean = NULL, *out = NULL;
	size_t			 nsp = 0;

	if (text == NULL)
		len = 0;
	if (core_redact_sanitize(text, len, &clean, &len) == -1)
		return NULL;
	if (clean != NULL)
		text = clean;
	if (settle(text != NULL ? text : "", len, core_redact_scans_max, &sp,
	    &nsp, NULL, &out) == 0 && out == NULL)
		out = core_redact_render(text != NULL ? text : "", len, sp,
		    nsp, NULL);
	free(sp);
	if (clean != NULL) {
		explicit_bzero(clean, len);
		free(clean);
	}
	return out;
}
