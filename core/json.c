/*
 * json.c: strict JSON intake and the UTF-8 helpers every text check uses.
 *
 * This is the one place where outside JSON bytes are parsed. jansson is
 * lenient in ways that matter to us (duplicate keys: the last one wins, so
 * two readers of one body could disagree; 2048 levels of nesting), so the
 * raw bytes are checked first for what we refuse outright and jansson runs
 * only on what is left. Messages are fixed sentences: jansson's own error
 * text can quote input bytes, and input may be personal data.
 */
#include <stdint.h>
#include <string.h>

#include "core.h"
#include "core_int.h"

/* Bytes read at once by the ASCII fast paths: a 64-bit word. */
#define ASCII_WORD	8
/* The high bit of every byte of a word: set in none when all are ASCII. */
#define ASCII_HIGH	0x8080808080808080ULL

/*
 * How many bytes from p on are ASCII, counted a word at a time: most
 * requests are ASCII, and the checks below then cost a few instructions
 * per eight bytes instead of a decoding call per byte. What follows the
 * run (a byte >= 0x80, or the end) is left to the decoder.
 */
static size_t
ascii_run(const unsigned char *p, size_t len)
{
	uint64_t	w;
	size_t		i = 0;

	while (len - i >= ASCII_WORD) {
		memcpy(&w, p + i, sizeof(w));
		if ((w & ASCII_HIGH) != 0)
			break;
		i += ASCII_WORD;
	}
	while (i < len && p[i] < 0x80)
		i++;
	return i;
}

size_t
core_utf8_next(const unsigned char *s, size_t len, uint32_t *cp)
{
	unsigned char	 b0;
	unsigned char	 lo = 0x80, hi = 0xbf;
	size_t		 n, i;
	uint32_t	 c;

	if (len == 0)
		return 0;
	b0 = s[0];
	if (b0 < 0x80) {
		*cp = b0;
		return 1;
	}
	/*
	 * The ranges of the first continuation byte exclude overlong forms
	 * (E0, F0), UTF-16 surrogates (ED) and code points past U+10FFFF
	 * (F4); C0, C1 and F5..FF never start a sequence.
	 */
	if (b0 >= 0xc2 && b0 <= 0xdf) {
		n = 2;
		c = b0 & 0x1f;
	} else if (b0 >= 0xe0 && b0 <= 0xef) {
		n = 3;
		c = b0 & 0x0f;
		if (b0 == 0xe0)
			lo = 0xa0;
		else if (b0 == 0xed)
			hi = 0x9f;
	} else if (b0 >= 0xf0 && b0 <= 0xf4) {
		n = 4;
		c = b0 & 0x07;
		if (b0 == 0xf0)
			lo = 0x90;
		else if (b0 == 0xf4)
			hi = 0x8f;
	} else
		return 0;
	if (len < n)
		return 0;
	if (s[1] < lo || s[1] > hi)
		return 0;
	c = (c << 6) | (s[1] & 0x3f);
	for (i = 2; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	*cp = c;
	return n;
}

long
core_utf8_len(const char *s, size_t len)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0, k;
	long			 n = 0;
	uint32_t		 cp;

	if (s == NULL)
		return len == 0 ? 0 : -1;
	while (i < len) {
		/* An ASCII byte is one code point. */
		k = ascii_run(p + i, len - i);
		i += k;
		n += (long)k;
		if (i == len)
			break;
		if ((k = core_utf8_next(p + i, len - i, &cp)) == 0)
			return -1;
		i += k;
		n++;
	}
	return n;
}

int
core_text_ok(const char *s, size_t len)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0, k;
	uint32_t		 cp;

	if (s == NULL)
		return len == 0;
	while (i < len) {
		/* Printable ASCII needs no decoding. */
		if (p[i] >= 0x20 && p[i] < 0x80) {
			i++;
			continue;
		}
		if ((k = core_utf8_next(p + i, len - i, &cp)) == 0)
			return 0;
		/* Controls other than tab and line ends can hide or rewrite
		 * text on a terminal or in a log viewer. */
		if (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r')
			return 0;
		i += k;
	}
	return 1;
}

