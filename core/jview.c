/*
 * jview.c: reading the JSON records Bisik stored, in place, and writing a
 * JSON reply into one bounded buffer.
 *
 * The reporter's follow-up view is Bisik's most frequent read. Through
 * jansson it parsed every record into a tree of small allocations, built
 * a second tree for the reply and serialised that: about half of the
 * request's CPU went to JSON and the allocator. Here a record is checked
 * in one pass with no allocation, the few members a view reads are found
 * in that pass as spans of the record's own bytes, and the reply is
 * written as it is decided.
 *
 * Records are written by jansson with JSON_COMPACT (server/record.c), so a
 * string copied byte for byte from a record is what jansson would dump for
 * it, and core_jw_str() escapes exactly as jansson's dump does (\" \\ \b
 * \f \n \r \t, other controls as \u00XX in upper-case hex, everything else
 * as it is): a reply written here is the reply jansson made, byte for byte
 * (tests/unit/core_jview_test.c compares them). The checks are jansson's
 * own rules, so nothing jansson would refuse passes here: valid UTF-8, no
 * raw control bytes in strings, no \u0000 and no lone surrogates, integers
 * within 64 bits; nesting is bounded by CORE_JV_DEPTH.
 */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"
#include "core_int.h"

struct scan {
	const unsigned char	*p, *end;
	int			 depth;
};

static void
skip_ws(struct scan *s)
{
	while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' ||
	    *s->p == '\n' || *s->p == '\r'))
		s->p++;
}

static int
hex4(const unsigned char *p, const unsigned char *end, uint32_t *out)
{
	uint32_t	 v = 0;
	int		 i;

	if (end - p < 4)
		return -1;
	for (i = 0; i < 4; i++) {
		v <<= 4;
		if (p[i] >= '0' && p[i] <= '9')
			v |= (uint32_t)(p[i] - '0');
		else if (p[i] >= 'a' && p[i] <= 'f')
			v |= (uint32_t)(p[i] - 'a' + 10);
		else if (p[i] >= 'A' && p[i] <= 'F')
			v |= (uint32_t)(p[i] - 'A' + 10);
		else
			return -1;
	}
	*out = v;
	return 0;
}

/* At the opening quote; leaves s past the closing one. */
static int
scan_string(struct scan *s)
{
	uint32_t	 u, lo, cp;
	size_t		 k;

	s->p++;
	while (s->p < s->end) {
		if (*s->p == '"') {
			s->p++;
			return 0;
		}
		if (*s->p < 0x20)
			return -1;
		if (*s->p < 0x80 && *s->p != '\\') {
			s->p++;
			continue;
		}
		if (*s->p != '\\') {
			if ((k = core_utf8_next(s->p, (size_t)(s->end - s->p),
			    &cp)) == 0)
				return -1;
			s->p += k;
			continue;
		}
		if (++s->p >= s->end)
			return -1;
		if (strchr("\"\\/bfnrt", *s->p) != NULL && *s->p != '\0') {
			s->p++;
			continue;
		}
		if (*s->p != 'u' || hex4(s->p + 1, s->end, &u) == -1 || u == 0)
			return -1;
		s->p += 5;
		if (u >= 0xdc00 && u <= 0xdfff)
			return -1;
		if (u >= 0xd800 && u <= 0xdbff) {
			if (s->end - s->p < 6 || s->p[0] != '\\' ||
			    s->p[1] != 'u' || hex4(s->p + 2, s->end, &lo) == -1 ||
			    lo < 0xdc00 || lo > 0xdfff)
				return -1;
			s->p += 6;
		}
	}
	return -1;
}

/* A number as JSON writes it; *integer says whether jansson reads it as
 * an integer (no fraction, no exponent), which must then fit 64 bits. */
static int
scan_number(struct scan *s, int *integer)
{
	const unsigned char	*start = s->p;
	unsigned long long	 v = 0;
	double			 d;
	char			 buf[64];
	size_t			 n;
	int			 neg = 0, over = 0;

	*integer = 1;
	if (*s->p == '-') {
		neg = 1;
		s->p++;
	}
	if (s->p >= s->end || *s->p < '0' || *s->p > '9')
		return -1;
	if (*s->p == '0')
		s->p++;
	else
		while (s->p < s->end && *s->p >= '0' && *s->p <= '9') {
			if (v > (ULLONG_MAX - 9) / 10)
				over = 1;
			else
				v = v * 10 + (unsigned)(*s->p - '0');
			s->p++;
		}
	if (s->p < s->end && *s->p == '.') {
		*integer = 0;
		s->p++;
		if (s->p >= s->end || *s->p < '0' || *s->p > '9')
			return -1;
		while (s->p < s->end && *s->p >= '0' && *s->p <= '9')
			s->p++;
	}
	if (s->p < s->end && (*s->p == 'e' || *s->p == 'E')) {
		*integer = 0;
		s->p++;
		if (s->p < s->end && (*s->p == '+' || *s->p == '-'))
			s->p++;
		if (s->p >= s->end || *s->p < '0' || *s->p > '9')
			return -1;
		while (s->p < s->end && *s->p >= '0' && *s->p <= '9')
			s->p++;
	}
	if (*integer)
		return over || (!neg && v > (unsigned long long)INT64_MAX) ||
		    (neg && v > (unsigned long long)INT64_MAX + 1) ? -1 : 0;
	/* jansson refuses a real that overflows a double. Bisik writes no
	 * real this long; refusing one is refusing a record not ours. */
	n = (size_t)(s->p - start);
	if (n >= sizeof(buf))
		return -1;
	memcpy(buf, start, n);
	buf[n] = '\0';
	errno = 0;
	d = strtod(buf, NULL);
	return errno == ERANGE && d != 0 ? -1 : 0;
}

