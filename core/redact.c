/*
 * redact.c: the redaction filter between a reporter's words and agency
 * staff.
 *
 * Agency staff see only the filtered text, so whatever this misses can
 * expose a reporter to the very office they complain about. The filter
 * therefore leans towards masking: a long digit run is masked even when
 * its kind is unclear, and only shapes that are plainly not personal
 * (dates, money amounts after a currency sign, short numbers) are left.
 * Each match becomes a visible marker so a reader knows something was
 * there.
 *
 * The scan is one pass, left to right. At each position where a token may
 * start (the byte written before it cannot continue it) the matchers are
 * tried in order of specificity; each is bounded or consumes what it
 * scans, so the whole pass stays linear. Matches begin and end on ASCII
 * bytes, so a marker never splits a UTF-8 sequence; bytes that are not
 * valid UTF-8 are made U+FFFD first, so the result always is. Whatever a
 * matcher looks at behind it is the output, and no match depends on text
 * that a later match may replace, so the filter is idempotent.
 */
#include <stdlib.h>
#include <string.h>

#include "core.h"
#include "core_int.h"

#define M_EMAIL		"[email disamarkan]"
#define M_PHONE		"[telepon disamarkan]"
#define M_NIK		"[NIK disamarkan]"
#define M_NPWP		"[NPWP disamarkan]"
#define M_ACCOUNT	"[rekening disamarkan]"
#define M_PLATE		"[plat nomor disamarkan]"
#define M_URL		"[tautan disamarkan]"
#define M_MANUAL	"[disamarkan]"

#define NIK_DIGITS	16
#define NPWP_DIGITS	15
/* Account numbers of Indonesian banks run from 10 digits up. */
#define ACCOUNT_DIGITS_MIN 10
/* E.164 numbers have at most 15 digits. */
#define PHONE_DIGITS_MAX 15
#define PHONE_GROUPS_MAX 8
/* RFC 5321 bounds of an address's local part and of a domain; they also
 * bound the work of a scan that does not match. */
#define EMAIL_LOCAL_MAX	64
#define DOMAIN_MAX	253
/* How far before a number a word naming it ("NPWP") still counts. */
#define NUMBER_CONTEXT	32

/* ---- Output buffer ------------------------------------------------------ */

/* Output bytes, and for the manual pass, which of them are markers. */
struct obuf {
	char		*p;
	unsigned char	*mk;
	size_t		 len, cap;
	int		 failed;
};

static int
ob_grow(struct obuf *ob, size_t need)
{
	size_t		 cap;
	char		*np;
	unsigned char	*nm;

	if (need <= ob->cap)
		return 0;
	cap = ob->cap;
	while (cap < need) {
		if (cap > ((size_t)-1) / 2)
			return -1;
		cap *= 2;
	}
	if ((np = realloc(ob->p, cap)) == NULL)
		return -1;
	ob->p = np;
	if (ob->mk != NULL) {
		if ((nm = realloc(ob->mk, cap)) == NULL)
			return -1;
		ob->mk = nm;
	}
	ob->cap = cap;
	return 0;
}

static void
ob_put(struct obuf *ob, const void *b, size_t n, int marker)
{
	if (ob->failed)
		return;
	/* +1 keeps room for the terminating NUL. */
	if (n > ((size_t)-1) - ob->len - 1 ||
	    ob_grow(ob, ob->len + n + 1) == -1) {
		ob->failed = 1;
		return;
	}
	memcpy(ob->p + ob->len, b, n);
	if (ob->mk != NULL)
		memset(ob->mk + ob->len, marker, n);
	ob->len += n;
}

static int
ob_init(struct obuf *ob, size_t hint, int marks)
{
	memset(ob, 0, sizeof(*ob));
	ob->cap = hint < ((size_t)-1) - 64 ? hint + 64 : hint;
	if ((ob->p = malloc(ob->cap)) == NULL)
		return -1;
	if (marks && (ob->mk = malloc(ob->cap)) == NULL) {
		free(ob->p);
		return -1;
	}
	return 0;
}

static void
ob_free(struct obuf *ob)
{
	free(ob->p);
	free(ob->mk);
	memset(ob, 0, sizeof(*ob));
}

