/*
 * media_image.c: re-encoding one image without its metadata, in the image
 * helper (bisik-media) only. This is the one file that sees libvips.
 *
 * Photos carry who and where: EXIF GPS position, camera serial number,
 * owner name, XMP edit history, an embedded thumbnail that may show the
 * uncropped picture. Images are therefore decoded and re-encoded with
 * every metadata block left out (after turning them upright from the EXIF
 * orientation, so that nothing visible changes). bisikd then checks the
 * result's structure itself (attach.c) rather than trust this process.
 *
 * libvips is set up once, small and strict, before the worker confines
 * itself: one worker thread, no operation cache, no run-time generated
 * code, no loadable modules (the worker is exec'd with VIPSHOME pointing
 * nowhere, so ImageMagick, poppler, libheif and OpenSlide are never even
 * mapped), every loader blocked except the three we need (librsvg, which
 * libvips links, is never reached), and images
 * streamed or decoded in memory (never to a temporary file holding the
 * plain pixels).
 * A tiny image of each type is then re-encoded once, so that what the
 * codecs set up lazily (tables, CPU feature probes, GLib's thread pool)
 * happens before the seccomp filter, not under it.
 */
#include <stdlib.h>
#include <string.h>

#include <vips/vips.h>
#include <vips/vector.h>	/* vips_vector_set_enabled */

#include "server/media.h"

/* libvips and the codecs under it (libjpeg "corrupt data" warnings, ...)
 * speak through GLib's log; a worker has nobody to tell, and an
 * attacker's file must not fill the server's log. */
static void
quiet(const gchar *domain, GLogLevelFlags level, const gchar *msg,
    gpointer arg)
{
	(void)domain;
	(void)level;
	(void)msg;
	(void)arg;
}

/*
 * Loads with the one loader the type names. Loading reads only the header;
 * pixels are decoded when the saver asks for them, so the size check runs
 * before any large allocation. Sequential access streams the pixels from
 * decoder to encoder a strip at a time, so the decoded image is never
 * held whole, nor written to a temporary file; an image that must be
 * turned is read into memory first (upright). fail_on=error turns a
 * damaged file into an error instead of a half-grey picture.
 */
static int
image_load(int type, VipsSource *src, VipsImage **img)
{
	switch (type) {
	case SRV_MEDIA_JPEG:
		return vips_jpegload_source(src, img, "access", VIPS_ACCESS_SEQUENTIAL,
		    "fail_on", VIPS_FAIL_ON_ERROR, NULL);
	case SRV_MEDIA_PNG:
		return vips_pngload_source(src, img, "access", VIPS_ACCESS_SEQUENTIAL,
		    "fail_on", VIPS_FAIL_ON_ERROR, NULL);
	case SRV_MEDIA_WEBP:
		return vips_webpload_source(src, img, "access", VIPS_ACCESS_SEQUENTIAL,
		    "fail_on", VIPS_FAIL_ON_ERROR, NULL);
	default:
		return -1;
	}
}

/* Upright: a turned image is held in memory (a sequential image cannot be
 * read out of order); the orientation tag goes with the rest below. */
static int
upright(VipsImage *in, VipsImage **out)
{
	VipsImage	*mem;
	int		 rc;

	if (vips_image_get_orientation(in) <= 1)
		return vips_copy(in, out, NULL);
	if ((mem = vips_image_copy_memory(in)) == NULL)
		return -1;
	rc = vips_autorot(mem, out, NULL);
	g_object_unref(mem);
	return rc;
}

/*
 * Every metadata field off a private copy of the image (EXIF and its
 * decoded tags, XMP, IPTC, ICC, comments, the EXIF thumbnail, the loader's
 * own notes); only the built-in properties (size, bands, format,
 * resolution) stay, which vips_image_remove() leaves alone.
 */
static int
drop_fields(VipsImage *in, VipsImage **out)
{
	gchar	**f;
	int	  i;

	if (vips_copy(in, out, NULL) != 0)
		return -1;
	if ((f = vips_image_get_fields(*out)) == NULL)
		return -1;
	for (i = 0; f[i] != NULL; i++)
		(void)vips_image_remove(*out, f[i]);
	g_strfreev(f);
	return 0;
}

/* Saves in the same format with "strip" set, which should write no
 * metadata at all; bisikd checks that it did not (attach.c). */
