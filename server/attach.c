/*
 * attach.c: what an uploaded file is, and the copy of it agency staff get.
 *
 * The type of a file is read from its first bytes, never from its name or
 * the type the client claims: a PNG called "scan.pdf" is a PNG, and an
 * executable called "photo.jpg" is refused. Only an allow-list is taken:
 * JPEG, PNG, WebP, PDF and plain UTF-8 text. Markup (HTML, SVG, XML) is
 * refused even though it is text, because a browser may run it.
 *
 * Photos carry who and where: EXIF GPS position, camera serial number,
 * owner name, XMP edit history, an embedded thumbnail that may show the
 * uncropped picture. Images are therefore decoded and re-encoded with
 * every metadata block left out (after turning them upright from the EXIF
 * orientation, so that nothing visible changes) by the image helper, a
 * separate confined process that holds no key (media.h); bisikd itself
 * never decodes an image and does not link libvips. What the helper gives
 * back is checked here. Re-encoding cannot remove what is in the pixels
 * themselves, such as the sensor's noise pattern or a face in the
 * picture. Text gets the same automatic redaction as report bodies. PDFs
 * are passed on unchanged: no library in Debian removes their metadata
 * (document info, XMP streams, earlier revisions) reliably, so we say so
 * rather than pretend.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "server/domain.h"

static const struct {
	const char	*mime;
	const char	*ext;		/* extension used for downloads */
	const char	*exts;		/* extensions that already fit */
} types[SRV_ATTACH_TYPE_MAX] = {
	[SRV_ATTACH_JPEG] = { "image/jpeg", "jpg", " jpg jpeg jpe jfif " },
	[SRV_ATTACH_PNG] = { "image/png", "png", " png " },
	[SRV_ATTACH_WEBP] = { "image/webp", "webp", " webp " },
	[SRV_ATTACH_PDF] = { "application/pdf", "pdf", " pdf " },
	[SRV_ATTACH_TEXT] = { "text/plain", "txt", " txt text log csv md " },
};

const char *
srv_attach_mime(int type)
{
	if (type < 0 || type >= SRV_ATTACH_TYPE_MAX)
		return NULL;
	return types[type].mime;
}

int
srv_attach_type_parse(const char *mime)
{
	int i;

	for (i = 0; mime != NULL && i < SRV_ATTACH_TYPE_MAX; i++)
		if (strcmp(mime, types[i].mime) == 0)
			return i;
	return -1;
}

const char *
srv_attach_ext(int type)
{
	if (type < 0 || type >= SRV_ATTACH_TYPE_MAX)
		return NULL;
	return types[type].ext;
}

/* ---- sniffing ------------------------------------------------------------ */

/*
 * Decodes one UTF-8 sequence at p (n bytes left): its length, or 0 if it
 * is not the shortest form of a scalar value (no surrogates, <= U+10FFFF).
 */
