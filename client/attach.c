/*
 * attach.c: a reporter's files: `bisik submit --attach`, `bisik attach`
 * and `bisik download`.
 *
 * The server is the judge of what it keeps (its limits may be set lower
 * than the default, and it re-encodes images in a helper the client does
 * not have), but a reporter should learn that a file will be refused
 * before anything is sent, and above all before a report is filed
 * without the evidence it refers to. So the client applies the server's
 * own rules first: the type is told from the first bytes by the same
 * allow-list (JPEG, PNG, WebP, PDF, UTF-8 text that is not markup), and
 * the size against the server's default limit. Whatever the server says
 * afterwards is told in the same words.
 *
 * A file's bytes stay in wiped memory: a photo of a document may be the
 * most sensitive thing the reporter has. Downloads are written 0600 and
 * never over an existing file unless --force says so.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "core/core.h"
#include "crypto/crypto.h"
#include "client/client.h"

static const struct client_optspec attach_opts[] = {
	{ "token-file", CLIENT_OPT_ARG | CLIENT_OPT_REQUIRED },
	{ "server", CLIENT_OPT_ARG },
	{ "proxy", CLIENT_OPT_ARG },
};
static const struct client_optspec download_opts[] = {
	{ "token-file", CLIENT_OPT_ARG | CLIENT_OPT_REQUIRED },
	{ "attachment", CLIENT_OPT_ARG | CLIENT_OPT_REQUIRED },
	{ "out", CLIENT_OPT_ARG | CLIENT_OPT_REQUIRED },
	{ "force", 0 },
	{ "server", CLIENT_OPT_ARG },
	{ "proxy", CLIENT_OPT_ARG },
};
#define NOPTS(a)	(sizeof(a) / sizeof((a)[0]))

static const char *const mimes[CLIENT_FT_MAX] = {
	[CLIENT_FT_JPEG] = "image/jpeg",
	[CLIENT_FT_PNG] = "image/png",
	[CLIENT_FT_WEBP] = "image/webp",
	[CLIENT_FT_PDF] = "application/pdf",
	[CLIENT_FT_TEXT] = "text/plain",
};

const char *
client_attach_mime(int type)
{
	return type >= 0 && type < CLIENT_FT_MAX ? mimes[type] : NULL;
}

/* ---- what a file is -------------------------------------------------------- */

/*
 * Plain text as the server takes it: valid UTF-8 (core_utf8_len is as
 * strict as the server: no overlong forms, surrogates or code points past
 * U+10FFFF), no control characters but tab, line feed, form feed and
 * carriage return, no DEL and no C1 control (U+0080..U+009F, which UTF-8
 * writes as C2 80..C2 9F).
 */
static int
text_ok(const uint8_t *p, size_t len)
{
	size_t	i;

	if (core_utf8_len((const char *)p, len) < 0)
		return 0;
	for (i = 0; i < len; i++) {
		if (p[i] < 0x20 && p[i] != '\t' && p[i] != '\n' &&
		    p[i] != '\f' && p[i] != '\r')
			return 0;
		if (p[i] == 0x7f)
			return 0;
		if (p[i] == 0xc2 && i + 1 < len && p[i + 1] >= 0x80 &&
		    p[i + 1] <= 0x9f)
			return 0;
	}
	return 1;
}

/*
 * Text a browser would take for markup and may run: after a byte-order
 * mark and blank space, "<" followed by a letter, "!", "?" or "/".
 */
static int
markup(const uint8_t *p, size_t len)
{
	size_t	i = 0;

	if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		i = 3;
	while (i < len && (p[i] == ' ' || p[i] == '\t' || p[i] == '\n' ||
	    p[i] == '\r' || p[i] == '\f'))
		i++;
	if (i + 1 >= len || p[i] != '<')
		return 0;
	return (p[i + 1] >= 'a' && p[i + 1] <= 'z') ||
	    (p[i + 1] >= 'A' && p[i + 1] <= 'Z') ||
	    p[i + 1] == '!' || p[i + 1] == '?' || p[i + 1] == '/';
}