/* ---- Character classes (ASCII only, independent of the locale) ---------- */

static int
is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static int
is_upper(unsigned char c)
{
	return c >= 'A' && c <= 'Z';
}

static int
is_alpha(unsigned char c)
{
	return is_upper(c) || (c >= 'a' && c <= 'z');
}

static int
is_alnum(unsigned char c)
{
	return is_alpha(c) || is_digit(c);
}

static unsigned char
to_lower(unsigned char c)
{
	return is_upper(c) ? (unsigned char)(c - 'A' + 'a') : c;
}

/* Characters of the local part of an address (before '@'). */
static int
is_local(unsigned char c)
{
	return is_alnum(c) || c == '.' || c == '_' || c == '%' || c == '+' ||
	    c == '-';
}

/* Characters of a domain label. */
static int
is_label(unsigned char c)
{
	return is_alnum(c) || c == '-';
}

static int
in_set(unsigned char c, const char *set)
{
	return c != '\0' && strchr(set, c) != NULL;
}

/* Case-insensitive: does s[i..] start with lit (lower case)? */
static int
has_prefix(const unsigned char *s, size_t n, size_t i, const char *lit)
{
	size_t	 k;

	for (k = 0; lit[k] != '\0'; k++)
		if (i + k >= n || to_lower(s[i + k]) != (unsigned char)lit[k])
			return 0;
	return 1;
}

static size_t
digit_run(const unsigned char *s, size_t n, size_t i)
{
	size_t	 k = i;

	while (k < n && is_digit(s[k]))
		k++;
	return k - i;
}

/* ---- E-mail addresses and links ----------------------------------------- */

/*
 * Domain labels from i: returns the end of the longest prefix that has at
 * least two labels and ends in an alphabetic top-level label, or 0. With
 * tlds, that label must also be one of them.
 */
static size_t
domain_end(const unsigned char *s, size_t n, size_t i, int known_tld)
{
	static const char *const tlds[] = {
		"ac", "ai", "app", "asia", "biz", "blog", "cc", "co", "com",
		"dev", "edu", "gg", "gl", "gov", "id", "info", "int", "io",
		"link", "ly", "me", "mil", "my", "net", "news", "online",
		"org", "page", "sch", "sg", "site", "store", "tech", "to",
		"tv", "uk", "us", "web", "xyz",
	};
	size_t	 k = i, start, end = 0, nlabels = 0, t, a;
	int	 ok;

	if (n - i > DOMAIN_MAX)
		n = i + DOMAIN_MAX;
	for (;;) {
		start = k;
		while (k < n && is_label(s[k]))
			k++;
		if (k == start)
			break;
		nlabels++;
		/*
		 * The top-level label is letters. Digits glued to it
		 * ("a@b.com0812...") start the next token: the address
		 * ends before them, as it will once they are masked.
		 */
		for (a = start; a < k && is_alpha(s[a]); a++)
			;
		ok = nlabels >= 2 && a - start >= 2 &&
		    (a == k || is_digit(s[a]));
		if (ok && known_tld) {
			ok = 0;
			for (t = 0; t < sizeof(tlds) / sizeof(tlds[0]); t++)
				if (strlen(tlds[t]) == a - start &&
				    has_prefix(s, n, start, tlds[t]))
					ok = 1;
		}
		if (ok)
			end = a;
		if (k + 1 < n && s[k] == '.' && is_label(s[k + 1])) {
			k++;
			continue;
		}
		break;
	}
	return end;
}

static size_t
match_email(const unsigned char *s, size_t n, size_t i)
{
	size_t	 j = i, end;

	while (j < n && is_local(s[j]) && j - i <= EMAIL_LOCAL_MAX)
		j++;
	if (j == i || j - i > EMAIL_LOCAL_MAX || j >= n || s[j] != '@')
		return 0;
	if ((end = domain_end(s, n, j + 1, 0)) == 0)
		return 0;
	return end - i;
}

/* A link runs to the next white space; closing punctuation is the
 * sentence's, not the link's. */
