/*
 * zip.c: a store-only ZIP archive built in memory (APPNOTE.TXT 6.3: local
 * file headers, the central directory, the end record; no compression,
 * no ZIP64, UTF-8 names flagged with bit 11). Enough for a case export:
 * a few JSON files and the case's attachments, which are mostly JPEG,
 * PNG and PDF already compressed. CRC-32 comes from zlib.
 *
 * The archive holds case text: it is wiped when freed.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <zlib.h>

#include "server/util.h"

struct zent {
	char		*name;
	uint32_t	 crc, size, offset;
};

struct srv_zip {
	uint8_t		*buf;
	size_t		 len, cap;
	struct zent	 ent[SRV_ZIP_ENTRIES];
	size_t		 n;
	uint16_t	 dtime, ddate;
	int		 fail;
};

static void
put(struct srv_zip *z, const void *p, size_t n)
{
	uint8_t	*nb;
	size_t	 cap;

	if (z->fail)
		return;
	if (n > SRV_ZIP_MAX - z->len) {
		z->fail = 1;
		return;
	}
	if (z->len + n > z->cap) {
		cap = z->cap ? z->cap : 64 * 1024;
		while (cap < z->len + n)
			cap *= 2;
		if ((nb = malloc(cap)) == NULL) {
			z->fail = 1;
			return;
		}
		/* Moved by hand, so the old copy can be wiped. */
		if (z->buf != NULL) {
			memcpy(nb, z->buf, z->len);
			crypto_wipe(z->buf, z->len);
			free(z->buf);
		}
		z->buf = nb;
		z->cap = cap;
	}
	memcpy(z->buf + z->len, p, n);
	z->len += n;
}

static void
put16(struct srv_zip *z, uint16_t v)
{
	uint8_t b[2] = { (uint8_t)v, (uint8_t)(v >> 8) };

	put(z, b, 2);
}

static void
put32(struct srv_zip *z, uint32_t v)
{
	uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16),
	    (uint8_t)(v >> 24) };

	put(z, b, 4);
}

struct srv_zip *
srv_zip_new(time_t mtime)
{
	struct srv_zip	*z;
	struct tm	 tm;
	time_t		 wib = mtime + CORE_TZ_OFFSET;

	if ((z = calloc(1, sizeof(*z))) == NULL)
		return NULL;
	/* MS-DOS time, in WIB like every date of Bisik; 1980 at the
	 * earliest. */
	if (gmtime_r(&wib, &tm) != NULL && tm.tm_year >= 80) {
		z->dtime = (uint16_t)((tm.tm_hour << 11) | (tm.tm_min << 5) |
		    (tm.tm_sec / 2));
		z->ddate = (uint16_t)(((tm.tm_year - 80) << 9) |
		    ((tm.tm_mon + 1) << 5) | tm.tm_mday);
	} else
		z->ddate = (1 << 5) | 1;
	return z;
}

/* A relative path of UTF-8 text: no "..", no empty segment, no leading
 * slash, no backslash or control character. */
static int
name_ok(const char *name)
{
	const char	*seg;
	size_t		 n = strlen(name), i;

	if (n == 0 || n > 1024 || name[0] == '/' || core_utf8_len(name, n) < 0)
		return 0;
	for (i = 0; i < n; i++)
		if ((unsigned char)name[i] < 0x20 || name[i] == '\\' ||
		    name[i] == 0x7f)
			return 0;
	for (seg = name; seg != NULL; seg = strchr(seg, '/')) {
		if (*seg == '/')
			seg++;
		if (*seg == '/' || *seg == '\0' || (seg[0] == '.' &&
		    (seg[1] == '/' || seg[1] == '\0' || (seg[1] == '.' &&
		    (seg[2] == '/' || seg[2] == '\0')))))
			return 0;
	}
	return 1;
}

int
srv_zip_add(struct srv_zip *z, const char *name, const void *data,
    size_t len)
{
	struct zent	*e;
	size_t		 nl;

	if (z == NULL || z->fail || z->n >= SRV_ZIP_ENTRIES || !name_ok(name) ||
	    len > UINT32_MAX || z->len > UINT32_MAX)
		return -1;
	nl = strlen(name);
	e = &z->ent[z->n];
	if ((e->name = strdup(name)) == NULL)
		return -1;
	e->crc = (uint32_t)crc32_z(crc32_z(0, Z_NULL, 0), data, len);
	e->size = (uint32_t)len;
	e->offset = (uint32_t)z->len;
	put32(z, 0x04034b50);
	put16(z, 20);		/* version needed: 2.0 */
	put16(z, 0x0800);	/* UTF-8 names */
	put16(z, 0);		/* stored */
	put16(z, z->dtime);
	put16(z, z->ddate);
	put32(z, e->crc);
	put32(z, e->size);
	put32(z, e->size);
	put16(z, (uint16_t)nl);
	put16(z, 0);
	put(z, name, nl);
	put(z, data, len);
	if (z->fail) {
		free(e->name);
		e->name = NULL;
		return -1;
	}
	z->n++;
	return 0;
}

int
srv_zip_finish(struct srv_zip *z, uint8_t **out, size_t *len)
{
	size_t		i, cd;
	uint32_t	cdsize;

	*out = NULL;
	*len = 0;
	if (z == NULL)
		return -1;
	cd = z->len;
	for (i = 0; i < z->n; i++) {
		put32(z, 0x02014b50);
		put16(z, (3 << 8) | 20);	/* made by: Unix, 2.0 */
		put16(z, 20);
		put16(z, 0x0800);
		put16(z, 0);
		put16(z, z->dtime);
		put16(z, z->ddate);
		put32(z, z->ent[i].crc);
		put32(z, z->ent[i].size);
		put32(z, z->ent[i].size);
		put16(z, (uint16_t)strlen(z->ent[i].name));
		put16(z, 0);		/* extra */
		put16(z, 0);		/* comment */
		put16(z, 0);		/* disk */
		put16(z, 0);		/* internal attributes */
		put32(z, (uint32_t)0100644 << 16);	/* -rw-r--r-- */
		put32(z, z->ent[i].offset);
		put(z, z->ent[i].name, strlen(z->ent[i].name));
	}
	cdsize = (uint32_t)(z->len - cd);
	put32(z, 0x06054b50);
	put16(z, 0);
	put16(z, 0);
	put16(z, (uint16_t)z->n);
	put16(z, (uint16_t)z->n);
	put32(z, cdsize);
	put32(z, (uint32_t)cd);
	put16(z, 0);
	if (z->fail || z->len > UINT32_MAX) {
		srv_zip_free(z);
		return -1;
	}
	*out = z->buf;
	*len = z->len;
	z->buf = NULL;
	z->len = 0;
	srv_zip_free(z);
	return 0;
}

void
srv_zip_free(struct srv_zip *z)
{
	size_t i;

	if (z == NULL)
		return;
	for (i = 0; i < z->n; i++)
		free(z->ent[i].name);
	if (z->buf != NULL) {
		crypto_wipe(z->buf, z->len);
		free(z->buf);
	}
	free(z);
}
