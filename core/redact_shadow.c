/*
 * redact_shadow.c: the normalised shadow of a text that the redaction
 * matchers read, with a map from every shadow byte back to the code
 * point of the original it came from.
 *
 * A reporter (or a phone keyboard) can write the same telephone number
 * in many ways that look alike and differ in bytes: full-width or
 * mathematical digits, Arabic-Indic or Devanagari digits, groups split by
 * a no-break, narrow or ideographic space, a zero-width space or a soft
 * hyphen between digits, a non-breaking hyphen or an en dash, a
 * full-width at sign. The shadow makes them one: each code point of the
 * original gives zero or more shadow bytes,
 *
 *   - format characters (Cf) and default-ignorable ones (zero-width
 *     space, word joiner, soft hyphen, BOM, variation selectors) and
 *     combining marks give nothing;
 *   - every space separator (Zs, including U+00A0, U+202F, U+3000) and
 *     tab gives ' ', line and paragraph breaks '\n';
 *   - every dash (Pd, including U+2011, en and em dash) and U+2212 MINUS
 *     SIGN give '-';
 *   - every decimal digit (Nd) of any script gives its ASCII digit;
 *   - everything else its compatibility decomposition (NFKD: full-width
 *     forms, mathematical alphanumerics, circled and parenthesised
 *     numbers, ligatures) case folded, each resulting code point treated
 *     as above, and the few Cyrillic and Greek letters that are drawn
 *     like Latin ones (о, а, с, ο, ...) as those Latin letters.
 *
 * The shadow of a code point never has more bytes than the code point
 * itself (a longer decomposition is cut at a code point edge), so the
 * shadow of n bytes is at most n bytes and its map n + 1 offsets: memory
 * is bounded by 5 bytes per input byte.
 *
 * Composition (the C of NFKC) is not needed: the matchers compare with
 * ASCII, and a decomposed letter with its marks dropped is that ASCII
 * letter.
 */
#include <stdlib.h>
#include <string.h>

#include <utf8proc.h>

#include "core_int.h"

/* A decomposition is at most 18 code points (U+FDFA); room to spare. */
#define DECOMP_MAX	32
/* Decimal digits come in runs of ten, 0 to 9; the longest run of
 * consecutive Nd code points (mathematical digits) is 50. */
#define ND_RUN_MAX	64

/* The ASCII byte each ASCII byte gives: lower case; controls other than
 * a line feed are spacing; CR is a line end. */
static inline unsigned char
ascii_shadow(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return (unsigned char)(c - 'A' + 'a');
	if (c >= 0x20 && c != 0x7f)
		return c;
	if (c == '\n' || c == '\r')
		return '\n';
	return ' ';
}

/*
 * The value of a decimal digit: its distance from the zero of its run.
 * Runs of Nd code points are whole sets of ten beginning with a zero, so
 * the count of Nd code points before cp in its stretch, modulo 10.
 */
static int
nd_value(utf8proc_int32_t cp)
{
	int k = 0;

	while (k < ND_RUN_MAX && cp - k - 1 >= 0 &&
	    utf8proc_category(cp - k - 1) == UTF8PROC_CATEGORY_ND)
		k++;
	return k % 10;
}

/* Cyrillic and Greek letters (after case folding) drawn like a Latin
 * letter, as that letter; 0 for the others. */
