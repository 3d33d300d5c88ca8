/*
 * fuzz_sniff.c: libFuzzer target for what attachments go through before
 * they are stored (server/attach.c): the content sniffer, the display-name
 * cleaner, the agency copy (the image helper's re-encoding, called here
 * in-process: server/media_image.c; redaction of text), and bisikd's check
 * of what the helper returns (srv_attach_bare), fed the raw input too,
 * since a helper taken over could return anything. Invariants: a cleaned
 * name is short, valid and path-free; an agency copy of an image is the
 * same type, and carries no metadata block once checked. Inputs are
 * bounded (libFuzzer's -max_len, and 1 MiB here): the pixel bound keeps
 * decoding time in check.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "server/server.h"
#include "server/media.h"

#define INPUT_MAX	(1024 * 1024)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int
has(const uint8_t *p, size_t len, const char *needle)
{
	size_t n = strlen(needle), i;

	for (i = 0; n <= len && i <= len - n; i++)
		if (memcmp(p + i, needle, n) == 0)
			return 1;
	return 0;
}

static void
check_name(const uint8_t *data, size_t size)
{
	char	*raw, out[SRV_ATTACH_NAME_BYTES];
	size_t	 n = size < 4096 ? size : 4096;

	if ((raw = malloc(n + 1)) == NULL)
		return;
	memcpy(raw, data, n);
	raw[n] = '\0';
	srv_attach_name_clean(raw, out);
	free(raw);
	if (out[0] == '\0' || strlen(out) >= SRV_ATTACH_NAME_BYTES ||
	    strchr(out, '/') != NULL || strchr(out, '\\') != NULL ||
	    out[0] == '.' || srv_attach_sniff((const uint8_t *)out,
	    strlen(out)) == -1)
		abort();	/* a name is always short, plain, valid text */
}

/* What bisikd does with a helper's answer, on a copy (it may rewrite). */
static int
bare_copy(int type, const uint8_t *p, size_t len, size_t *outlen)
{
	uint8_t	*c;
	int	 rc;

	if ((c = malloc(len + 1)) == NULL)
		return -1;
	memcpy(c, p, len);
	*outlen = len;
	rc = srv_attach_bare(type, c, outlen);
	if (rc == 0 && (*outlen > len || srv_attach_sniff(c, *outlen) != type ||
	    has(c, *outlen, "EXIF") || has(c, *outlen, "XMP ")))
		abort();	/* a rewritten WebP holds no metadata chunk */
	free(c);
	return rc;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int	 ready;
	uint8_t		*out = NULL;
	size_t		 outlen = 0, n;
	int		 type, rc, mt;

	if (size > INPUT_MAX || crypto_init() == -1)
		return 0;
	if (!ready && media_image_init() == -1)
		return 0;
	ready = 1;
	check_name(data, size);
	if ((type = srv_attach_sniff(data, size)) == -1)
		return 0;
	if (srv_attach_mime(type) == NULL)
		abort();
	switch (type) {
	case SRV_ATTACH_JPEG:
	case SRV_ATTACH_PNG:
	case SRV_ATTACH_WEBP:
		(void)bare_copy(type, data, size, &n);
		mt = type == SRV_ATTACH_JPEG ? SRV_MEDIA_JPEG :
		    type == SRV_ATTACH_PNG ? SRV_MEDIA_PNG : SRV_MEDIA_WEBP;
		rc = media_image_clean(mt, data, size, &out, &outlen);
		if (rc != SRV_MEDIA_OK) {
			if (out != NULL)
				abort();	/* nothing on failure */
			return 0;
		}
		/* The saver may write what bisikd refuses (it then says
		 * so); what bisikd accepts must be bare. */
		if (out == NULL || srv_attach_sniff(out, outlen) != type)
			abort();
		(void)bare_copy(type, out, outlen, &n);
		break;
	default:
		rc = srv_attach_clean(type, data, size, &out, &outlen);
		if (rc != SRV_ATTACH_OK) {
			if (out != NULL)
				abort();
			return 0;
		}
		if (type == SRV_ATTACH_PDF && out != NULL)
			abort();
		if (type == SRV_ATTACH_TEXT && (out == NULL ||
		    memchr(out, '\0', outlen) != NULL))
			abort();
		break;
	}
	if (out != NULL) {
		crypto_wipe(out, outlen);
		free(out);
	}
	return 0;
}