static int	scan_value(struct scan *, struct core_jv *);

/*
 * An object at s->p. With keys, the members named there are stored in
 * vals (a second member of the same name refuses the object: jansson
 * would refuse the record too).
 */
static int
scan_object(struct scan *s, const char *const *keys, size_t nkeys,
    struct core_jv *vals)
{
	const unsigned char	*k;
	size_t			 klen, i;
	struct core_jv		 v;

	if (++s->depth > CORE_JV_DEPTH)
		return -1;
	s->p++;
	skip_ws(s);
	if (s->p < s->end && *s->p == '}') {
		s->p++;
		s->depth--;
		return 0;
	}
	for (;;) {
		skip_ws(s);
		if (s->p >= s->end || *s->p != '"')
			return -1;
		k = s->p + 1;
		if (scan_string(s) == -1)
			return -1;
		klen = (size_t)(s->p - 1 - k);
		skip_ws(s);
		if (s->p >= s->end || *s->p != ':')
			return -1;
		s->p++;
		skip_ws(s);
		if (scan_value(s, &v) == -1)
			return -1;
		for (i = 0; i < nkeys; i++) {
			if (keys[i][0] != (char)k[0] ||
			    strncmp(keys[i], (const char *)k, klen) != 0 ||
			    keys[i][klen] != '\0')
				continue;
			if (vals[i].type != CORE_JV_NONE)
				return -1;
			vals[i] = v;
			break;
		}
		skip_ws(s);
		if (s->p < s->end && *s->p == ',') {
			s->p++;
			continue;
		}
		if (s->p < s->end && *s->p == '}') {
			s->p++;
			s->depth--;
			return 0;
		}
		return -1;
	}
}

static int
scan_array(struct scan *s)
{
	struct core_jv	 v;

	if (++s->depth > CORE_JV_DEPTH)
		return -1;
	s->p++;
	skip_ws(s);
	if (s->p < s->end && *s->p == ']') {
		s->p++;
		s->depth--;
		return 0;
	}
	for (;;) {
		skip_ws(s);
		if (scan_value(s, &v) == -1)
			return -1;
		skip_ws(s);
		if (s->p < s->end && *s->p == ',') {
			s->p++;
			continue;
		}
		if (s->p < s->end && *s->p == ']') {
			s->p++;
			s->depth--;
			return 0;
		}
		return -1;
	}
}

static int
literal(struct scan *s, const char *word)
{
	size_t	 n = strlen(word);

	if ((size_t)(s->end - s->p) < n || memcmp(s->p, word, n) != 0)
		return -1;
	s->p += n;
	return 0;
}

static int
scan_value(struct scan *s, struct core_jv *v)
{
	const unsigned char	*start = s->p;
	int			 rc, integer;

	if (s->p >= s->end)
		return -1;
	switch (*s->p) {
	case '{':
		v->type = CORE_JV_OBJECT;
		rc = scan_object(s, NULL, 0, NULL);
		break;
	case '[':
		v->type = CORE_JV_ARRAY;
		rc = scan_array(s);
		break;
	case '"':
		v->type = CORE_JV_STRING;
		rc = scan_string(s);
		break;
	case 't':
		v->type = CORE_JV_TRUE;
		rc = literal(s, "true");
		break;
	case 'f':
		v->type = CORE_JV_FALSE;
		rc = literal(s, "false");
		break;
	case 'n':
		v->type = CORE_JV_NULL;
		rc = literal(s, "null");
		break;
	default:
		rc = scan_number(s, &integer);
		v->type = integer ? CORE_JV_INTEGER : CORE_JV_REAL;
		break;
	}
	if (rc == -1)
		return -1;
	v->p = (const char *)start;
	v->len = (size_t)(s->p - start);
	return 0;
}

int
core_jv_object(const char *buf, size_t len, const char *const *keys,
    size_t nkeys, struct core_jv *vals)
{
	struct scan	 s;
	size_t		 i;

	for (i = 0; i < nkeys; i++) {
		vals[i].type = CORE_JV_NONE;
		vals[i].p = NULL;
		vals[i].len = 0;
	}
	s.p = (const unsigned char *)buf;
	s.end = s.p + len;
	s.depth = 0;
	skip_ws(&s);
	if (s.p >= s.end || *s.p != '{' ||
	    scan_object(&s, keys, nkeys, vals) == -1)
		goto fail;
	skip_ws(&s);
	if (s.p != s.end)
		goto fail;
	return 0;
 fail:
	for (i = 0; i < nkeys; i++)
		vals[i].type = CORE_JV_NONE;
	return -1;
}

