/*
 * client_attach_test.c: the client's check of attachments (client/attach.c)
 * before anything is sent.
 *
 * The client must refuse exactly what the server refuses, or a reporter
 * either learns too late (after filing) that a file is refused, or is
 * kept from sending a file the server takes. So the type check is run
 * side by side with the server's own (srv_attach_sniff, server/attach.c)
 * over every magic number, every byte value in text, every C2 xx
 * sequence, the markup forms and a few hundred thousand generated inputs,
 * and both must give the same type every time. Then the file rules: the
 * size limit at its edge and one byte past it, empty files, directories.
 */
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crypto/crypto.h"
#include "client/client.h"
#include "server/server.h"
#include "tests/unit/tap.h"

static char	tmpdir[] = "/tmp/bisik-client-attach-XXXXXX";
static size_t	compared, differed;

/* Compares both verdicts on one input; the first few differences are
 * shown as hex. */
static void
same(const uint8_t *p, size_t len)
{
	int		 c = client_attach_sniff(p, len);
	int		 s = srv_attach_sniff(p, len);
	const char	*cm = c < 0 ? "refused" : client_attach_mime(c);
	const char	*sm = s < 0 ? "refused" : srv_attach_mime(s);
	size_t		 i;

	compared++;
	if (strcmp(cm, sm) == 0)
		return;
	if (differed++ < 5) {
		printf("# differ: client %s, server %s:", cm, sm);
		for (i = 0; i < len && i < 24; i++)
			printf(" %02x", p[i]);
		printf("\n");
	}
}

static void
same_str(const char *s)
{
	same((const uint8_t *)s, strlen(s));
}

/* A small generator: the same inputs on every run. */
static uint64_t	rng = 0x9e3779b97f4a7c15ULL;
static unsigned
next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng >> 32);
}

/* Appends the UTF-8 of code point c; returns the new length. */
static size_t
put_cp(uint8_t *p, size_t n, uint32_t c)
{
	if (c < 0x80) {
		p[n++] = (uint8_t)c;
	} else if (c < 0x800) {
		p[n++] = (uint8_t)(0xc0 | c >> 6);
		p[n++] = (uint8_t)(0x80 | (c & 0x3f));
	} else if (c < 0x10000) {
		p[n++] = (uint8_t)(0xe0 | c >> 12);
		p[n++] = (uint8_t)(0x80 | ((c >> 6) & 0x3f));
		p[n++] = (uint8_t)(0x80 | (c & 0x3f));
	} else {
		p[n++] = (uint8_t)(0xf0 | c >> 18);
		p[n++] = (uint8_t)(0x80 | ((c >> 12) & 0x3f));
		p[n++] = (uint8_t)(0x80 | ((c >> 6) & 0x3f));
		p[n++] = (uint8_t)(0x80 | (c & 0x3f));
	}
	return n;
}

static void
test_sniff_types(void)
{
	static const uint8_t	 png[] = "\x89PNG\r\n\x1a\n\0\0\0\rIHDR";
	static const uint8_t	 webp[] = "RIFF\x10\0\0\0WEBPVP8 ";
	static const uint8_t	 jpeg[] = "\xff\xd8\xff\xe0\0\x10JFIF";
	uint8_t			 buf[64];

	CHECK(client_attach_sniff(jpeg, sizeof(jpeg) - 1) == CLIENT_FT_JPEG,
	    "sniff: JPEG");
	CHECK(client_attach_sniff(png, sizeof(png) - 1) == CLIENT_FT_PNG,
	    "sniff: PNG");
	CHECK(client_attach_sniff(webp, sizeof(webp) - 1) == CLIENT_FT_WEBP,
	    "sniff: WebP");
	CHECK(client_attach_sniff((const uint8_t *)"%PDF-1.7\n", 9) ==
	    CLIENT_FT_PDF, "sniff: PDF");
	CHECK(client_attach_sniff((const uint8_t *)"Jalan rusak\n", 12) ==
	    CLIENT_FT_TEXT, "sniff: text");
	CHECK(client_attach_sniff((const uint8_t *)"", 0) == -1,
	    "sniff: empty refused");
	CHECK(client_attach_sniff((const uint8_t *)"\x7f" "ELF\x02", 5) == -1,
	    "sniff: ELF refused");
	CHECK(client_attach_sniff((const uint8_t *)"<html>", 6) == -1,
	    "sniff: HTML refused");
	CHECK(client_attach_sniff((const uint8_t *)"\xef\xbb\xbf \n<svg", 9) ==
	    -1, "sniff: SVG after a BOM and blanks refused");
	CHECK(client_attach_sniff((const uint8_t *)"3 < 4", 5) ==
	    CLIENT_FT_TEXT, "sniff: a < inside text is text");
	CHECK(client_attach_sniff((const uint8_t *)"a\xc2\x85" "b", 4) == -1,
	    "sniff: a C1 control refused");
	CHECK(client_attach_sniff((const uint8_t *)"a\xc0\xaf", 3) == -1,
	    "sniff: overlong UTF-8 refused");
	CHECK(client_attach_sniff((const uint8_t *)"a\fb", 3) ==
	    CLIENT_FT_TEXT, "sniff: form feed is text");
	memcpy(buf, "RIFF\0\0\0\0WEBX", 12);
	CHECK(client_attach_sniff(buf, 12) == -1, "sniff: RIFF but not WEBP");
	CHECK(strcmp(client_attach_mime(CLIENT_FT_PDF), "application/pdf") ==
	    0 && client_attach_mime(CLIENT_FT_MAX) == NULL &&
	    client_attach_mime(-1) == NULL, "sniff: mime names");
}

