/*
 * server_attach_test.c: attachments' content rules (server/attach.c).
 *
 * The sniffer against a table of allowed and refused files, display-name
 * cleaning, and the agency copy, made by the real image helper (the
 * bisik-media beside this test's build directory, started as bisikd
 * starts it): a real JPEG carrying GPS EXIF, camera serial, XMP, a
 * comment and a thumbnail (tests/fixtures/gps.jpg) must come out with
 * none of them and upright; PNG and WebP made from it likewise; headers
 * that claim too many pixels are refused before decoding. The check of
 * what the helper returns (srv_attach_bare) refuses metadata a helper
 * taken over might add. The test itself uses libvips to make and read
 * images. Run from the repository root (tests/run.sh does).
 */
#include <limits.h>
#include <unistd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <vips/vips.h>

#include "server/server.h"
#include "tests/unit/tap.h"

#define FIXTURE	"tests/fixtures/gps.jpg"

static uint8_t *
read_all(const char *path, size_t *len)
{
	FILE	*f;
	uint8_t	*p;
	long	 n;

	if ((f = fopen(path, "rb")) == NULL)
		return NULL;
	if (fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) <= 0 ||
	    fseek(f, 0, SEEK_SET) != 0 || (p = malloc((size_t)n)) == NULL) {
		fclose(f);
		return NULL;
	}
	if (fread(p, 1, (size_t)n, f) != (size_t)n) {
		free(p);
		p = NULL;
	}
	fclose(f);
	*len = (size_t)n;
	return p;
}

static int
has(const uint8_t *p, size_t len, const char *needle)
{
	size_t n = strlen(needle), i;

	for (i = 0; n <= len && i <= len - n; i++)
		if (memcmp(p + i, needle, n) == 0)
			return 1;
	return 0;
}

/* 1 if a JPEG has an APP1 (EXIF/XMP), APP13 (IPTC) or COM segment before
 * its image data. */
static int
jpeg_has_metadata(const uint8_t *p, size_t len)
{
	size_t i = 2, seg;

	while (i + 4 <= len && p[i] == 0xff) {
		if (p[i + 1] == 0xda)		/* start of scan */
			return 0;
		if (p[i + 1] == 0xe1 || p[i + 1] == 0xed || p[i + 1] == 0xfe)
			return 1;
		seg = ((size_t)p[i + 2] << 8) | p[i + 3];
		i += 2 + seg;
	}
	return 0;
}