static size_t
url_rest(const unsigned char *s, size_t n, size_t i, size_t j)
{
	size_t	 k = j;

	while (k < n && s[k] > 0x20 && s[k] != 0x7f && s[k] != '<' &&
	    s[k] != '>' && s[k] != '"')
		k++;
	while (k > j && in_set(s[k - 1], ".,;:!?)]}'"))
		k--;
	return k > j ? k - i : 0;
}

static size_t
match_url(const unsigned char *s, size_t n, size_t i, int bare)
{
	size_t	 end;

	if (has_prefix(s, n, i, "https://"))
		return url_rest(s, n, i, i + 8);
	if (has_prefix(s, n, i, "http://"))
		return url_rest(s, n, i, i + 7);
	if (has_prefix(s, n, i, "www.") && i + 4 < n && is_label(s[i + 4]))
		return url_rest(s, n, i, i + 4);
	/*
	 * "instagram.com/nama" names a person as well as a full link does.
	 * Without a path a domain ("lapor.go.id") is left: it names an
	 * office far more often than a person.
	 */
	if (bare && (end = domain_end(s, n, i, 1)) > 0 && end < n &&
	    s[end] == '/')
		return url_rest(s, n, i, end);
	return 0;
}

/* ---- Vehicle plates ------------------------------------------------------ */

/*
 * Region codes of Indonesian plates. Matching only these (and only in
 * upper case) keeps "RT 05 RW" and "di 2 hal" out.
 */
static const char plate1[] = "ABDEFGHKLMNPRSTWZ";
static const char *const plate2[] = {
	"AA", "AB", "AD", "AE", "AG", "BA", "BB", "BD", "BE", "BG", "BH",
	"BK", "BL", "BM", "BN", "BP", "DA", "DB", "DC", "DD", "DE", "DG",
	"DH", "DK", "DL", "DM", "DN", "DR", "DT", "EA", "EB", "ED", "KB",
	"KH", "KT", "KU", "PA", "PB",
};

static size_t
match_plate(const unsigned char *s, size_t n, size_t i)
{
	size_t	 j, k, t;
	int	 ok = 0;

	if (i + 1 < n && is_upper(s[i + 1])) {
		for (t = 0; t < sizeof(plate2) / sizeof(plate2[0]); t++)
			if (s[i] == (unsigned char)plate2[t][0] &&
			    s[i + 1] == (unsigned char)plate2[t][1])
				ok = 1;
		j = i + 2;
	} else {
		ok = in_set(s[i], plate1);
		j = i + 1;
	}
	if (!ok || j >= n || s[j] != ' ')
		return 0;
	j++;
	k = digit_run(s, n, j);
	if (k < 1 || k > 4 || s[j] == '0')
		return 0;
	j += k;
	if (j >= n || s[j] != ' ')
		return 0;
	j++;
	for (k = j; k < n && is_upper(s[k]) && k - j < 4; k++)
		;
	/* A letter after the suffix makes it a word; a digit may be a
	 * number glued on, masked on its own. */
	if (k == j || k - j > 3 || (k < n && is_alpha(s[k])))
		return 0;
	return k - i;
}

/* ---- Numbers ------------------------------------------------------------- */

/* A currency at the end of s[0..i) ("Rp", "Rp.", "Rp ", "IDR", "USD",
 * "$"). */
static int
currency_before(const unsigned char *s, size_t i)
{
	size_t	 k = i, skipped = 0;

	while (k > 0 && skipped < 2 && (s[k - 1] == ' ' || s[k - 1] == '.')) {
		k--;
		skipped++;
	}
	if (k >= 1 && s[k - 1] == '$')
		return 1;
	if (k >= 2 && to_lower(s[k - 2]) == 'r' && to_lower(s[k - 1]) == 'p' &&
	    (k == 2 || !is_alpha(s[k - 3])))
		return 1;
	if (k >= 3 && (has_prefix(s, i, k - 3, "idr") ||
	    has_prefix(s, i, k - 3, "usd")) && (k == 3 || !is_alpha(s[k - 4])))
		return 1;
	return 0;
}

/* A money amount: digits with '.' or ',' between digit groups. */
static size_t
amount_len(const unsigned char *s, size_t n, size_t i)
{
	size_t	 j = i;

	for (;;) {
		j += digit_run(s, n, j);
		if (j + 1 < n && (s[j] == '.' || s[j] == ',') &&
		    is_digit(s[j + 1])) {
			j++;
			continue;
		}
		return j - i;
	}
}