static void
test_sniff_same(void)
{
	static const char *const magics[] = {
		"\xff\xd8\xff", "\x89PNG\r\n\x1a\n", "RIFF\0\0\0\0WEBP",
		"%PDF-", "\xff\xd8", "\x89PNG\r\n\x1a", "RIFF\0\0\0\0WEB",
		"%PDF", "RIFF", "\xef\xbb\xbf",
	};
	static const size_t magic_len[] = { 3, 8, 12, 5, 2, 7, 11, 4, 4, 3 };
	static const char *const markup[] = {
		"<a", "<Z", "<!", "<?", "</", "< a", "<1", "<", "x<a", " <b",
		"\t\n\r\f<p", "\xef\xbb\xbf<p", "\xef\xbb\xbf  <", "\xef\xbb"
		"<p", "\v<p", "<\xc3\xa9", "<<a", "<-", "\xef\xbb\xbf",
	};
	uint8_t		 buf[80];
	size_t		 i, k, n, len;
	unsigned	 b, c;

	/* Every magic number alone, with text after it, with bytes after
	 * it. */
	for (i = 0; i < sizeof(magics) / sizeof(magics[0]); i++) {
		memcpy(buf, magics[i], magic_len[i]);
		same(buf, magic_len[i]);
		memcpy(buf + magic_len[i], "abc", 3);
		same(buf, magic_len[i] + 3);
		for (b = 0; b < 256; b++) {
			buf[magic_len[i]] = (uint8_t)b;
			same(buf, magic_len[i] + 1);
		}
	}
	/* Every byte value at the start, the middle and the end of text. */
	for (b = 0; b < 256; b++)
		for (k = 0; k < 3; k++) {
			memcpy(buf, "Jalan rusak", 11);
			buf[k == 0 ? 0 : k == 1 ? 5 : 10] = (uint8_t)b;
			same(buf, 11);
		}
	/* Every two-byte sequence from C0 to C3: C1 controls, overlongs. */
	for (b = 0xc0; b <= 0xc3; b++)
		for (c = 0; c < 256; c++) {
			buf[0] = 'x';
			buf[1] = (uint8_t)b;
			buf[2] = (uint8_t)c;
			same(buf, 3);
			same(buf + 1, 2);
		}
	for (i = 0; i < sizeof(markup) / sizeof(markup[0]); i++) {
		same_str(markup[i]);
		snprintf((char *)buf, sizeof(buf), "%s tail", markup[i]);
		same_str((const char *)buf);
	}
	/* Generated: short byte strings, mostly text-like ones, and code
	 * points from every plane, surrogates and past U+10FFFF. */
	for (i = 0; i < 200000; i++) {
		len = 1 + next() % 24;
		for (n = 0; n < len; n++) {
			c = next();
			buf[n] = (uint8_t)(c % 4 == 0 ? c >> 8 :
			    c % 4 == 1 ? 0x20 + (c >> 8) % 95 :
			    c % 4 == 2 ? (unsigned)"\t\n\r\f <!?/aZ"[(c >> 8) % 12] :
			    0x80 + (c >> 8) % 0x80);
		}
		same(buf, len);
	}
	for (i = 0; i < 100000; i++) {
		n = 0;
		len = 1 + next() % 8;
		for (k = 0; k < len; k++) {
			c = next();
			c = c % 3 == 0 ? (c >> 8) % 0x100 :
			    c % 3 == 1 ? (c >> 8) % 0x10000 :
			    (c >> 8) % 0x120000;
			if (c >= 0x110000)
				c = 0x10ffff + (c & 1);	/* edge and past */
			if (c > 0x10ffff) {
				memcpy(buf + n, "\xf4\x90\x80\x80", 4);
				n += 4;
			} else
				n = put_cp(buf, n, c);
		}
		same(buf, n);
	}
	CHECK(differed == 0, "sniff: the client's verdict is the server's on "
	    "every input");
	printf("# %zu inputs compared\n", compared);
}

static char *
write_tmp(const char *name, const void *buf, size_t len)
{
	static char	 path[256];
	FILE		*f;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	unlink(path);
	if ((f = fopen(path, "wb")) == NULL)
		return path;
	if (len > 0)
		fwrite(buf, 1, len, f);
	fclose(f);
	return path;
}