static void
test_sniff(const uint8_t *jpeg, size_t jlen, const uint8_t *png,
    size_t plen, const uint8_t *webp, size_t wlen)
{
	static const struct {
		const char	*name;
		const char	*bytes;
		size_t		 len;
		int		 want;
	} table[] = {
		{ "pdf", "%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", 24,
		    SRV_ATTACH_PDF },
		{ "ascii text", "Jalan rusak di depan pasar.\r\n", 29,
		    SRV_ATTACH_TEXT },
		{ "utf-8 text with tab and BOM",
		    "\xef\xbb\xbfNama\tJalan \xe2\x80\x94 caf\xc3\xa9\n", 24,
		    SRV_ATTACH_TEXT },
		{ "text starting with < and a digit", "<3 terima kasih\n", 16,
		    SRV_ATTACH_TEXT },
		{ "ELF executable", "\x7f" "ELF\x02\x01\x01\0\0\0\0\0", 12, -1 },
		{ "Windows executable", "MZ\x90\0\x03\0\0\0\x04\0", 10, -1 },
		{ "HTML", "<!DOCTYPE html><html><script>alert(1)</script>",
		    46, -1 },
		{ "HTML after blank lines", "\n\n  <html><body>x</body></html>",
		    31, -1 },
		{ "SVG", "<svg xmlns=\"http://www.w3.org/2000/svg\" "
		    "onload=\"alert(1)\"/>", 59, -1 },
		{ "XML with SVG", "<?xml version=\"1.0\"?>\n<svg/>", 28, -1 },
		{ "zip", "PK\x03\x04\x14\0\0\0\x08\0", 10, -1 },
		{ "gzip", "\x1f\x8b\x08\0\0\0\0\0", 8, -1 },
		{ "GIF", "GIF89a\x01\0\x01\0\x80\0\0", 13, -1 },
		{ "RIFF WAVE", "RIFF\x24\0\0\0WAVEfmt ", 16, -1 },
		{ "empty", "", 0, -1 },
		{ "text with NUL", "abc\0def\n", 8, -1 },
		{ "invalid UTF-8", "abc\xff\n", 5, -1 },
		{ "overlong UTF-8", "a\xc0\xaf", 3, -1 },
		{ "UTF-16 surrogate", "a\xed\xa0\x80", 4, -1 },
		{ "truncated UTF-8", "a\xe2\x80", 3, -1 },
		{ "terminal escape", "ok\x1b[31mred\n", 11, -1 },
		{ "C1 control", "a\xc2\x85" "b", 4, -1 },
		{ "DEL", "a\x7f", 2, -1 },
	};
	size_t	i;
	char	name[128];

	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		snprintf(name, sizeof(name), "sniff: %s", table[i].name);
		CHECK(srv_attach_sniff((const uint8_t *)table[i].bytes,
		    table[i].len) == table[i].want, name);
	}
	CHECK(srv_attach_sniff(NULL, 0) == -1, "sniff: NULL");
	CHECK(srv_attach_sniff(jpeg, jlen) == SRV_ATTACH_JPEG, "sniff: jpeg");
	CHECK(srv_attach_sniff(png, plen) == SRV_ATTACH_PNG, "sniff: png");
	CHECK(srv_attach_sniff(webp, wlen) == SRV_ATTACH_WEBP, "sniff: webp");
	CHECK(srv_attach_sniff(jpeg, 2) == -1, "sniff: 2 bytes of a jpeg");
	/* The name plays no part: a PNG called .jpg is a PNG, and it is
	 * downloaded with the right extension. */
	{
		char dl[SRV_DOWNLOAD_NAME_BYTES];

		srv_attach_download_name("foto.jpg", SRV_ATTACH_PNG, dl,
		    sizeof(dl));
		CHECK(strcmp(dl, "foto.jpg.png") == 0,
		    "png named .jpg downloads as .jpg.png");
		srv_attach_download_name("scan.pdf", SRV_ATTACH_PNG, dl,
		    sizeof(dl));
		CHECK(strcmp(dl, "scan.pdf.png") == 0,
		    "png named .pdf downloads as .pdf.png");
		srv_attach_download_name("Foto.JPEG", SRV_ATTACH_JPEG, dl,
		    sizeof(dl));
		CHECK(strcmp(dl, "Foto.JPEG") == 0, "fitting extension kept");
		srv_attach_download_name("catatan", SRV_ATTACH_TEXT, dl,
		    sizeof(dl));
		CHECK(strcmp(dl, "catatan.txt") == 0, "extension added");
	}
	CHECK(strcmp(srv_attach_mime(SRV_ATTACH_WEBP), "image/webp") == 0 &&
	    srv_attach_type_parse("application/pdf") == SRV_ATTACH_PDF &&
	    srv_attach_type_parse("image/svg+xml") == -1 &&
	    srv_attach_mime(SRV_ATTACH_TYPE_MAX) == NULL, "mime table");
}

