/*
 * html.c: the one place where the web pages escape what they show, and
 * the buffer they are written into.
 *
 * Every byte of a page passes through here. Literal markup comes from the
 * page code itself (html_raw, and the LIT() pieces of HTML()); everything
 * else, whoever wrote it (a reporter, staff, the catalogue, a file name),
 * goes through one of three escapers chosen by where it lands:
 *   - text and attribute values (always double-quoted): & < > " ' become
 *     character references; bidirectional embedding, override and isolate
 *     controls (U+202A..U+202E, U+2066..U+2069), which could make a title
 *     read backwards ("gpj.exe"), are shown as a visible "[U+202E]" rather
 *     than obeyed; other control characters but tab and line ends, and
 *     bytes that are not UTF-8, become U+FFFD;
 *   - URL components (path segments, query values): every byte but
 *     RFC 3986's unreserved characters is percent-encoded, so a value can
 *     never become a scheme ("javascript:"), a path or another parameter.
 * Nothing ever builds a URL scheme from data: links are local paths.
 *
 * The buffer is core's (core_buf, core/buf.c): it grows up to a hard
 * maximum fixed at creation; past it the page is marked failed and the
 * caller answers 503 instead of sending half a page. Pages may show case
 * text, so the buffer is wiped when it grows and when it is freed.
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/pages.h"

void
html_init(struct html *h, size_t max)
{
	memset(h, 0, sizeof(*h));
	core_buf_init(&h->b, max);
}

void
html_words(struct html *h, const char *(*word)(int, int), int lang)
{
	h->word = word;
	h->lang = lang;
}

void
html_free(struct html *h)
{
	core_buf_free(&h->b);
}

char *
html_take(struct html *h, size_t *len)
{
	return core_buf_take(&h->b, len);
}

static void
put(struct html *h, const char *s, size_t n)
{
	core_buf_add(&h->b, s, n);
}

void
html_raw(struct html *h, const char *s)
{
	if (s != NULL)
		put(h, s, strlen(s));
}

/* Length of the UTF-8 sequence at s (1..4) and its code point; 0 if the
 * bytes are not a valid, shortest-form sequence. */
static size_t
utf8_seq(const unsigned char *s, size_t avail, unsigned long *cp)
{
	size_t		n, i;
	unsigned long	c;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		n = 2;
		c = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		n = 3;
		c = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		n = 4;
		c = s[0] & 0x07;
	} else
		return 0;
	if (n > avail)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if ((n == 3 && c < 0x800) || (n == 4 && (c < 0x10000 ||
	    c > 0x10ffff)) || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

static int
bidi_control(unsigned long c)
{
	return (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

void
html_text(struct html *h, const char *s)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 n, left;
	unsigned long		 c;
	char			 buf[16];

	if (s == NULL)
		return;
	left = strlen(s);
	while (left > 0 && !h->b.fail) {
		n = utf8_seq(p, left, &c);
		if (n == 0) {
			put(h, "\xef\xbf\xbd", 3);	/* U+FFFD */
			p++;
			left--;
			continue;
		}
		switch (c) {
		case '&':
			put(h, "&amp;", 5);
			break;
		case '<':
			put(h, "&lt;", 4);
			break;
		case '>':
			put(h, "&gt;", 4);
			break;
		case '"':
			put(h, "&quot;", 6);
			break;
		case '\'':
			put(h, "&#39;", 5);
			break;
		default:
			if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') ||
			    c == 0x7f || (c >= 0x80 && c < 0xa0))
				put(h, "\xef\xbf\xbd", 3);
			else if (bidi_control(c)) {
				snprintf(buf, sizeof(buf), "[U+%04lX]", c);
				put(h, buf, strlen(buf));
			} else
				put(h, (const char *)p, n);
			break;
		}
		p += n;
		left -= n;
	}
}

void
html_attr(struct html *h, const char *s)
{
	/* Attribute values are always written double-quoted, and the text
	 * escaper already turns both quote characters into references. */
	html_text(h, s);
}

void
html_url(struct html *h, const char *s)
{
	static const char	 hex[] = "0123456789ABCDEF";
	const unsigned char	*p;
	char			 b[3];

	if (s == NULL)
		return;
	for (p = (const unsigned char *)s; *p != '\0' && !h->b.fail; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '-' || *p == '.' ||
		    *p == '_' || *p == '~')
			put(h, (const char *)p, 1);
		else {
			b[0] = '%';
			b[1] = hex[*p >> 4];
			b[2] = hex[*p & 15];
			put(h, b, 3);
		}
	}
}

void
html_int(struct html *h, long long n)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%lld", n);
	put(h, buf, strlen(buf));
}

/*
 * The pieces of HTML() (pages.h): each kind is checked by the type of its
 * constructor at compile time, so a kind outside the enum is a bug.
 */
void
html_pieces(struct html *h, const struct html_piece *pc)
{
	for (; pc->kind != HTML_END && !h->b.fail; pc++) {
		switch (pc->kind) {
		case HTML_LIT:
		case HTML_RAW:
			html_raw(h, pc->s);
			break;
		case HTML_TXT:
			html_text(h, pc->s);
			break;
		case HTML_ATTR:
			html_attr(h, pc->s);
			break;
		case HTML_URL:
			html_url(h, pc->s);
			break;
		case HTML_INT:
			html_int(h, pc->n);
			break;
		case HTML_TR:
			if (h->word != NULL)
				html_text(h, h->word(h->lang, (int)pc->n));
			break;
		default:
			assert(!"html_pieces: unknown kind");
			break;
		}
	}
}