static unsigned char
confusable(utf8proc_int32_t cp)
{
	static const struct {
		utf8proc_int32_t	cp;
		unsigned char		ascii;
	} tab[] = {
		{ 0x0131, 'i' },	/* dotless i */
		{ 0x03b1, 'a' }, { 0x03b2, 'b' }, { 0x03b5, 'e' },
		{ 0x03b6, 'z' }, { 0x03b7, 'n' }, { 0x03b9, 'i' },
		{ 0x03ba, 'k' }, { 0x03bc, 'm' }, { 0x03bd, 'v' },
		{ 0x03bf, 'o' }, { 0x03c1, 'p' }, { 0x03c4, 't' },
		{ 0x03c5, 'u' }, { 0x03c7, 'x' },
		{ 0x0430, 'a' }, { 0x0432, 'b' }, { 0x0435, 'e' },
		{ 0x043a, 'k' }, { 0x043c, 'm' }, { 0x043d, 'h' },
		{ 0x043e, 'o' }, { 0x0440, 'p' }, { 0x0441, 'c' },
		{ 0x0442, 't' }, { 0x0443, 'y' }, { 0x0445, 'x' },
		{ 0x0455, 's' }, { 0x0456, 'i' }, { 0x0458, 'j' },
		{ 0x04bb, 'h' }, { 0x0501, 'd' }, { 0x051b, 'q' },
		{ 0x051d, 'w' },
	};
	size_t lo = 0, hi = sizeof(tab) / sizeof(tab[0]), mid;

	while (lo < hi) {
		mid = (lo + hi) / 2;
		if (tab[mid].cp == cp)
			return tab[mid].ascii;
		if (tab[mid].cp < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	return 0;
}

/*
 * The shadow of one code point of a decomposition (case folded already)
 * into out (room for 4 bytes); returns the number of bytes.
 */
static size_t
shadow_one(utf8proc_int32_t cp, unsigned char *out)
{
	const utf8proc_property_t	*p;
	unsigned char			 a;

	if (cp < 0x80) {
		out[0] = ascii_shadow((unsigned char)cp);
		return 1;
	}
	p = utf8proc_get_property(cp);
	if (p->ignorable)
		return 0;
	switch (p->category) {
	case UTF8PROC_CATEGORY_CF:
	case UTF8PROC_CATEGORY_MN:
	case UTF8PROC_CATEGORY_ME:
		return 0;
	case UTF8PROC_CATEGORY_ZS:
		out[0] = ' ';
		return 1;
	case UTF8PROC_CATEGORY_ZL:
	case UTF8PROC_CATEGORY_ZP:
		out[0] = '\n';
		return 1;
	case UTF8PROC_CATEGORY_CC:
		out[0] = cp == 0x85 ? '\n' : ' ';
		return 1;
	case UTF8PROC_CATEGORY_PD:
		out[0] = '-';
		return 1;
	case UTF8PROC_CATEGORY_ND:
		out[0] = (unsigned char)('0' + nd_value(cp));
		return 1;
	default:
		break;
	}
	if (cp == 0x2212) {		/* MINUS SIGN */
		out[0] = '-';
		return 1;
	}
	if ((a = confusable(cp)) != 0) {
		out[0] = a;
		return 1;
	}
	return (size_t)utf8proc_encode_char(cp, out);
}

/*
 * The shadow of the non-ASCII code point cp, whose UTF-8 form has room
 * bytes, into out (room bytes); returns the number of bytes.
 */
static size_t
shadow_cp(utf8proc_int32_t cp, unsigned char *out, size_t room)
{
	utf8proc_int32_t	 d[DECOMP_MAX];
	utf8proc_ssize_t	 nd, k;
	unsigned char		 b[4];
	size_t			 n = 0, m;
	int			 cat;

	/* What the decomposition would not change: classify at once
	 * (spaces and dashes have compatibility mappings of their own). */
	cat = utf8proc_category(cp);
	if (cat == UTF8PROC_CATEGORY_ZS || cat == UTF8PROC_CATEGORY_PD ||
	    cat == UTF8PROC_CATEGORY_CF || cat == UTF8PROC_CATEGORY_CC ||
	    cat == UTF8PROC_CATEGORY_ND || utf8proc_get_property(cp)->ignorable)
		nd = 0;
	else
		nd = utf8proc_decompose_char(cp, d, DECOMP_MAX,
		    UTF8PROC_DECOMPOSE | UTF8PROC_COMPAT | UTF8PROC_CASEFOLD,
		    NULL);
	if (nd <= 0 || nd > DECOMP_MAX) {
		d[0] = cp;
		nd = 1;
	}
	for (k = 0; k < nd; k++) {
		m = shadow_one(d[k], b);
		if (n + m > room)
			break;
		memcpy(out + n, b, m);
		n += m;
	}
	return n;
}

int
core_shadow_make(const char *text, size_t len, int flags,
    struct core_shadow *sh)
{
	const unsigned char	*s = (const unsigned char *)text;
	unsigned char		 b[4];
	size_t			 i = 0, k, m, j, n = 0;
	uint32_t		 cp;
	int			 collapse = flags & CORE_SHADOW_COLLAPSE;

	memset(sh, 0, sizeof(*sh));
	if (len > CORE_REDACT_INPUT_MAX)
		return -1;
	if ((sh->s = malloc(len + 1)) == NULL ||
	    (sh->map = malloc((len + 1) * sizeof(*sh->map))) == NULL) {
		free(sh->s);
		sh->s = NULL;
		return -1;
	}
	while (i < len) {
		/* Most text is ASCII: a tight loop over it. */
		if (!collapse)
			while (i < len && s[i] < 0x80) {
				sh->s[n] = ascii_shadow(s[i]);
				sh->map[n++] = (uint32_t)i++;
			}
		if (i >= len)
			break;
		if (s[i] < 0x80) {
			k = 1;
			b[0] = ascii_shadow(s[i]);
			m = 1;
		} else {
			if ((k = core_utf8_next(s + i, len - i, &cp)) == 0) {
				/* Not UTF-8: callers sanitise first; be
				 * safe anyway and take the byte alone. */
				k = 1;
				b[0] = '?';
				m = 1;
			} else
				m = shadow_cp((utf8proc_int32_t)cp, b, k);
		}
		for (j = 0; j < m; j++) {
			if (collapse && (b[j] == ' ' || b[j] == '\n')) {
				if (n > 0 && sh->s[n - 1] == ' ')
					continue;
				b[j] = ' ';
			}
			sh->s[n] = b[j];
			sh->map[n] = (uint32_t)i;
			n++;
		}
		i += k;
	}
	sh->s[n] = '\0';
	sh->map[n] = (uint32_t)len;
	sh->len = n;
	return 0;
}

void
core_shadow_free(struct core_shadow *sh)
{
	if (sh == NULL)
		return;
	if (sh->s != NULL) {
		explicit_bzero(sh->s, sh->len);
		free(sh->s);
	}
	free(sh->map);
	memset(sh, 0, sizeof(*sh));
}

/* The end (in the original) of the code point that starts at o. */
static size_t
cp_end(const unsigned char *s, size_t len, size_t o)
{
	uint32_t	cp;
	size_t		k;

	if (o >= len)
		return len;
	k = core_utf8_next(s + o, len - o, &cp);
	return o + (k > 0 ? k : 1);
}

void
core_shadow_span(const struct core_shadow *sh, const char *text, size_t len,
    size_t a, size_t b, size_t *start, size_t *end)
{
	const unsigned char	*s = (const unsigned char *)text;
	size_t			 e, k;
	uint32_t		 cp;
	int			 cat;

	*start = sh->map[a];
	e = cp_end(s, len, sh->map[b - 1]);
	/* Combining marks after the last character belong to it: a mask
	 * never leaves one behind to sit on the marker. */
	while (e < len && e < sh->map[b] &&
	    (k = core_utf8_next(s + e, len - e, &cp)) > 0) {
		cat = utf8proc_category((utf8proc_int32_t)cp);
		if (cat != UTF8PROC_CATEGORY_MN && cat != UTF8PROC_CATEGORY_ME)
			break;
		e += k;
	}
	*end = e;
}