static void
test_names(void)
{
	static const struct {
		const char	*in, *want;
	} table[] = {
		{ "laporan.pdf", "laporan.pdf" },
		{ "../../etc/passwd", "passwd" },
		{ "C:\\Users\\budi\\Desktop\\foto.jpg", "foto.jpg" },
		{ "a\x01" "b\x7f\nc\td.txt", "abcd.txt" },
		{ "..", "attachment" },
		{ "../", "attachment" },
		{ "", "attachment" },
		{ ".bashrc", "bashrc" },
		{ "  spasi.txt. ", "spasi.txt" },
		{ "gpj\xe2\x80\xae" "exe.jpg", "gpjexe.jpg" },
		{ "a\xef\xbb\xbf" "b\xe2\x80\x8b" "c.txt", "abc.txt" },
		{ "bad\xff\xfe" "bytes.txt", "badbytes.txt" },
		{ "a\"b<c>d|e?.txt", "a_b_c_d_e_.txt" },
		{ "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac.txt",
		    "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac.txt" },
		{ "a\xc2\x85" "b", "ab" },
	};
	char	out[SRV_ATTACH_NAME_BYTES], in[1024], name[160];
	size_t	i;

	for (i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		srv_attach_name_clean(table[i].in, out);
		snprintf(name, sizeof(name), "name %zu cleaned to \"%s\"", i,
		    table[i].want);
		CHECK(strcmp(out, table[i].want) == 0, name);
	}
	srv_attach_name_clean(NULL, out);
	CHECK(strcmp(out, "attachment") == 0, "NULL name");
	/* Edge of SRV_ATTACH_NAME_MAX, in characters, not bytes. */
	memset(in, 'x', SRV_ATTACH_NAME_MAX);
	in[SRV_ATTACH_NAME_MAX] = '\0';
	srv_attach_name_clean(in, out);
	CHECK(strlen(out) == SRV_ATTACH_NAME_MAX, "name of exactly 120 kept");
	memset(in, 'x', 300);
	in[300] = '\0';
	srv_attach_name_clean(in, out);
	CHECK(strlen(out) == SRV_ATTACH_NAME_MAX, "name of 300 cut to 120");
	for (i = 0; i < 200; i++)
		memcpy(in + 2 * i, "\xc3\xa9", 2);
	in[400] = '\0';
	srv_attach_name_clean(in, out);
	CHECK(strlen(out) == 2 * SRV_ATTACH_NAME_MAX &&
	    memcmp(out + strlen(out) - 2, "\xc3\xa9", 2) == 0,
	    "multibyte name cut at 120 characters, whole characters");
	for (i = 0; i < 250; i++)
		memcpy(in + 4 * i, "\xf0\x9f\x98\x80", 4);
	in[1000] = '\0';
	srv_attach_name_clean(in, out);
	CHECK(strlen(out) == 4 * SRV_ATTACH_NAME_MAX,
	    "4-byte characters fit SRV_ATTACH_NAME_BYTES");
}

/* The agency copy of an image: same format, no metadata, upright. */
static void
check_clean(const char *what, int type, const uint8_t *in, size_t len,
    int want_w, int want_h)
{
	uint8_t		*out = NULL;
	size_t		 outlen = 0;
	VipsImage	*img = NULL;
	char		 name[160];
	int		 rc;

	rc = srv_attach_clean(type, in, len, &out, &outlen);
	snprintf(name, sizeof(name), "%s: re-encoded", what);
	CHECK(rc == SRV_ATTACH_OK && out != NULL && outlen > 0, name);
	if (rc != SRV_ATTACH_OK || out == NULL)
		return;
	snprintf(name, sizeof(name), "%s: same type", what);
	CHECK(srv_attach_sniff(out, outlen) == type, name);
	snprintf(name, sizeof(name), "%s: no Exif, GPS, XMP, camera, "
	    "comment", what);
	CHECK(!has(out, outlen, "Exif") && !has(out, outlen, "EXIF") &&
	    !has(out, outlen, "eXIf") && !has(out, outlen, "GPS") &&
	    !has(out, outlen, "BisikTestCam") &&
	    !has(out, outlen, "SN123456789") &&
	    !has(out, outlen, "Budi") && !has(out, outlen, "secret comment") &&
	    !has(out, outlen, "ns.adobe.com") && !has(out, outlen, "XMP") &&
	    !has(out, outlen, "iTXt") && !has(out, outlen, "tEXt") &&
	    !has(out, outlen, "zTXt"), name);
	if (type == SRV_ATTACH_JPEG) {
		snprintf(name, sizeof(name), "%s: no APP1/APP13/COM segment",
		    what);
		CHECK(!jpeg_has_metadata(out, outlen), name);
	}
	img = vips_image_new_from_buffer(out, outlen, "", NULL);
	snprintf(name, sizeof(name), "%s: upright (%dx%d)", what, want_w,
	    want_h);
	CHECK(img != NULL && vips_image_get_width(img) == want_w &&
	    vips_image_get_height(img) == want_h, name);
	snprintf(name, sizeof(name), "%s: no metadata fields left", what);
	CHECK(img != NULL &&
	    vips_image_get_typeof(img, VIPS_META_EXIF_NAME) == 0 &&
	    vips_image_get_typeof(img, VIPS_META_XMP_NAME) == 0 &&
	    vips_image_get_typeof(img, VIPS_META_ORIENTATION) == 0, name);
	if (img != NULL)
		g_object_unref(img);
	crypto_wipe(out, outlen);
	free(out);
}