int
client_attach_sniff(const uint8_t *p, size_t len)
{
	static const struct {
		size_t		 off;
		const char	*magic;
		size_t		 n;
		int		 type;
	} magics[] = {
		{ 0, "\xff\xd8\xff", 3, CLIENT_FT_JPEG },
		{ 0, "\x89PNG\r\n\x1a\n", 8, CLIENT_FT_PNG },
		{ 0, "%PDF-", 5, CLIENT_FT_PDF },
	};
	size_t	i;

	if (p == NULL || len == 0)
		return -1;
	for (i = 0; i < sizeof(magics) / sizeof(magics[0]); i++)
		if (len >= magics[i].off + magics[i].n &&
		    memcmp(p + magics[i].off, magics[i].magic,
		    magics[i].n) == 0)
			return magics[i].type;
	/* RIFF, a 4-byte size, WEBP. */
	if (len >= 12 && memcmp(p, "RIFF", 4) == 0 &&
	    memcmp(p + 8, "WEBP", 4) == 0)
		return CLIENT_FT_WEBP;
	if (text_ok(p, len) && !markup(p, len))
		return CLIENT_FT_TEXT;
	return -1;
}

/* ---- loading ---------------------------------------------------------------- */

void
client_file_free(struct client_file *f)
{
	client_mem_free(f->data);	/* wiped */
	f->data = NULL;
	f->len = 0;
}

int
client_file_load(const char *path, struct client_file *f, char *why,
    size_t whylen)
{
	struct stat	 st;
	const char	*slash;
	char		 have[CLIENT_SIZE_TEXT], most[CLIENT_SIZE_TEXT];
	size_t		 got = 0;
	ssize_t		 r;
	int		 fd;

	memset(f, 0, sizeof(*f));
	f->path = path;
	slash = strrchr(path, '/');
	f->name = slash != NULL ? slash + 1 : path;
	f->type = -1;
	/* O_NONBLOCK: a FIFO or device must be refused, not waited on. */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY |
	    O_NONBLOCK)) == -1) {
		snprintf(why, whylen, "cannot open it: %s", strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		snprintf(why, whylen, "it is not a regular file");
		goto fail;
	}
	client_size_text(CLIENT_ATTACH_MAX, most);
	if (st.st_size > CLIENT_ATTACH_MAX) {
		client_size_text((unsigned long long)st.st_size, have);
		snprintf(why, whylen, "it has %lld bytes (%s), more than the "
		    "%d bytes (%s) one attachment may have",
		    (long long)st.st_size, have, CLIENT_ATTACH_MAX, most);
		goto fail;
	}
	if (st.st_size == 0) {
		snprintf(why, whylen, "it is empty");
		goto fail;
	}
	/* One byte more than the limit tells a file that grew meanwhile. */
	if ((f->data = client_mem_alloc((size_t)st.st_size + 1)) == NULL) {
		snprintf(why, whylen, "out of memory");
		goto fail;
	}
	for (;;) {
		r = read(fd, f->data + got, (size_t)st.st_size + 1 - got);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1) {
			snprintf(why, whylen, "cannot read it: %s",
			    strerror(errno));
			goto fail;
		}
		if (r == 0)
			break;
		got += (size_t)r;
		if (got > (size_t)st.st_size) {
			snprintf(why, whylen, "it changed while it was read");
			goto fail;
		}
	}
	close(fd);
	fd = -1;
	f->len = got;
	if (got == 0) {
		snprintf(why, whylen, "it is empty");
		goto fail;
	}
	if ((f->type = client_attach_sniff(f->data, f->len)) < 0) {
		snprintf(why, whylen, "it is not %s, the only types accepted",
		    CLIENT_FT_ACCEPTED);
		goto fail;
	}
	return 0;
fail:
	if (fd != -1)
		close(fd);
	client_file_free(f);
	return -1;
}

/* ---- sending ------------------------------------------------------------------ */

void
client_upload_refused(long status, const json_t *reply, char *why,
    size_t whylen)
{
	const json_t	*e = json_object_get(reply, "error");
	json_t		*fields = json_object_get(e, "fields");
	const char	*code = client_http_error_code(reply);
	char		 most[CLIENT_SIZE_TEXT];

	client_size_text(CLIENT_ATTACH_MAX, most);
	if (status == 413)
		snprintf(why, whylen, "the server refused it as too large: "
		    "this server takes smaller files than the default %s "
		    "(its max_attachment_bytes)", most);
	else if (status == 415)
		snprintf(why, whylen, "the server does not take its type; it "
		    "takes only %s", CLIENT_FT_ACCEPTED);
	else if (status == 422 && json_is_object(fields))
		client_explain_fields(CLIENT_CTX_ATTACH, fields, NULL, why,
		    whylen);
	else if (status == 409 && code != NULL &&
	    strcmp(code, "attachment_limit") == 0)
		snprintf(why, whylen, "the case already has %d attachments, "
		    "the most it takes", CLIENT_ATTACH_PER_CASE);
	else if (status == 409)
		snprintf(why, whylen, "the case no longer takes attachments "
		    "(it is closed, rejected or merged)");
	else if (status == 401)
		snprintf(why, whylen, "the server does not know the token "
		    "(it was rotated, or is for another server)");
	else if (status == 503)
		snprintf(why, whylen, "the server is busy; try again with "
		    "`bisik attach`");
	else
		snprintf(why, whylen, "the server answered with HTTP status "
		    "%ld", status);
}