/* Reads a run of 1..max digits; returns its length or 0. */
static size_t
small_num(const unsigned char *s, size_t n, size_t i, size_t max, int *v)
{
	size_t	 k = digit_run(s, n, i), a;

	if (k == 0 || k > max)
		return 0;
	*v = 0;
	for (a = i; a < i + k; a++)
		*v = *v * 10 + (s[a] - '0');
	return k;
}

/* A date, YYYY-MM-DD or DD-MM-YYYY (also with '/' or '.'): not personal,
 * and its digits must not join a following number into an account. */
static size_t
match_date(const unsigned char *s, size_t n, size_t i)
{
	size_t		 j = i, k;
	int		 a, b, c, ylen;
	unsigned char	 sep;

	if ((k = small_num(s, n, j, 4, &a)) == 0 || k == 3)
		return 0;
	ylen = k == 4;
	j += k;
	if (j >= n || !in_set(s[j], "-/."))
		return 0;
	sep = s[j++];
	if ((k = small_num(s, n, j, 2, &b)) == 0)
		return 0;
	j += k;
	if (j >= n || s[j] != sep)
		return 0;
	j++;
	if ((k = small_num(s, n, j, ylen ? 2 : 4, &c)) == 0 ||
	    (!ylen && k != 4))
		return 0;
	j += k;
	if (ylen ? (b < 1 || b > 12 || c < 1 || c > 31) :
	    (a < 1 || a > 31 || b < 1 || b > 12))
		return 0;
	return j - i;
}

/* NPWP in its written form 01.234.567.8-901.000 (any of ". -" between). */
static size_t
match_npwp(const unsigned char *s, size_t n, size_t i)
{
	static const size_t	 groups[] = { 2, 3, 3, 1, 3, 3 };
	const size_t		 ng = sizeof(groups) / sizeof(groups[0]);
	size_t			 j = i, g;

	for (g = 0; g < ng; g++) {
		if (digit_run(s, n, j) != groups[g])
			return 0;
		j += groups[g];
		if (g + 1 < ng) {
			if (j >= n || !in_set(s[j], ".- "))
				return 0;
			j++;
		}
	}
	return j - i;
}

/*
 * Is the digit string d (nd digits) a telephone number? With a '+' it is
 * any international number; without, an Indonesian one: mobile 08..,
 * landline 0 + area code, or either after the country code 62.
 */
static int
phone_ok(const char *d, size_t nd, int plus)
{
	if (nd < 2)
		return 0;
	if (plus)
		return d[0] != '0' && nd >= 8 && nd <= PHONE_DIGITS_MAX;
	if (d[0] == '0' && d[1] == '8')
		return nd >= 10 && nd <= 13;
	if (d[0] == '0' && d[1] >= '2' && d[1] <= '9')
		return nd >= 9 && nd <= 12;
	if (d[0] == '6' && d[1] == '2')
		return nd >= 10 && nd <= 14 && d[2] >= '2' && d[2] <= '9';
	return 0;
}

/*
 * Telephone numbers: an optional '+', digit groups joined by single
 * spaces, dots or dashes, and a parenthesised area code first ("(021)")
 * or after the country code ("+62 (21)").
 *
 * Returns the length of the whole chain if it is a valid number, else of
 * the longest valid prefix that a space ends ("0812 3456 7890 2 kali"),
 * else 0; *anycut gets the longest valid prefix ending at any group, for
 * the caller to use when the chain is not an account either. Every group
 * end being a possible end keeps the result from depending on what a
 * later match does to the rest of the chain, so a second pass over the
 * output finds nothing new.
 */