/* Overwrites the first SOF0/SOF2 frame size of a JPEG. */
static int
jpeg_set_size(uint8_t *p, size_t len, unsigned w, unsigned h)
{
	size_t i = 2;

	while (i + 9 <= len && p[i] == 0xff) {
		if (p[i + 1] == 0xc0 || p[i + 1] == 0xc2) {
			p[i + 5] = (uint8_t)(h >> 8);
			p[i + 6] = (uint8_t)h;
			p[i + 7] = (uint8_t)(w >> 8);
			p[i + 8] = (uint8_t)w;
			return 0;
		}
		i += 2 + (((size_t)p[i + 2] << 8) | p[i + 3]);
	}
	return -1;
}

static uint32_t
crc32_png(const uint8_t *p, size_t len)
{
	uint32_t	c = 0xffffffffu;
	size_t		i;
	int		k;

	for (i = 0; i < len; i++) {
		c ^= p[i];
		for (k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1)));
	}
	return c ^ 0xffffffffu;
}

/* Overwrites a PNG's IHDR size and fixes its CRC. */
static void
png_set_size(uint8_t *p, uint32_t w, uint32_t h)
{
	uint32_t crc;

	/* signature (8), length (4), "IHDR" at 12, data at 16 */
	store_be32_put(p + 16, w);
	store_be32_put(p + 20, h);
	crc = crc32_png(p + 12, 4 + 13);
	store_be32_put(p + 29, crc);
}

static void
test_bombs(const uint8_t *small_jpeg, size_t jlen, const uint8_t *small_png,
    size_t plen)
{
	uint8_t	*j = malloc(jlen), *p = malloc(plen), *out = NULL;
	size_t	 outlen;

	if (j == NULL || p == NULL) {
		CHECK(0, "bomb buffers");
		free(j);
		free(p);
		return;
	}
	memcpy(j, small_jpeg, jlen);
	CHECK(jpeg_set_size(j, jlen, 60000, 60000) == 0 &&
	    srv_attach_clean(SRV_ATTACH_JPEG, j, jlen, &out, &outlen) ==
	    SRV_ATTACH_TOO_BIG && out == NULL,
	    "jpeg claiming 60000x60000 refused from its header");
	/* One pixel past the bound, then exactly at it: the bound is
	 * inclusive (the file is then only too short to decode). */
	memcpy(j, small_jpeg, jlen);
	CHECK(jpeg_set_size(j, jlen, 8000, 5001) == 0 &&
	    srv_attach_clean(SRV_ATTACH_JPEG, j, jlen, &out, &outlen) ==
	    SRV_ATTACH_TOO_BIG, "jpeg of 8000x5001 (40 MP + 8000) refused");
	/* At the bound: decoded (libjpeg pads the missing data grey, a
	 * warning, not an error). */
	memcpy(j, small_jpeg, jlen);
	CHECK(jpeg_set_size(j, jlen, 8000, 5000) == 0 &&
	    srv_attach_clean(SRV_ATTACH_JPEG, j, jlen, &out, &outlen) ==
	    SRV_ATTACH_OK && out != NULL, "jpeg of 8000x5000 (40 MP) passes");
	free(out);
	out = NULL;
	memcpy(p, small_png, plen);
	png_set_size(p, 100000, 100000);
	CHECK(srv_attach_clean(SRV_ATTACH_PNG, p, plen, &out, &outlen) ==
	    SRV_ATTACH_TOO_BIG, "png claiming 100000x100000 refused");
	memcpy(j, small_jpeg, jlen);
	memset(j + jlen / 2, 0x5a, jlen - jlen / 2);
	CHECK(srv_attach_clean(SRV_ATTACH_JPEG, j, jlen, &out, &outlen) ==
	    SRV_ATTACH_CORRUPT && out == NULL, "corrupt jpeg refused");
	CHECK(srv_attach_clean(SRV_ATTACH_PNG, small_png, 20, &out,
	    &outlen) == SRV_ATTACH_CORRUPT, "truncated png refused");
	CHECK(srv_attach_clean(SRV_ATTACH_WEBP, (const uint8_t *)
	    "RIFF\x10\0\0\0WEBPVP8 \0\0\0\0", 20, &out, &outlen) ==
	    SRV_ATTACH_CORRUPT, "corrupt webp refused");
	free(j);
	free(p);
}