static void
test_load(void)
{
	struct client_file	 f;
	char			 why[256], *path, fifo[300];
	uint8_t			*big;

	if ((big = malloc(CLIENT_ATTACH_MAX + 1)) == NULL) {
		CHECK(0, "load: memory");
		return;
	}
	memset(big, 'x', CLIENT_ATTACH_MAX + 1);
	memcpy(big, "%PDF-1.4\n", 9);
	path = write_tmp("edge.pdf", big, CLIENT_ATTACH_MAX);
	CHECK(client_file_load(path, &f, why, sizeof(why)) == 0 &&
	    f.len == CLIENT_ATTACH_MAX && f.type == CLIENT_FT_PDF &&
	    strcmp(f.name, "edge.pdf") == 0 &&
	    memcmp(f.data, big, CLIENT_ATTACH_MAX) == 0,
	    "load: a file of exactly the limit (10 MiB)");
	client_file_free(&f);
	CHECK(f.data == NULL, "load: freed");
	path = write_tmp("over.pdf", big, CLIENT_ATTACH_MAX + 1);
	CHECK(client_file_load(path, &f, why, sizeof(why)) == -1 &&
	    strstr(why, "10485761 bytes") != NULL &&
	    strstr(why, "10485760 bytes") != NULL && f.data == NULL,
	    "load: one byte past the limit, both sizes named");
	path = write_tmp("empty.txt", "", 0);
	CHECK(client_file_load(path, &f, why, sizeof(why)) == -1 &&
	    strstr(why, "empty") != NULL, "load: an empty file");
	path = write_tmp("page.txt", "<!DOCTYPE html>", 15);
	CHECK(client_file_load(path, &f, why, sizeof(why)) == -1 &&
	    strstr(why, "JPEG, PNG or WebP") != NULL,
	    "load: markup named .txt is refused, naming the types");
	CHECK(client_file_load(tmpdir, &f, why, sizeof(why)) == -1 &&
	    strstr(why, "regular") != NULL, "load: a directory");
	/* Opening a FIFO without a writer would wait for ever. */
	snprintf(fifo, sizeof(fifo), "%s/fifo", tmpdir);
	CHECK(mkfifo(fifo, 0600) == 0 &&
	    client_file_load(fifo, &f, why, sizeof(why)) == -1 &&
	    strstr(why, "regular") != NULL, "load: a FIFO, at once");
	CHECK(client_file_load("/nonexistent/x.jpg", &f, why,
	    sizeof(why)) == -1 && strstr(why, "open") != NULL,
	    "load: a missing file");
	path = write_tmp("n.txt", "catatan", 7);
	CHECK(client_file_load(path, &f, why, sizeof(why)) == 0 &&
	    f.type == CLIENT_FT_TEXT && f.len == 7 &&
	    strcmp(f.name, "n.txt") == 0, "load: text, name is the last "
	    "path segment");
	client_file_free(&f);
	free(big);
}

/* The limits the client checks are the server's. */
static void
test_limits(void)
{
	CHECK(CLIENT_ATTACH_MAX == SRV_ATTACH_DEFAULT,
	    "limits: the size limit is the server's default");
	CHECK(CLIENT_ATTACH_PER_CASE == SRV_ATTACH_PER_CASE,
	    "limits: the count per case is the server's");
}

/* Several files: the count at its edge and past it, and a refused file
 * among good ones. */
static void
test_check_many(void)
{
	const char	*paths[CLIENT_ATTACH_PER_CASE + 1];
	char		*good, *bad;
	size_t		 i;

	good = strdup(write_tmp("good.txt", "catatan", 7));
	bad = strdup(write_tmp("bad.txt", "<svg/>", 6));
	if (good == NULL || bad == NULL) {
		CHECK(0, "many: memory");
		goto out;
	}
	for (i = 0; i < CLIENT_ATTACH_PER_CASE + 1; i++)
		paths[i] = good;
	CHECK(client_files_check(paths, 0) == 0, "many: none");
	CHECK(client_files_check(paths, CLIENT_ATTACH_PER_CASE) == 0,
	    "many: 20 files (the edge)");
	CHECK(client_files_check(paths, CLIENT_ATTACH_PER_CASE + 1) == -1,
	    "many: 21 files refused");
	paths[CLIENT_ATTACH_PER_CASE - 1] = bad;
	CHECK(client_files_check(paths, CLIENT_ATTACH_PER_CASE) == -1,
	    "many: a refused file as the last of 20");
out:
	free(good);
	free(bad);
}

int
main(void)
{
	char	cmd[300];

	if (crypto_init() == -1 || client_alloc_init() == -1 ||
	    mkdtemp(tmpdir) == NULL) {
		printf("not ok - setup\n");
		return 1;
	}
	test_sniff_types();
	test_sniff_same();
	test_load();
	test_limits();
	test_check_many();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		printf("# could not remove %s\n", tmpdir);
	client_alloc_done();
	return tap_done();
}