int
core_id_ok(const char *s)
{
	size_t	 i;

	if (s == NULL)
		return 0;
	for (i = 0; s[i] != '\0'; i++) {
		if (i >= CORE_ID_MAX)
			return 0;
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return 0;
	}
	return i >= CORE_ID_MIN;
}

/* Characters that show nothing: a title made only of them says nothing. */
static int
invisible(uint32_t cp)
{
	if (cp == ' ' || (cp >= 0x09 && cp <= 0x0d))
		return 1;
	switch (cp) {
	case 0x85:
	case 0xa0:
	case 0x1680:
	case 0x180e:
	case 0x2028:
	case 0x2029:
	case 0x202f:
	case 0x205f:
	case 0x2060:
	case 0x3000:
	case 0xfeff:
		return 1;
	default:
		break;
	}
	return cp >= 0x2000 && cp <= 0x200d;
}

int
core_text_blank(const char *s, size_t len)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0, k;
	uint32_t		 cp;

	if (s == NULL)
		return 1;
	while (i < len) {
		if ((k = core_utf8_next(p + i, len - i, &cp)) == 0)
			return 0;
		if (!invisible(cp))
			return 0;
		i += k;
	}
	return 1;
}

/*
 * Nesting depth of the raw bytes, counted outside strings. It runs before
 * jansson so that a deep input costs one linear scan and no recursion.
 * Unbalanced brackets are left for jansson to refuse.
 */
static int
too_deep(const unsigned char *p, size_t len, int maxdepth)
{
	size_t	 i;
	int	 depth = 0, instr = 0;

	for (i = 0; i < len; i++) {
		if (instr) {
			/* An escaped byte cannot end the string. */
			if (p[i] == '\\')
				i++;
			else if (p[i] == '"')
				instr = 0;
			continue;
		}
		switch (p[i]) {
		case '"':
			instr = 1;
			break;
		case '[':
		case '{':
			if (++depth > maxdepth)
				return 1;
			break;
		case ']':
		case '}':
			if (depth > 0)
				depth--;
			break;
		default:
			break;
		}
	}
	return 0;
}

int
core_json_parse(const char *buf, size_t len, int maxdepth, json_t **out,
    struct core_errors *errs)
{
	const unsigned char	*p = (const unsigned char *)buf;
	json_error_t		 jerr;
	json_t			*v;

	core_errors_reset(errs);
	if (out != NULL)
		*out = NULL;
	if (out == NULL || (buf == NULL && len > 0)) {
		core_errors_set(errs, "The request body is not valid JSON.");
		return CORE_MALFORMED;
	}
	if (len == 0) {
		core_errors_set(errs, "The request body is empty.");
		return CORE_MALFORMED;
	}
	if (memchr(p, '\0', len) != NULL) {
		core_errors_set(errs,
		    "The request body contains a NUL character.");
		return CORE_MALFORMED;
	}
	/* jansson checks this too; doing it here makes the refusal ours and
	 * independent of the library version. */
	if (core_utf8_len(buf, len) < 0) {
		core_errors_set(errs, "The request body is not valid UTF-8.");
		return CORE_MALFORMED;
	}
	if (too_deep(p, len, maxdepth)) {
		core_errors_set(errs, "The request body nests too deeply.");
		return CORE_MALFORMED;
	}
	/* No JSON_DISABLE_EOF_CHECK: bytes after the value are an error.
	 * No JSON_ALLOW_NUL: "\u0000" stays refused. */
	v = json_loadb(buf, len, JSON_REJECT_DUPLICATES | JSON_DECODE_ANY,
	    &jerr);
	if (v == NULL) {
		switch (json_error_code(&jerr)) {
		case json_error_duplicate_key:
			core_errors_set(errs,
			    "The request body has a duplicate key.");
			break;
		case json_error_null_character:
			core_errors_set(errs,
			    "The request body contains a NUL character.");
			break;
		case json_error_invalid_utf8:
			core_errors_set(errs,
			    "The request body is not valid UTF-8.");
			break;
		case json_error_out_of_memory:
			core_errors_set(errs, "Out of memory.");
			return CORE_NOMEM;
		default:
			core_errors_set(errs,
			    "The request body is not valid JSON.");
			break;
		}
		return CORE_MALFORMED;
	}
	*out = v;
	return CORE_OK;
}