static void
test_other_types(void)
{
	const char	*text = "Hubungi saya di 081234567890 atau "
	    "budi@example.com, NIK 3171234567890001.\n";
	const char	*pdf = "%PDF-1.4\n1 0 obj <<>> endobj\n";
	uint8_t		*out = NULL;
	size_t		 outlen = 0;

	CHECK(srv_attach_clean(SRV_ATTACH_TEXT, (const uint8_t *)text,
	    strlen(text), &out, &outlen) == SRV_ATTACH_OK && out != NULL &&
	    !has(out, outlen, "081234567890") &&
	    !has(out, outlen, "budi@example.com") &&
	    !has(out, outlen, "3171234567890001") &&
	    has(out, outlen, "Hubungi saya"), "text: agency copy redacted");
	free(out);
	out = NULL;
	CHECK(srv_attach_clean(SRV_ATTACH_PDF, (const uint8_t *)pdf,
	    strlen(pdf), &out, &outlen) == SRV_ATTACH_OK && out == NULL,
	    "pdf: the original is the agency copy");
	CHECK(srv_attach_clean(-1, (const uint8_t *)pdf, strlen(pdf), &out,
	    &outlen) == SRV_ATTACH_UNSUPPORTED, "unknown type refused");
}

/* Starts build/bisik-media as bisikd does (../bisik-media from here). */
static int
helper_start(void)
{
	struct srv_config	cfg;
	char			self[PATH_MAX], path[PATH_MAX + 16], err[256];
	char			*sl;
	ssize_t			n;

	if ((n = readlink("/proc/self/exe", self, sizeof(self) - 1)) <= 0)
		return -1;
	self[n] = '\0';
	if ((sl = strrchr(self, '/')) == NULL)
		return -1;
	*sl = '\0';
	if ((sl = strrchr(self, '/')) == NULL)
		return -1;
	*sl = '\0';
	snprintf(path, sizeof(path), "%s/bisik-media", self);
	srv_config_defaults(&cfg);
	cfg.log_level = LOG_ERR;
	if (srv_media_start(path, err, sizeof(err)) == -1 ||
	    srv_media_configure(&cfg, err, sizeof(err)) == -1) {
		fprintf(stderr, "# %s\n", err);
		return -1;
	}
	return 0;
}

/* A JPEG with an APP1 segment, a PNG with a tEXt chunk, a WebP with an
 * EXIF chunk, as a helper taken over might return them. */
static void
test_bare(const uint8_t *jpeg, size_t jlen, const uint8_t *png, size_t plen,
    const uint8_t *webp, size_t wlen)
{
	uint8_t	*p;
	size_t	 n;

	if ((p = malloc(jlen + plen + wlen)) == NULL) {
		CHECK(0, "bare buffers");
		return;
	}
	memcpy(p, jpeg, jlen);
	n = jlen;
	CHECK(srv_attach_bare(SRV_ATTACH_JPEG, p, &n) == -1,
	    "bare: a JPEG with EXIF (APP1) is refused");
	memcpy(p, png, plen);
	n = plen;
	CHECK(srv_attach_bare(SRV_ATTACH_PNG, p, &n) == -1,
	    "bare: a PNG with eXIf is refused");
	memcpy(p, webp, wlen);
	n = wlen;
	CHECK(srv_attach_bare(SRV_ATTACH_WEBP, p, &n) == 0 && n < wlen &&
	    !has(p, n, "EXIF") && !has(p, n, "XMP") &&
	    srv_attach_sniff(p, n) == SRV_ATTACH_WEBP,
	    "bare: a WebP is rewritten without its EXIF and XMP chunks");
	memcpy(p, png, plen);
	n = plen;
	CHECK(srv_attach_bare(SRV_ATTACH_JPEG, p, &n) == -1,
	    "bare: a PNG where a JPEG was asked for is refused");
	n = 0;
	CHECK(srv_attach_bare(SRV_ATTACH_JPEG, p, &n) == -1,
	    "bare: nothing is refused");
	free(p);
}

