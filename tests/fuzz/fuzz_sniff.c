/*
 * fuzz_sniff.c: libFuzzer target for what attachments go through before
 * they are stored (server/attach.c): the content sniffer, the display-name
 * cleaner and the agency copy (libvips re-encoding of images, redaction of
 * text). Invariants: a cleaned name is short, valid and path-free; an
 * agency copy of an image is the same type, and carries no metadata block.
 * Inputs are bounded (libFuzzer's -max_len, and 1 MiB here): the pixel
 * bound of srv_attach_clean keeps decoding time in check.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "server/server.h"

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

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t	*out = NULL;
	size_t	 outlen = 0;
	int	 type, rc;

	if (size > INPUT_MAX || crypto_init() == -1 ||
	    srv_attach_init() == -1)
		return 0;
	check_name(data, size);
	if ((type = srv_attach_sniff(data, size)) == -1)
		return 0;
	if (srv_attach_mime(type) == NULL)
		abort();
	rc = srv_attach_clean(type, data, size, &out, &outlen);
	if (rc != SRV_ATTACH_OK) {
		if (out != NULL)
			abort();	/* nothing is given out on failure */
		return 0;
	}
	switch (type) {
	case SRV_ATTACH_JPEG:
	case SRV_ATTACH_PNG:
	case SRV_ATTACH_WEBP:
		if (out == NULL || srv_attach_sniff(out, outlen) != type ||
		    has(out, outlen, "Exif") || has(out, outlen, "EXIF") ||
		    has(out, outlen, "eXIf") || has(out, outlen, "XMP") ||
		    has(out, outlen, "iTXt") || has(out, outlen, "tEXt") ||
		    has(out, outlen, "zTXt"))
			abort();
		break;
	case SRV_ATTACH_PDF:
		if (out != NULL)
			abort();
		break;
	case SRV_ATTACH_TEXT:
		if (out == NULL || memchr(out, '\0', outlen) != NULL)
			abort();
		break;
	}
	if (out != NULL) {
		crypto_wipe(out, outlen);
		free(out);
	}
	return 0;
}