static int
image_save(int type, VipsImage *img, void **buf, size_t *len)
{
	switch (type) {
	case SRV_MEDIA_JPEG:
		return vips_jpegsave_buffer(img, buf, len, "strip", TRUE,
		    "Q", SRV_MEDIA_QUALITY, NULL);
	case SRV_MEDIA_PNG:
		return vips_pngsave_buffer(img, buf, len, "strip", TRUE, NULL);
	case SRV_MEDIA_WEBP:
		return vips_webpsave_buffer(img, buf, len, "strip", TRUE,
		    "Q", SRV_MEDIA_QUALITY, NULL);
	default:
		return -1;
	}
}

int
media_image_clean(int type, const uint8_t *in, size_t len, uint8_t **out,
    size_t *outlen)
{
	VipsSource	*src = NULL;
	VipsImage	*img = NULL, *up = NULL, *bare = NULL;
	void		*buf = NULL;
	size_t		 n = 0;
	uint64_t	 pixels;
	int		 rc = SRV_MEDIA_CORRUPT;

	*out = NULL;
	*outlen = 0;
	if ((src = vips_source_new_from_memory(in, len)) == NULL) {
		vips_error_clear();
		return SRV_MEDIA_FAILED;
	}
	if (image_load(type, src, &img) != 0)
		goto out;
	pixels = (uint64_t)vips_image_get_width(img) *
	    (uint64_t)vips_image_get_height(img);
	if (pixels == 0 || pixels > SRV_MEDIA_PIXELS_MAX) {
		rc = pixels == 0 ? SRV_MEDIA_CORRUPT : SRV_MEDIA_TOO_BIG;
		goto out;
	}
	if (upright(img, &up) != 0 || drop_fields(up, &bare) != 0 ||
	    image_save(type, bare, &buf, &n) != 0 || n == 0)
		goto out;
	if (n > SRV_MEDIA_FRAME_MAX || (*out = malloc(n)) == NULL) {
		rc = SRV_MEDIA_FAILED;
		goto out;
	}
	memcpy(*out, buf, n);
	*outlen = n;
	rc = SRV_MEDIA_OK;
 out:
	if (buf != NULL) {
		explicit_bzero(buf, n);
		g_free(buf);
	}
	if (bare != NULL)
		g_object_unref(bare);
	if (up != NULL)
		g_object_unref(up);
	if (img != NULL)
		g_object_unref(img);
	g_object_unref(src);
	vips_error_clear();
	return rc;
}

/* One tiny image of each type through the whole path (see the top). */
static int
warm_up(void)
{
	static const int	 types[] = { SRV_MEDIA_JPEG, SRV_MEDIA_PNG,
	    SRV_MEDIA_WEBP };
	VipsImage		*black = NULL;
	void			*buf = NULL;
	uint8_t			*out = NULL;
	size_t			 n = 0, outlen = 0, i;
	int			 rc = -1;

	if (vips_black(&black, 8, 8, "bands", 3, NULL) != 0)
		return -1;
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		if (image_save(types[i], black, &buf, &n) != 0)
			goto out;
		if (media_image_clean(types[i], buf, n, &out, &outlen) !=
		    SRV_MEDIA_OK)
			goto out;
		free(out);
		out = NULL;
		g_free(buf);
		buf = NULL;
	}
	rc = 0;
 out:
	g_free(buf);
	g_object_unref(black);
	vips_error_clear();
	return rc;
}

int
media_image_init(void)
{
	if (VIPS_INIT("bisik-media") != 0)
		return -1;
	vips_concurrency_set(1);
	vips_cache_set_max(0);
	vips_cache_set_max_mem(0);
	vips_cache_set_max_files(0);
	vips_vector_set_enabled(FALSE);
	vips_leak_set(FALSE);
	vips_block_untrusted_set(TRUE);
	/* Block every loader, then allow back only the three we take; the
	 * block is inherited by subclasses (file, buffer, source). */
	vips_operation_block_set("VipsForeignLoad", TRUE);
	vips_operation_block_set("VipsForeignLoadJpeg", FALSE);
	vips_operation_block_set("VipsForeignLoadPng", FALSE);
	vips_operation_block_set("VipsForeignLoadWebp", FALSE);
	g_log_set_handler("VIPS", G_LOG_LEVEL_MASK | G_LOG_FLAG_FATAL |
	    G_LOG_FLAG_RECURSION, quiet, NULL);
	g_log_set_default_handler(quiet, NULL);
	return warm_up();
}