static size_t
match_phone(const unsigned char *s, size_t n, size_t i, size_t *anycut)
{
	char	 d[PHONE_DIGITS_MAX + 1];
	size_t	 end[PHONE_GROUPS_MAX], ndig[PHONE_GROUPS_MAX];
	size_t	 nd = 0, j = i, k, g = 0;
	int	 plus = 0, paren, whole = 1;

	*anycut = 0;
	if (s[j] == '+') {
		plus = 1;
		j++;
	}
	for (;;) {
		paren = 0;
		if (j < n && s[j] == '(' && (g == 0 || (g == 1 && plus))) {
			k = digit_run(s, n, j + 1);
			if (k == 0 || k > 5 || j + 1 + k >= n ||
			    s[j + 1 + k] != ')')
				break;
			j++;
			paren = 1;
		} else if (j < n && is_digit(s[j]))
			k = digit_run(s, n, j);
		else
			break;
		if (nd + k > PHONE_DIGITS_MAX) {
			whole = 0;	/* longer than any number */
			break;
		}
		memcpy(d + nd, s + j, k);
		nd += k;
		j += k + paren;
		end[g] = j;
		ndig[g] = nd;
		if (++g >= PHONE_GROUPS_MAX) {
			whole = 0;
			break;
		}
		if (j + 1 < n && (s[j] == '-' || s[j] == '.') &&
		    is_digit(s[j + 1]))
			j++;
		else if (j + 1 < n && s[j] == ' ' && (s[j + 1] == '(' ||
		    digit_run(s, n, j + 1) >= 2))
			j++;
		else if (!(paren && j < n && is_digit(s[j])))
			break;
	}
	for (k = g; k-- > 0;) {
		if (!phone_ok(d, ndig[k], plus))
			continue;
		if (*anycut == 0)
			*anycut = end[k] - i;
		if ((whole && k + 1 == g) || (end[k] < n && s[end[k]] == ' '))
			return end[k] - i;
	}
	return 0;
}

/*
 * Digit groups joined by single dashes, or by single spaces when the
 * first group has 3+ digits and the next 2+ (so "10 20 30" stays a list).
 * Dots do not join: "1.500.000.000" is money far more often than an
 * account. Returns the length and the number of digits.
 */
static size_t
digit_groups(const unsigned char *s, size_t n, size_t i, size_t *ndigits)
{
	size_t	 j = i, k, first = 0, nd = 0;

	for (;;) {
		k = digit_run(s, n, j);
		if (first == 0)
			first = k;
		nd += k;
		j += k;
		if (j + 1 < n && s[j] == '-' && is_digit(s[j + 1])) {
			j++;
			continue;
		}
		if (j + 1 < n && s[j] == ' ' && first >= 3 &&
		    digit_run(s, n, j + 1) >= 2) {
			j++;
			continue;
		}
		break;
	}
	*ndigits = nd;
	return j - i;
}

/*
 * The marker of a 15/16-digit number, or of a grouped long one, depends
 * on what the writer called it just before ("NIK", "NPWP", "no. rek"):
 * the new NPWP is the 16-digit NIK, and some accounts have 15 or 16
 * digits. Returns the marker of the closest such word at the end of
 * s[0..i) in the same clause, or NULL.
 */
static const char *
number_context(const unsigned char *s, size_t i)
{
	static const struct {
		const char	*word;
		const char	*marker;
	} words[] = {
		{ "npwp", M_NPWP },
		{ "nik", M_NIK },
		{ "ktp", M_NIK },
		{ "rek", M_ACCOUNT },
		{ "norek", M_ACCOUNT },
		{ "akun", M_ACCOUNT },
	};
	size_t	 k, w, lo = i > NUMBER_CONTEXT ? i - NUMBER_CONTEXT : 0;

	for (k = i; k-- > lo;) {
		/* Another number (or marker) or clause has its own name. */
		if (is_digit(s[k]) || in_set(s[k], "],;\n"))
			return NULL;
		if (k > 0 && is_alpha(s[k - 1]))
			continue;	/* words, not parts of words */
		for (w = 0; w < sizeof(words) / sizeof(words[0]); w++)
			if (has_prefix(s, i, k, words[w].word))
				return words[w].marker;
	}
	return NULL;
}

/* ---- The scan ------------------------------------------------------------ */

/*
 * Tries every matcher at i. Returns the length matched (0: none) and the
 * marker to write, or NULL to copy the matched bytes as they are (dates
 * and amounts, kept whole so no part of them is taken for a number).
 * What comes before i is read from the output written so far (out,
 * olen), not from the input: text right after a marker is judged as it
 * will be read, so a second pass over the output finds nothing new.
 */