static size_t
utf8_next(const uint8_t *p, size_t n, uint32_t *cp)
{
	uint32_t	c;
	size_t		len, i;

	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		len = 2;
		c = p[0] & 0x1f;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		len = 3;
		c = p[0] & 0x0f;
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		len = 4;
		c = p[0] & 0x07;
	} else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (p[i] & 0x3f);
	}
	if ((len == 3 && c < 0x800) || (len == 4 && c < 0x10000) ||
	    c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

/* Control characters a text file may hold: tab, line feed, form feed,
 * carriage return. NUL, escape (terminal control sequences), DEL and the
 * C1 controls are not text. */
static int
text_control_ok(uint32_t c)
{
	if (c < 0x20)
		return c == '\t' || c == '\n' || c == '\f' || c == '\r';
	return c != 0x7f && !(c >= 0x80 && c <= 0x9f);
}

/* Markup at the start of a text: "<" and then a letter, "!", "?" or "/"
 * (HTML, SVG, XML, comments, doctypes), after an optional byte-order mark
 * and blank space. Browsers sniff exactly such files as HTML. */
static int
looks_like_markup(const uint8_t *p, size_t len)
{
	size_t i = 0;

	if (len >= 3 && p[0] == 0xef && p[1] == 0xbb && p[2] == 0xbf)
		i = 3;
	while (i < len && (p[i] == ' ' || p[i] == '\t' || p[i] == '\n' ||
	    p[i] == '\r' || p[i] == '\f'))
		i++;
	if (i + 1 >= len || p[i] != '<')
		return 0;
	i++;
	return (p[i] >= 'a' && p[i] <= 'z') || (p[i] >= 'A' && p[i] <= 'Z') ||
	    p[i] == '!' || p[i] == '?' || p[i] == '/';
}

static int
text_ok(const uint8_t *p, size_t len)
{
	size_t		i = 0, n;
	uint32_t	c;

	while (i < len) {
		if ((n = utf8_next(p + i, len - i, &c)) == 0 ||
		    !text_control_ok(c))
			return 0;
		i += n;
	}
	return !looks_like_markup(p, len);
}

int
srv_attach_sniff(const uint8_t *p, size_t len)
{
	if (p == NULL || len == 0)
		return -1;
	if (len >= 3 && p[0] == 0xff && p[1] == 0xd8 && p[2] == 0xff)
		return SRV_ATTACH_JPEG;
	if (len >= 8 && memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0)
		return SRV_ATTACH_PNG;
	if (len >= 12 && memcmp(p, "RIFF", 4) == 0 &&
	    memcmp(p + 8, "WEBP", 4) == 0)
		return SRV_ATTACH_WEBP;
	if (len >= 5 && memcmp(p, "%PDF-", 5) == 0)
		return SRV_ATTACH_PDF;
	if (text_ok(p, len))
		return SRV_ATTACH_TEXT;
	return -1;
}

/* ---- names ------------------------------------------------------------------ */

/* Invisible characters that reorder or hide text: "gpj.exe" written
 * right-to-left shows as "exe.jpg". */
static int
name_char_ok(uint32_t c)
{
	if (!text_control_ok(c) || c == '\t' || c == '\n' || c == '\f' ||
	    c == '\r')
		return 0;
	return !(c == 0x061c || (c >= 0x200b && c <= 0x200f) ||
	    (c >= 0x202a && c <= 0x202e) || (c >= 0x2060 && c <= 0x2069) ||
	    c == 0xfeff);
}

void
srv_attach_name_clean(const char *raw, char out[SRV_ATTACH_NAME_BYTES])
{
	const uint8_t	*p;
	size_t		 n, len, o = 0, chars = 0, i;
	uint32_t	 c;

	out[0] = '\0';
	if (raw == NULL)
		raw = "";
	/* The last path segment only: some clients send a whole path, with
	 * either separator. */
	for (p = (const uint8_t *)raw; *p != '\0'; p++)
		if (*p == '/' || *p == '\\')
			raw = (const char *)p + 1;
	p = (const uint8_t *)raw;
	len = strlen(raw);
	for (i = 0; i < len && chars < SRV_ATTACH_NAME_MAX; i += n) {
		if ((n = utf8_next(p + i, len - i, &c)) == 0) {
			n = 1;		/* drop a byte that is not UTF-8 */
			continue;
		}
		if (!name_char_ok(c))
			continue;
		/* Leading dots and blanks: no hidden or "." / ".." names. */
		if (o == 0 && (c == '.' || c == ' '))
			continue;
		if (c < 0x80 && strchr("\"*:<>?|", (int)c) != NULL) {
			out[o++] = '_';
		} else {
			memcpy(out + o, p + i, n);
			o += n;
		}
		chars++;
	}
	while (o > 0 && (out[o - 1] == ' ' || out[o - 1] == '.'))
		o--;
	out[o] = '\0';
	if (o == 0)
		memcpy(out, "attachment", sizeof("attachment"));
}

void
srv_attach_download_name(const char *name, int type, char *out,
    size_t outlen)
{
	const char	*dot, *ext = srv_attach_ext(type);
	char		 want[16];
	size_t		 elen, i;

	if (ext == NULL) {
		snprintf(out, outlen, "%s", name);
		return;
	}
	/* Keep the name when its extension fits the type; otherwise add the
	 * right one, so a PNG sent as "scan.pdf" is not opened as a PDF. */
	dot = strrchr(name, '.');
	elen = dot != NULL ? strlen(dot + 1) : 0;
	if (elen > 0 && elen + 3 <= sizeof(want)) {
		want[0] = ' ';
		for (i = 0; i < elen; i++)
			want[i + 1] = (char)(dot[1 + i] >= 'A' &&
			    dot[1 + i] <= 'Z' ? dot[1 + i] - 'A' + 'a' :
			    dot[1 + i]);
		want[elen + 1] = ' ';
		want[elen + 2] = '\0';
		if (strstr(types[type].exts, want) != NULL) {
			snprintf(out, outlen, "%s", name);
			return;
		}
	}
	snprintf(out, outlen, "%s.%s", name, ext);
}

/* ---- the agency copy ---------------------------------------------------------- */

/*
 * The helper's output is checked, not trusted: libvips 8.14's WebP saver
 * ignores "strip" and writes an EXIF chunk rebuilt from the resolution,
 * and a later version could start writing something else. A JPEG may hold
 * only APP0 (JFIF) and APP14 (Adobe colour transform) before its scan; a
 * PNG only the chunks that describe pixels; a WebP container is rewritten
 * without EXIF, XMP and ICCP chunks. Anything else and the upload is
 * refused rather than passed on.
 */
static int
jpeg_bare(const uint8_t *p, size_t len)
{
	size_t	i = 2, seg;
	uint8_t	m;

	while (i + 4 <= len && p[i] == 0xff) {
		m = p[i + 1];
		if (m == 0xda)			/* start of scan */
			return 1;
		if ((m >= 0xe1 && m <= 0xef && m != 0xee) || m == 0xfe)
			return 0;		/* APPn, COM */
		seg = ((size_t)p[i + 2] << 8) | p[i + 3];
		if (seg < 2)
			return 0;
		i += 2 + seg;
	}
	return 0;
}

static int
png_bare(const uint8_t *p, size_t len)
{
	static const char	 keep[] = " IHDR PLTE IDAT IEND tRNS pHYs gAMA "
	    "cHRM sRGB sBIT bKGD ";
	char			 name[7];
	size_t			 i = 8, clen;

	while (i + 12 <= len) {
		clen = store_be32_get(p + i);
		name[0] = ' ';
		memcpy(name + 1, p + i + 4, 4);
		name[5] = ' ';
		name[6] = '\0';
		if (memchr(name, '\0', 6) != NULL || strstr(keep, name) == NULL)
			return 0;
		if (memcmp(p + i + 4, "IEND", 4) == 0)
			return 1;
		if (clen > len - i - 12)
			return 0;
		i += 12 + clen;
	}
	return 0;
}

static uint32_t
le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	    (uint32_t)p[3] << 24;
}