int
core_jv_int(const struct core_jv *v, int64_t *out)
{
	const char	*p = v->p;
	size_t		 i = 0;
	uint64_t	 u = 0;
	int		 neg = 0;

	if (v->type != CORE_JV_INTEGER)
		return -1;
	if (p[0] == '-') {
		neg = 1;
		i = 1;
	}
	for (; i < v->len; i++)		/* in range: core_jv_object checked */
		u = u * 10 + (uint64_t)(p[i] - '0');
	*out = neg ? (int64_t)(0 - u) : (int64_t)u;
	return 0;
}

int
core_jv_str(const struct core_jv *v, const char **s, size_t *len)
{
	if (v->type != CORE_JV_STRING ||
	    memchr(v->p + 1, '\\', v->len - 2) != NULL)
		return -1;
	*s = v->p + 1;
	*len = v->len - 2;
	return 0;
}

int
core_jv_is(const struct core_jv *v, const char *word)
{
	size_t	 n = strlen(word);

	return v->type == CORE_JV_STRING && v->len == n + 2 &&
	    memcmp(v->p + 1, word, n) == 0;
}

/* ---- the writer ---------------------------------------------------------- */

/* The writer is core_buf (buf.c) with JSON escaping on top. */
void
core_jw_init(struct core_jw *w, size_t max)
{
	core_buf_init(&w->b, max);
}

void
core_jw_raw(struct core_jw *w, const char *p, size_t n)
{
	if (n == 0)
		return;
	core_buf_add(&w->b, p, n);
}

void
core_jw_lit(struct core_jw *w, const char *s)
{
	core_jw_raw(w, s, strlen(s));
}

void
core_jw_str(struct core_jw *w, const char *s, size_t len)
{
	static const char	 hex[] = "0123456789ABCDEF";
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0, run, k;
	uint32_t		 cp;
	char			 esc[6];

	core_jw_raw(w, "\"", 1);
	while (i < len && !w->b.fail) {
		for (run = i; run < len; run += k) {
			if (p[run] < 0x80) {
				if (p[run] < 0x20 || p[run] == '"' ||
				    p[run] == '\\')
					break;
				k = 1;
			} else if ((k = core_utf8_next(p + run, len - run,
			    &cp)) == 0) {
				w->b.fail = 1;	/* jansson holds only UTF-8 */
				return;
			}
		}
		core_jw_raw(w, s + i, run - i);
		if ((i = run) >= len)
			break;
		esc[0] = '\\';
		switch (p[i]) {
		case '"':
		case '\\':
			esc[1] = (char)p[i];
			break;
		case '\b':
			esc[1] = 'b';
			break;
		case '\f':
			esc[1] = 'f';
			break;
		case '\n':
			esc[1] = 'n';
			break;
		case '\r':
			esc[1] = 'r';
			break;
		case '\t':
			esc[1] = 't';
			break;
		default:
			if (p[i] == 0) {	/* json_string() refuses NUL */
				w->b.fail = 1;
				return;
			}
			memcpy(esc + 1, "u00", 3);
			esc[4] = hex[p[i] >> 4];
			esc[5] = hex[p[i] & 0xf];
			core_jw_raw(w, esc, 6);
			i++;
			continue;
		}
		core_jw_raw(w, esc, 2);
		i++;
	}
	core_jw_raw(w, "\"", 1);
}

void
core_jw_int(struct core_jw *w, int64_t v)
{
	char		 b[24];
	size_t		 n = sizeof(b);
	uint64_t	 u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;

	do {
		b[--n] = (char)('0' + u % 10);
		u /= 10;
	} while (u > 0);
	if (v < 0)
		b[--n] = '-';
	core_jw_raw(w, b + n, sizeof(b) - n);
}

void
core_jw_value(struct core_jw *w, const struct core_jv *v)
{
	size_t	 i, run;
	int	 instr = 0;

	if (v->type == CORE_JV_NONE) {
		core_jw_raw(w, "null", 4);
		return;
	}
	if (v->type != CORE_JV_OBJECT && v->type != CORE_JV_ARRAY) {
		core_jw_raw(w, v->p, v->len);
		return;
	}
	/* Compact: white space outside strings dropped, as jansson's
	 * JSON_COMPACT writes containers. */
	for (i = 0; i < v->len; i = run) {
		for (run = i; run < v->len; run++) {
			if (instr) {
				if (v->p[run] == '\\')
					run++;
				else if (v->p[run] == '"')
					instr = 0;
			} else if (v->p[run] == '"')
				instr = 1;
			else if (v->p[run] == ' ' || v->p[run] == '\t' ||
			    v->p[run] == '\n' || v->p[run] == '\r')
				break;
		}
		core_jw_raw(w, v->p + i, run - i);
		if (run < v->len)
			run++;
	}
}

int
core_jw_finish(struct core_jw *w, char **out, size_t *len)
{
	if ((*out = core_buf_take(&w->b, len)) == NULL)
		return -1;
	return 0;
}

void
core_jw_free(struct core_jw *w)
{
	core_buf_free(&w->b);
}