static size_t
match_at(const unsigned char *s, size_t n, size_t i,
    const unsigned char *out, size_t olen, const char **marker)
{
	unsigned char	 c = s[i], prev = olen > 0 ? out[olen - 1] : ' ';
	size_t		 m, nd = 0, anycut;

	*marker = NULL;
	if (is_local(c) && !is_local(prev) &&
	    (m = match_email(s, n, i)) > 0) {
		*marker = M_EMAIL;
		return m;
	}
	if (is_alnum(c) && !is_alnum(prev) &&
	    (m = match_url(s, n, i, !in_set(prev, ".-@/_:"))) > 0) {
		*marker = M_URL;
		return m;
	}
	if (is_upper(c) && !is_alnum(prev) && (m = match_plate(s, n, i)) > 0) {
		*marker = M_PLATE;
		return m;
	}
	if (is_digit(prev) || !(is_digit(c) || c == '+' || c == '('))
		return 0;
	if (is_digit(c)) {
		if (currency_before(out, olen))
			return amount_len(s, n, i);
		if ((m = match_date(s, n, i)) > 0 && !(m < n - i &&
		    is_digit(s[i + m])))
			return m;
		if ((m = match_npwp(s, n, i)) > 0 && !(m < n - i &&
		    is_digit(s[i + m]))) {
			*marker = M_NPWP;
			return m;
		}
	}
	if ((m = match_phone(s, n, i, &anycut)) > 0) {
		*marker = M_PHONE;
		return m;
	}
	m = is_digit(c) ? digit_groups(s, n, i, &nd) : 0;
	if (m == 0 || nd < ACCOUNT_DIGITS_MIN) {
		/* Not an account: a number followed by more digits, e.g.
		 * "0812.3456.7890.12.345". */
		if (anycut > 0)
			*marker = M_PHONE;
		return anycut;
	}
	if ((nd == NIK_DIGITS || nd == NPWP_DIGITS) &&
	    (*marker = number_context(out, olen)) != NULL)
		return m;
	/* Unnamed, the shape decides: bare 16 digits are a NIK, bare 15 an
	 * NPWP; grouped or other lengths, an account. */
	if (m == nd && nd == NIK_DIGITS)
		*marker = M_NIK;
	else if (m == nd && nd == NPWP_DIGITS)
		*marker = M_NPWP;
	else
		*marker = M_ACCOUNT;
	return m;
}

/*
 * Sets *copy to a copy of s with NUL bytes and bytes that are not valid
 * UTF-8 made U+FFFD, or to NULL when s is clean already. The matchers
 * then see exactly what will be written, whatever the input, and a second
 * pass over the output sees the same. -1 when out of memory.
 */
static int
sanitize(const unsigned char *s, size_t len, unsigned char **copy,
    size_t *copylen)
{
	static const unsigned char	 fffd[] = { 0xef, 0xbf, 0xbd };
	struct obuf			 ob;
	size_t				 i = 0, k;
	uint32_t			 cp;

	*copy = NULL;
	if (len == 0 || (memchr(s, '\0', len) == NULL &&
	    core_utf8_len((const char *)s, len) >= 0))
		return 0;
	if (len > ((size_t)-1) / 3 || ob_init(&ob, len * 3, 0) == -1)
		return -1;
	while (i < len) {
		k = s[i] == '\0' ? 0 : core_utf8_next(s + i, len - i, &cp);
		if (k == 0) {
			ob_put(&ob, fffd, sizeof(fffd), 0);
			i++;
		} else {
			ob_put(&ob, s + i, k, 0);
			i += k;
		}
	}
	if (ob.failed) {
		ob_free(&ob);
		return -1;
	}
	*copy = (unsigned char *)ob.p;
	*copylen = ob.len;
	return 0;
}