static void
le32_put(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/* Rewrites a WebP in place keeping only VP8X (its ICC, EXIF and XMP
 * flags cleared), ALPH, VP8 and VP8L chunks; -1 if it is malformed. */
static int
webp_bare(uint8_t *p, size_t *lenp)
{
	size_t		len = *lenp, i = 12, o = 12, clen, step;
	const uint8_t	*c;

	if (len < 12 || memcmp(p, "RIFF", 4) != 0 ||
	    memcmp(p + 8, "WEBP", 4) != 0 || le32(p + 4) != len - 8)
		return -1;
	while (i < len) {
		if (len - i < 8)
			return -1;
		c = p + i;
		clen = le32(c + 4);
		if (clen > len - i - 8)
			return -1;
		step = 8 + clen + (clen & 1);
		if (step > len - i)
			step = len - i;
		if (memcmp(c, "VP8X", 4) == 0 || memcmp(c, "ALPH", 4) == 0 ||
		    memcmp(c, "VP8 ", 4) == 0 || memcmp(c, "VP8L", 4) == 0) {
			memmove(p + o, c, step);
			if (memcmp(p + o, "VP8X", 4) == 0 && clen >= 1)
				p[o + 8] &= (uint8_t)~0x2c;	/* ICC EXIF XMP */
			o += step;
		}
		i += step;
	}
	le32_put(p + 4, (uint32_t)(o - 8));
	*lenp = o;
	return 0;
}

int
srv_attach_bare(int type, uint8_t *p, size_t *len)
{
	if (p == NULL || srv_attach_sniff(p, *len) != type)
		return -1;
	switch (type) {
	case SRV_ATTACH_JPEG:
		return jpeg_bare(p, *len) ? 0 : -1;
	case SRV_ATTACH_PNG:
		return png_bare(p, *len) ? 0 : -1;
	case SRV_ATTACH_WEBP:
		return webp_bare(p, len);
	default:
		return -1;
	}
}

/*
 * An image goes to a worker of the image helper (media.c), never decoded
 * here; what comes back is checked as if an attacker had written it,
 * since one may have taken that worker over: it must be an image of the
 * type sent, of the bare structure above. Otherwise it is refused, with
 * an error line (a saver that starts writing metadata is a bug to fix).
 */
static int
clean_image(int type, const uint8_t *in, size_t len, uint8_t **out,
    size_t *outlen)
{
	uint8_t	*p = NULL;
	size_t	 n = 0;
	int	 rc;

	if ((rc = srv_media_clean(type, in, len, &p, &n)) != SRV_ATTACH_OK)
		return rc;
	if (srv_attach_bare(type, p, &n) == -1) {
		srv_log(LOG_ERR, "attachment_metadata", "detail=output_refused "
		    "type=%s", srv_attach_mime(type));
		crypto_wipe(p, n);
		free(p);
		return SRV_ATTACH_FAILED;
	}
	*out = p;
	*outlen = n;
	return SRV_ATTACH_OK;
}

int
srv_attach_clean(int type, const uint8_t *in, size_t len, uint8_t **out,
    size_t *outlen)
{
	char *t;

	*out = NULL;
	*outlen = 0;
	switch (type) {
	case SRV_ATTACH_JPEG:
	case SRV_ATTACH_PNG:
	case SRV_ATTACH_WEBP:
		return clean_image(type, in, len, out, outlen);
	case SRV_ATTACH_PDF:
		return SRV_ATTACH_OK;	/* the original is the agency copy */
	case SRV_ATTACH_TEXT:
		if ((t = core_redact((const char *)in, len)) == NULL)
			return SRV_ATTACH_NOMEM;
		*out = (uint8_t *)t;
		*outlen = strlen(t);
		return SRV_ATTACH_OK;
	default:
		return SRV_ATTACH_UNSUPPORTED;
	}
}