int
client_upload_answer(const json_t *reply, unsigned *n,
    unsigned long long *size, char *why, size_t whylen)
{
	const json_t	*num = json_object_get(reply, "attachment");
	const json_t	*sz = json_object_get(reply, "size");

	if (!json_is_integer(num) || json_integer_value(num) < 1 ||
	    json_integer_value(num) > CLIENT_ATTACH_PER_CASE ||
	    (sz != NULL && (!json_is_integer(sz) ||
	    json_integer_value(sz) < 0))) {
		snprintf(why, whylen, "the server's answer has no valid "
		    "attachment number; `bisik follow` shows whether it "
		    "was added");
		return -1;
	}
	*n = (unsigned)json_integer_value(num);
	if (sz != NULL)
		*size = (unsigned long long)json_integer_value(sz);
	return 0;
}

int
client_file_upload(const struct client_net *net, const char *token,
    const struct client_file *f, unsigned *n, char *why, size_t whylen)
{
	json_t			*reply = NULL;
	unsigned long long	 size;
	char			 sz[CLIENT_SIZE_TEXT];
	long			 status = 0;
	int			 rc = -1;

	if (client_http_upload(net, "/followup/attachments", token, f->name,
	    client_attach_mime(f->type), f->data, f->len, &status, &reply,
	    why, whylen) == -1)
		return -1;
	if (status != 201) {
		client_upload_refused(status, reply, why, whylen);
		goto out;
	}
	size = f->len;
	if (client_upload_answer(reply, n, &size, why, whylen) == -1)
		goto out;
	client_size_text(size, sz);
	printf("attached ");
	client_print_text(stdout, f->path);
	printf(" as attachment %u (%s, %s)\n", *n,
	    client_attach_mime(f->type), sz);
	rc = 0;
out:
	json_decref(reply);
	return rc;
}

/* ---- several files --------------------------------------------------------------- */

int
client_files_check(const char *const *paths, size_t n)
{
	struct client_file	 f = { 0 };
	char			 why[CLIENT_EXPLAIN_MAX * 2];
	size_t			 i;

	if (n > CLIENT_ATTACH_PER_CASE) {
		client_err("a case takes at most %d attachments; %zu were "
		    "given", CLIENT_ATTACH_PER_CASE, n);
		return -1;
	}
	for (i = 0; i < n; i++) {
		if (client_file_load(paths[i], &f, why, sizeof(why)) == -1) {
			client_err("cannot attach %s: %s; nothing was sent",
			    paths[i], why);
			return -1;
		}
		client_file_free(&f);
	}
	return 0;
}

size_t
client_files_send(const struct client_net *net, const char *token,
    const char *const *paths, size_t n, char *failed, size_t failedlen)
{
	struct client_file	 f = { 0 };
	char			 why[CLIENT_EXPLAIN_MAX * 2];
	size_t			 i, len, nfailed = 0;
	unsigned		 num;

	if (failedlen > 0)
		failed[0] = '\0';
	for (i = 0; i < n; i++) {
		if (client_file_load(paths[i], &f, why, sizeof(why)) == 0 &&
		    client_file_upload(net, token, &f, &num, why,
		    sizeof(why)) == 0) {
			client_file_free(&f);
			continue;
		}
		client_file_free(&f);
		len = strlen(failed);
		if (len < failedlen)
			snprintf(failed + len, failedlen - len, "%s%s (%s)",
			    nfailed == 0 ? "" : "; ", paths[i], why);
		nfailed++;
	}
	return nfailed;
}

/* ---- bisik attach --------------------------------------------------------------- */