char *
core_redact_marked(const char *text, size_t len, size_t *outlen,
    unsigned char **marker)
{
	const unsigned char	*s = (const unsigned char *)text;
	unsigned char		*clean = NULL;
	struct obuf		 ob;
	const char		*mk;
	size_t			 i = 0, k;

	if (outlen != NULL)
		*outlen = 0;
	if (marker != NULL)
		*marker = NULL;
	if (text == NULL)
		len = 0;
	if (sanitize(s, len, &clean, &len) == -1)
		return NULL;
	if (clean != NULL)
		s = clean;
	if (ob_init(&ob, len, marker != NULL) == -1) {
		free(clean);
		return NULL;
	}
	while (i < len && !ob.failed) {
		/* Matches start on ASCII; other characters are copied
		 * whole (the text is valid UTF-8 by now). */
		if (s[i] >= 0x80) {
			for (k = 1; i + k < len && (s[i + k] & 0xc0) == 0x80;
			    k++)
				;
			ob_put(&ob, s + i, k, 0);
			i += k;
			continue;
		}
		if ((k = match_at(s, len, i, (const unsigned char *)ob.p,
		    ob.len, &mk)) > 0) {
			if (mk != NULL)
				ob_put(&ob, mk, strlen(mk), 1);
			else
				ob_put(&ob, s + i, k, 0);
			i += k;
			continue;
		}
		ob_put(&ob, s + i, 1, 0);
		i++;
	}
	free(clean);
	if (ob.failed) {
		ob_free(&ob);
		return NULL;
	}
	ob.p[ob.len] = '\0';
	if (outlen != NULL)
		*outlen = ob.len;
	if (marker != NULL)
		*marker = ob.mk;
	return ob.p;
}

char *
core_redact(const char *text, size_t len)
{
	return core_redact_marked(text, len, NULL, NULL);
}

/* ---- Manual redactions --------------------------------------------------- */

static int
utf8_boundary(const char *s, size_t len, size_t pos)
{
	return pos == len || ((unsigned char)s[pos] & 0xc0) != 0x80;
}

/*
 * Marks every occurrence of the phrase, case-insensitive for ASCII
 * letters, in the lowered text lt. Occurrences may overlap ("aa" in
 * "aaa" masks all three). An occurrence inside a marker is left: the
 * marker already hides what was there. Knuth-Morris-Pratt keeps this
 * linear whatever the phrase.
 */
static int
mark_phrase(const unsigned char *lt, size_t tlen, const unsigned char *amk,
    unsigned char *mask, const char *phrase, size_t plen)
{
	unsigned char	*lp;
	size_t		*fail, i, k, a;
	int		 inmk;

	if ((lp = malloc(plen)) == NULL)
		return -1;
	if ((fail = calloc(plen, sizeof(*fail))) == NULL) {
		free(lp);
		return -1;
	}
	for (i = 0; i < plen; i++)
		lp[i] = to_lower((unsigned char)phrase[i]);
	for (i = 1, k = 0; i < plen; i++) {
		while (k > 0 && lp[i] != lp[k])
			k = fail[k - 1];
		if (lp[i] == lp[k])
			k++;
		fail[i] = k;
	}
	for (i = 0, k = 0; i < tlen; i++) {
		while (k > 0 && lt[i] != lp[k])
			k = fail[k - 1];
		if (lt[i] == lp[k])
			k++;
		if (k == plen) {
			inmk = 0;
			for (a = i + 1 - plen; a <= i; a++)
				inmk |= amk[a];
			if (!inmk)
				memset(mask + i + 1 - plen, 1, plen);
			k = fail[k - 1];
		}
	}
	free(fail);
	free(lp);
	return 0;
}

/* Shape of one entry: {"phrase": string} or {"start": int, "end": int}. */
static int
entry_shape(const json_t *e, struct core_errors *errs)
{
	const json_t	*ph, *st, *en;

	if (!json_is_object(e)) {
		core_errors_field(errs, "redactions", "must hold objects.");
		return CORE_MALFORMED;
	}
	ph = json_object_get(e, "phrase");
	st = json_object_get(e, "start");
	en = json_object_get(e, "end");
	if (ph != NULL && json_object_size(e) == 1) {
		if (json_is_string(ph))
			return CORE_OK;
		core_errors_field(errs, "redactions.phrase",
		    "must be a string.");
		return CORE_MALFORMED;
	}
	if (st != NULL && en != NULL && json_object_size(e) == 2) {
		if (json_is_integer(st) && json_is_integer(en))
			return CORE_OK;
		core_errors_field(errs, "redactions",
		    "must give start and end as integers.");
		return CORE_MALFORMED;
	}
	core_errors_field(errs, "redactions",
	    "must hold {\"phrase\"} or {\"start\",\"end\"} objects.");
	return CORE_MALFORMED;
}