int
main(void)
{
	uint8_t		*jpeg;
	void		*png = NULL, *webp = NULL, *small_j = NULL,
			*small_p = NULL;
	size_t		 jlen, plen = 0, wlen = 0, sjlen = 0, splen = 0;
	VipsImage	*img = NULL, *black = NULL;

	if (crypto_init() == -1 || VIPS_INIT("server_attach_test") != 0 ||
	    helper_start() == -1) {
		CHECK(0, "init (crypto, libvips, the image helper)");
		return tap_done();
	}
	if ((jpeg = read_all(FIXTURE, &jlen)) == NULL) {
		CHECK(0, "read " FIXTURE " (run from the repository root)");
		return tap_done();
	}
	/* The fixture really carries what must be removed. */
	CHECK(has(jpeg, jlen, "Exif") && has(jpeg, jlen, "BisikTestCam") &&
	    has(jpeg, jlen, "SN123456789") && has(jpeg, jlen, "Budi") &&
	    has(jpeg, jlen, "ns.adobe.com") && jpeg_has_metadata(jpeg, jlen),
	    "fixture carries EXIF, serial, XMP");
	/* PNG and WebP that keep the fixture's EXIF and XMP (no strip): the
	 * metadata travels with the image in libvips. */
	img = vips_image_new_from_buffer(jpeg, jlen, "", NULL);
	if (img == NULL || vips_pngsave_buffer(img, &png, &plen, NULL) != 0 ||
	    vips_webpsave_buffer(img, &webp, &wlen, NULL) != 0) {
		CHECK(0, "make png and webp from the fixture");
		return tap_done();
	}
	CHECK(has(png, plen, "eXIf") || has(png, plen, "Exif"),
	    "png made from fixture carries EXIF");
	CHECK(has(webp, wlen, "EXIF"), "webp made from fixture carries EXIF");

	test_sniff(jpeg, jlen, png, plen, webp, wlen);
	test_bare(jpeg, jlen, png, plen, webp, wlen);
	test_names();
	check_clean("jpeg with GPS", SRV_ATTACH_JPEG, jpeg, jlen, 48, 64);
	/* The PNG and WebP carry the fixture's orientation too. */
	check_clean("png with EXIF", SRV_ATTACH_PNG, png, plen, 48, 64);
	check_clean("webp with EXIF", SRV_ATTACH_WEBP, webp, wlen, 48, 64);
	/* A PNG named .jpg: the sniffer says PNG and PNG is re-encoded. */
	CHECK(srv_attach_sniff(png, plen) == SRV_ATTACH_PNG,
	    "png content wins over any name");

	if (vips_black(&black, 16, 16, NULL) != 0 ||
	    vips_jpegsave_buffer(black, &small_j, &sjlen, NULL) != 0 ||
	    vips_pngsave_buffer(black, &small_p, &splen, NULL) != 0) {
		CHECK(0, "make small images");
		return tap_done();
	}
	test_bombs(small_j, sjlen, small_p, splen);
	test_other_types();
	/* Only the JPEG magic, then anything: refused, not decoded by some
	 * other loader (the helper blocks all but three). */
	{
		static const uint8_t	fake[] = "\xff\xd8\xff" "GIF89a not really";
		uint8_t			*out = NULL;
		size_t			 outlen = 0;

		CHECK(srv_attach_clean(SRV_ATTACH_JPEG, fake, sizeof(fake) - 1,
		    &out, &outlen) == SRV_ATTACH_CORRUPT && out == NULL,
		    "jpeg magic without a jpeg refused");
	}

	g_object_unref(black);
	g_object_unref(img);
	g_free(png);
	g_free(webp);
	g_free(small_j);
	g_free(small_p);
	free(jpeg);
	srv_media_stop();
	vips_shutdown();
	return tap_done();
}