int
cmd_attach(int argc, char *const argv[])
{
	struct client_session	 s = { 0 };
	struct client_file	 f = { 0 };
	char			 why[CLIENT_EXPLAIN_MAX * 2];
	size_t			 i;
	unsigned		 n;
	int			 rc = CLIENT_EXIT_FAIL;

	memset(&f, 0, sizeof(f));
	if ((rc = client_session_open("attach", argc, argv, attach_opts,
	    NOPTS(attach_opts), CLIENT_ATTACH_PER_CASE, &s)) !=
	    CLIENT_EXIT_OK)
		return rc == -1 ? CLIENT_EXIT_OK : rc;
	rc = CLIENT_EXIT_FAIL;
	if (s.args.nwords == 0) {
		client_err("name at least one FILE to attach");
		rc = CLIENT_EXIT_USAGE;
		goto out;
	}
	/* Every file is checked before the first is sent, so that a typo
	 * in the last name does not leave half of them attached. */
	for (i = 0; i < s.args.nwords; i++) {
		if (client_file_load(s.args.words[i], &f, why,
		    sizeof(why)) == -1) {
			client_err("cannot attach %s: %s; nothing was sent",
			    s.args.words[i], why);
			goto out;
		}
		client_file_free(&f);
	}
	for (i = 0; i < s.args.nwords; i++) {
		if (client_file_load(s.args.words[i], &f, why,
		    sizeof(why)) == -1 ||
		    client_file_upload(&s.net, s.token, &f, &n, why,
		    sizeof(why)) == -1) {
			client_err("%s was not attached: %s%s",
			    s.args.words[i], why, i == 0 ? "" :
			    "; the files before it were");
			goto out;
		}
		client_file_free(&f);
	}
	rc = CLIENT_EXIT_OK;
out:
	client_file_free(&f);
	client_session_close(&s);
	return rc;
}

/* ---- bisik download ------------------------------------------------------------- */

void
client_download_type(const char *ct, char *out, size_t outlen)
{
	if (outlen == 0)
		return;
	client_plain(ct != NULL ? ct : "", out, outlen);
	if (out[0] == '\0')
		snprintf(out, outlen, "?");
}

int
cmd_download(int argc, char *const argv[])
{
	struct client_session	 s = { 0 };
	json_t			*reply = NULL;
	const char		*out_path;
	uint8_t			*data = NULL;
	char			 path[64], ctype[CLIENT_CTYPE_TEXT];
	char			 shown[CLIENT_CTYPE_TEXT], sz[CLIENT_SIZE_TEXT];
	size_t			 len = 0;
	unsigned long		 n;
	long			 status = 0;
	int			 rc = CLIENT_EXIT_FAIL, force = 0;

	if ((rc = client_session_open("download", argc, argv, download_opts,
	    NOPTS(download_opts), 0, &s)) != CLIENT_EXIT_OK)
		return rc == -1 ? CLIENT_EXIT_OK : rc;
	rc = CLIENT_EXIT_USAGE;
	if (client_parse_uint(client_arg(&s.args, "attachment"), 1,
	    CLIENT_ATTACH_PER_CASE, &n) == -1) {
		client_err("--attachment takes the number `bisik follow` "
		    "shows, a whole number from 1 to %d",
		    CLIENT_ATTACH_PER_CASE);
		goto out;
	}
	rc = CLIENT_EXIT_FAIL;
	out_path = client_arg(&s.args, "out");
	force = client_arg_given(&s.args, "force");
	/* Told before the download, and again by O_EXCL when writing. */
	if (!force && client_path_exists(out_path)) {
		client_err("%s already exists; choose a new file or give "
		    "--force to replace it", out_path);
		goto out;
	}
	snprintf(path, sizeof(path), "/followup/attachments/%lu", n);
	if (client_http_download(&s.net, path, s.token, CLIENT_DOWNLOAD_MAX,
	    &status, &data, &len, &reply, ctype, sizeof(ctype)) == -1)
		goto out;
	if (status == 404) {
		client_err("the case has no attachment %lu; `bisik follow` "
		    "lists its attachments", n);
		goto out;
	}
	if (status != 200) {
		client_http_error(status, reply);
		goto out;
	}
	/* May be a copy of someone's identity card: for the owner only. */
	if (client_file_write(out_path, data, len, 0600, force ?
	    CLIENT_WRITE_REPLACE : CLIENT_WRITE_EXCL, "output file") == -1)
		goto out;
	client_size_text(len, sz);
	client_download_type(ctype, shown, sizeof(shown));
	printf("saved attachment %lu (%s, %s) to ", n, shown, sz);
	client_print_text(stdout, out_path);
	printf("\n");
	rc = CLIENT_EXIT_OK;
out:
	client_mem_free(data);	/* wiped */
	json_decref(reply);
	client_session_close(&s);
	return rc;
}