int
core_redact_manual(const char *text, const json_t *redactions, char **out,
    struct core_errors *errs)
{
	struct core_errors	 local;
	struct obuf		 ob;
	const json_t		*e, *ph;
	const char		*p;
	unsigned char		*amk = NULL, *mask = NULL, *lt = NULL;
	char			*auto_text = NULL;
	size_t			 alen, nr = 0, i, plen, a, b;
	json_int_t		 st, en;
	long			 ncp;
	int			 rc, bad = 0;

	if (errs == NULL)
		errs = &local;
	core_errors_reset(errs);
	*out = NULL;
	if (text == NULL)
		text = "";
	if (redactions != NULL) {
		if (!json_is_array(redactions)) {
			core_errors_field(errs, "redactions",
			    "must be an array.");
			return CORE_MALFORMED;
		}
		nr = json_array_size(redactions);
	}
	for (i = 0; i < nr; i++)
		if ((rc = entry_shape(json_array_get(redactions, i), errs)) !=
		    CORE_OK)
			return rc;
	if (nr > CORE_REDACTIONS_MAX) {
		core_errors_add(errs, "redactions", "too long");
		core_errors_set(errs, "There are too many redactions.");
		return CORE_INVALID;
	}

	rc = CORE_NOMEM;
	auto_text = core_redact_marked(text, strlen(text), &alen, &amk);
	if (auto_text == NULL)
		goto out;
	if ((mask = calloc(alen + 1, 1)) == NULL ||
	    (lt = malloc(alen + 1)) == NULL)
		goto out;
	for (i = 0; i < alen; i++)
		lt[i] = to_lower((unsigned char)auto_text[i]);

	for (i = 0; i < nr; i++) {
		e = json_array_get(redactions, i);
		if ((ph = json_object_get(e, "phrase")) != NULL) {
			p = json_string_value(ph);
			plen = json_string_length(ph);
			ncp = core_utf8_len(p, plen);
			if (!core_text_ok(p, plen) ||
			    core_text_blank(p, plen) ||
			    ncp > CORE_REDACTION_PHRASE_MAX) {
				bad = 1;
				continue;
			}
			if (mark_phrase(lt, alen, amk, mask, p, plen) == -1)
				goto out;
			continue;
		}
		st = json_integer_value(json_object_get(e, "start"));
		en = json_integer_value(json_object_get(e, "end"));
		/* Offsets into what the reviewer saw, on character edges. */
		if (st < 0 || en <= st || (unsigned long long)en > alen ||
		    !utf8_boundary(auto_text, alen, (size_t)st) ||
		    !utf8_boundary(auto_text, alen, (size_t)en)) {
			bad = 1;
			continue;
		}
		a = (size_t)st;
		b = (size_t)en;
		/* A span that cuts into a marker takes all of it, so no
		 * half marker is left to puzzle the reader. */
		while (a > 0 && amk[a] && amk[a - 1])
			a--;
		while (b < alen && amk[b - 1] && amk[b])
			b++;
		memset(mask + a, 1, b - a);
	}
	if (bad) {
		core_errors_add(errs, "redactions", "invalid");
		core_errors_set(errs, "A redaction is not valid.");
		rc = CORE_INVALID;
		goto out;
	}

	if (ob_init(&ob, alen, 0) == -1)
		goto out;
	for (i = 0; i < alen; i++) {
		if (!mask[i])
			ob_put(&ob, auto_text + i, 1, 0);
		else if (i == 0 || !mask[i - 1])
			ob_put(&ob, M_MANUAL, sizeof(M_MANUAL) - 1, 0);
	}
	if (ob.failed) {
		ob_free(&ob);
		goto out;
	}
	ob.p[ob.len] = '\0';
	*out = ob.p;
	rc = CORE_OK;
out:
	if (rc == CORE_NOMEM)
		core_errors_set(errs, "Out of memory.");
	free(lt);
	free(mask);
	free(amk);
	free(auto_text);
	return rc;
}
