/*
 * client_args_test.c: the client's pure helpers: option parsing (words,
 * options before the command, --server given twice), numbers, the
 * first-line rule of password, passphrase and token files, token display,
 * new-file writing, the terminal-safe printing of replies, the sentences
 * that name a broken limit, times in WIB, sizes, and the limits of the
 * text files reporters give (messages, comments, reasons).
 */
#include <sys/stat.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "crypto/crypto.h"
#include "client/client.h"
#include "tests/unit/tap.h"

static char	tmpdir[] = "/tmp/bisik-client-args-XXXXXX";

static char	*write_tmp(const char *, const void *, size_t);

static const struct client_optspec specs[] = {
	{ "title", CLIENT_OPT_ARG | CLIENT_OPT_REQUIRED },
	{ "admin", CLIENT_OPT_ARG | CLIENT_OPT_MULTI },
	{ "public", 0 },
	{ "server", CLIENT_OPT_ARG },
};
#define NSPECS	(sizeof(specs) / sizeof(specs[0]))

static int
parse(int argc, char *const argv[], struct client_args *a)
{
	char	err[160];

	return client_args_parse(argc, argv, specs, NSPECS, a, err,
	    sizeof(err));
}

static void
test_args(void)
{
	struct client_args	 a;
	const char *const	*v;
	char			 err[160];
	size_t			 n;

	{
		char *argv[] = { "--title", "Jalan rusak", "--public",
		    "--server=http://x:1", "--admin", "a.pub",
		    "--admin=b.pub" };
		CHECK(parse(7, argv, &a) == 0, "args: good command line");
		CHECK(strcmp(client_arg(&a, "title"), "Jalan rusak") == 0,
		    "args: --name value");
		CHECK(strcmp(client_arg(&a, "server"), "http://x:1") == 0,
		    "args: --name=value");
		CHECK(client_arg_given(&a, "public"), "args: flag given");
		v = client_arg_multi(&a, "admin", &n);
		CHECK(n == 2 && strcmp(v[0], "a.pub") == 0 &&
		    strcmp(v[1], "b.pub") == 0,
		    "args: repeated option in order");
		CHECK(!a.help, "args: no help");
	}
	{
		char *argv[] = { "--title", "t" };
		CHECK(parse(2, argv, &a) == 0 && !client_arg_given(&a, "public")
		    && client_arg(&a, "server") == NULL,
		    "args: absent options are absent");
	}
	{
		char *argv[] = { "--title", "t", "--titel", "x" };
		CHECK(client_args_parse(4, argv, specs, NSPECS, &a, err,
		    sizeof(err)) == -1 && strstr(err, "unknown") != NULL,
		    "args: unknown option refused");
	}
	{
		char *argv[] = { "--title", "a", "--title", "b" };
		CHECK(parse(4, argv, &a) == -1, "args: single option twice");
	}
	{
		char *argv[] = { "--title" };
		CHECK(client_args_parse(1, argv, specs, NSPECS, &a, err,
		    sizeof(err)) == -1 && strstr(err, "value") != NULL,
		    "args: missing value");
	}
	{
		char *argv[] = { "--title", "t", "--public=yes" };
		CHECK(parse(3, argv, &a) == -1, "args: value for a flag");
	}
	{
		char *argv[] = { "--title", "t", "stray" };
		CHECK(parse(3, argv, &a) == -1, "args: stray word");
	}
	{
		char *argv[] = { "-t", "x" };
		CHECK(parse(2, argv, &a) == -1, "args: short options refused");
	}
	{
		char *argv[] = { "--public" };
		CHECK(client_args_parse(1, argv, specs, NSPECS, &a, err,
		    sizeof(err)) == -1 && strstr(err, "required") != NULL,
		    "args: missing required option");
	}
	{
		char *argv[] = { "--help" };
		CHECK(parse(1, argv, &a) == 0 && a.help,
		    "args: --help skips the required check");
	}
	{
		char	*argv[2 * (CLIENT_MULTI_MAX + 1) + 2];
		int	 i;

		argv[0] = "--title";
		argv[1] = "t";
		for (i = 0; i <= CLIENT_MULTI_MAX; i++) {
			argv[2 + 2 * i] = "--admin";
			argv[3 + 2 * i] = "x.pub";
		}
		CHECK(parse(2 + 2 * (CLIENT_MULTI_MAX + 1) - 2, argv, &a) == 0,
		    "args: repeats at the limit");
		CHECK(parse(2 + 2 * (CLIENT_MULTI_MAX + 1), argv, &a) == -1,
		    "args: repeats past the limit");
	}
}

static const struct client_optspec attach_specs[] = {
	{ "token-file", CLIENT_OPT_ARG | CLIENT_OPT_REQUIRED },
	{ "server", CLIENT_OPT_ARG },
};

static void
test_words(void)
{
	struct client_args	a;
	char			err[160];

	{
		char *argv[] = { "--token-file", "t", "a.jpg", "--server",
		    "http://x:1", "b.pdf" };
		CHECK(client_args_parse_words(6, argv, attach_specs, 2, 20,
		    &a, err, sizeof(err)) == 0 && a.nwords == 2 &&
		    strcmp(a.words[0], "a.jpg") == 0 &&
		    strcmp(a.words[1], "b.pdf") == 0 &&
		    strcmp(client_arg(&a, "server"), "http://x:1") == 0,
		    "words: files between and after options, in order");
	}
	{
		char *argv[] = { "--token-file", "t", "--", "--server",
		    "-h" };
		CHECK(client_args_parse_words(5, argv, attach_specs, 2, 20,
		    &a, err, sizeof(err)) == 0 && a.nwords == 2 &&
		    strcmp(a.words[0], "--server") == 0 && !a.help &&
		    client_arg(&a, "server") == NULL,
		    "words: after a lone --, every word is a file");
	}
	{
		char *argv[] = { "--token-file", "t", "a", "b", "c" };
		CHECK(client_args_parse_words(4, argv, attach_specs, 2, 2,
		    &a, err, sizeof(err)) == 0 && a.nwords == 2,
		    "words: at the limit");
		CHECK(client_args_parse_words(5, argv, attach_specs, 2, 2,
		    &a, err, sizeof(err)) == -1 && strstr(err, "at most 2") !=
		    NULL, "words: past the limit, naming it");
	}
	{
		char *argv[] = { "--token-file", "t", "a" };
		CHECK(client_args_parse(3, argv, attach_specs, 2, &a, err,
		    sizeof(err)) == -1 && strstr(err, "unexpected") != NULL,
		    "words: refused by commands that take none");
	}
}

static int
global(int argc, char *argv[], struct client_global *g, int *ci)
{
	char	err[160];

	return client_global_parse(argc, argv, g, ci, err, sizeof(err));
}

static void
test_global(void)
{
	struct client_global	g;
	char			err[160];
	int			ci;

	{
		char *argv[] = { "bisik", "--server", "http://x:1", "follow",
		    "--token-file", "t" };
		CHECK(global(6, argv, &g, &ci) == 0 && ci == 3 &&
		    strcmp(g.server, "http://x:1") == 0 && g.proxy == NULL &&
		    !g.version, "global: --server URL before the command");
	}
	{
		char *argv[] = { "bisik", "--proxy=socks5h://127.0.0.1:9050",
		    "--server=http://x:1", "submit" };
		CHECK(global(4, argv, &g, &ci) == 0 && ci == 3 &&
		    strcmp(g.server, "http://x:1") == 0 &&
		    strcmp(g.proxy, "socks5h://127.0.0.1:9050") == 0,
		    "global: --name=value, both options");
	}
	{
		char *argv[] = { "bisik", "follow", "--server", "u" };
		CHECK(global(4, argv, &g, &ci) == 0 && ci == 1 &&
		    g.server == NULL,
		    "global: options after the command are the command's");
	}
	{
		char *argv[] = { "bisik", "--version" };
		CHECK(global(2, argv, &g, &ci) == 0 && g.version && ci == 2,
		    "global: --version");
	}
	{
		char *argv[] = { "bisik", "-h" };
		CHECK(global(2, argv, &g, &ci) == 0 && g.help && ci == 2,
		    "global: -h");
	}
	{
		char *argv[] = { "bisik" };
		CHECK(global(1, argv, &g, &ci) == 0 && ci == 1,
		    "global: no command");
	}
	{
		char *argv[] = { "bisik", "--token-file", "t", "follow" };
		CHECK(client_global_parse(4, argv, &g, &ci, err,
		    sizeof(err)) == -1 && strstr(err, "--server") != NULL,
		    "global: a command's option before the command refused");
	}
	{
		char *argv[] = { "bisik", "--server" };
		CHECK(client_global_parse(2, argv, &g, &ci, err,
		    sizeof(err)) == -1 && strstr(err, "value") != NULL,
		    "global: --server without a value");
	}
	{
		char *argv[] = { "bisik", "--server", "a", "--server=b",
		    "follow" };
		CHECK(global(5, argv, &g, &ci) == -1,
		    "global: --server twice before the command");
	}
	{
		char *argv[] = { "bisik", "--serverx=a", "follow" };
		CHECK(global(3, argv, &g, &ci) == -1,
		    "global: a longer name is not --server");
	}
}

static void
test_net(void)
{
	struct client_net	net = { NULL, NULL };

	client_net_defaults("http://before:1", NULL);
	CHECK(client_net_init(&net, NULL, NULL) == 0 &&
	    strcmp(net.base, "http://before:1/api/v1") == 0 &&
	    net.proxy == NULL, "net: --server before the command is used");
	client_net_free(&net);
	CHECK(client_net_init(&net, "http://after:1", NULL) == -1,
	    "net: --server before and after the command refused");
	client_net_defaults(NULL, "socks5h://127.0.0.1:9050");
	CHECK(client_net_init(&net, "http://after:1", NULL) == 0 &&
	    strcmp(net.base, "http://after:1/api/v1") == 0 &&
	    strcmp(net.proxy, "socks5h://127.0.0.1:9050") == 0,
	    "net: --proxy before, --server after");
	client_net_free(&net);
	CHECK(client_net_init(&net, NULL, "socks5h://127.0.0.1:1") == -1,
	    "net: --proxy before and after the command refused");
	client_net_defaults(NULL, NULL);
	CHECK(client_net_init(&net, NULL, NULL) == 0 &&
	    strcmp(net.base, CLIENT_DEFAULT_SERVER "/api/v1") == 0,
	    "net: the default server");
	client_net_free(&net);
	client_net_defaults("ftp://x", NULL);
	CHECK(client_net_init(&net, NULL, NULL) == -1,
	    "net: a bad URL before the command is checked too");
	client_net_defaults(NULL, NULL);
}

static int
explained(int ctx, const char *field, const char *reason, long have,
    const char *want)
{
	char	out[CLIENT_EXPLAIN_MAX];

	client_explain(ctx, field, reason, have, out, sizeof(out));
	if (strcmp(out, want) != 0) {
		printf("# got \"%s\"\n", out);
		return 0;
	}
	return 1;
}

static void
test_explain(void)
{
	json_t	*fields, *values;
	char	 out[4 * CLIENT_EXPLAIN_MAX];

	CHECK(explained(CLIENT_CTX_REPORT, "title", "too short", 3,
	    "the title (--title) must be 5 to 200 characters; it has 3"),
	    "explain: title with its length");
	CHECK(explained(CLIENT_CTX_REPORT, "body", "too long", -1,
	    "the body (--body-file) must be 20 to 20000 characters"),
	    "explain: body without a length");
	CHECK(explained(CLIENT_CTX_MESSAGE, "body", "too long", 10001,
	    "the message (--message-file) must be 1 to 10000 characters; it "
	    "has 10001"), "explain: \"body\" of a message is another limit");
	CHECK(explained(CLIENT_CTX_REPORT, "location", "too long", 201,
	    "the location (--location) may be at most 200 characters; it has "
	    "201"), "explain: a field without a minimum");
	CHECK(explained(CLIENT_CTX_REPORT, "identity.nik", "too long", 301,
	    "the identity file's \"nik\" may be at most 300 characters; it "
	    "has 301"), "explain: identity field");
	CHECK(explained(CLIENT_CTX_REPORT, "agency", "invalid", -1,
	    "--agency takes an id of 2 to 64 characters a-z, 0-9 and '-', "
	    "such as dinas-pu"), "explain: id format");
	CHECK(explained(CLIENT_CTX_REPORT, "occurred_on", "invalid", -1,
	    "--occurred-on takes a date as YYYY-MM-DD, such as 2026-12-06"),
	    "explain: date format");
	CHECK(explained(CLIENT_CTX_RATE, "rating", "out of range", -1,
	    "--rating takes a whole number from 1 to 5"), "explain: rating");
	CHECK(explained(CLIENT_CTX_REOPEN, "reason", "too short", 0,
	    "the reason (--reason or --reason-file) must be 1 to 2000 "
	    "characters; it has 0"), "explain: reason");
	CHECK(explained(CLIENT_CTX_REPORT, "title", "invalid", 7,
	    "the title (--title) must be UTF-8 text without control "
	    "characters, and not only spaces"),
	    "explain: invalid text names no length");
	CHECK(explained(CLIENT_CTX_ATTACH, "file", "too many pixels", -1,
	    "the image has more than 40 megapixels, the most the server "
	    "re-encodes"), "explain: an attachment's 422");
	CHECK(explained(CLIENT_CTX_REPORT, "sp\x1b[2Jam", "bad\n", -1,
	    "sp?[2Jam: bad?"), "explain: unknown field told plainly");
	CHECK(explained(CLIENT_CTX_MESSAGE, "title", "too short", 3,
	    "title: too short"), "explain: fields of another request unknown");

	fields = json_pack("{s:s, s:s}", "title", "too short", "body",
	    "too short");
	values = json_pack("{s:s, s:s}", "title", "Jal", "body",
	    "Berlubang \xc3\xa9");
	client_explain_fields(CLIENT_CTX_REPORT, fields, values, out,
	    sizeof(out));
	CHECK(strcmp(out, "the title (--title) must be 5 to 200 characters; "
	    "it has 3, and the body (--body-file) must be 20 to 20000 "
	    "characters; it has 11") == 0,
	    "explain: every field at once, lengths in characters");
	json_decref(fields);
	json_decref(values);
	values = json_pack("{s:{s:s}}", "identity", "name", "Budi");
	CHECK(client_json_path(values, "identity.name") != NULL &&
	    client_json_path(values, "identity.nik") == NULL &&
	    client_json_path(values, "title") == NULL, "explain: json path");
	json_decref(values);
}

static int
wib(const char *iso, const char *want)
{
	char	out[CLIENT_TIME_TEXT];

	return client_time_wib(iso, out) == 0 && strcmp(out, want) == 0;
}

static void
test_time(void)
{
	char	out[CLIENT_TIME_TEXT] = "untouched";
	char	sz[CLIENT_SIZE_TEXT];

	CHECK(wib("2026-12-06T07:05:00Z", "2026-12-06 14:05 WIB"),
	    "wib: UTC+7");
	CHECK(wib("2026-12-31T17:00:00Z", "2027-01-01 00:00 WIB"),
	    "wib: the new year comes 7 hours early");
	CHECK(wib("2026-12-31T16:59:59Z", "2026-12-31 23:59 WIB"),
	    "wib: the last minute of the year");
	CHECK(client_time_wib("2026-12-06 07:05", out) == -1 &&
	    strcmp(out, "untouched") == 0, "wib: another form is refused");
	CHECK(client_time_wib("2026-02-30T00:00:00Z", out) == -1,
	    "wib: no 30 February");
	client_time_wib_t(0, out);
	CHECK(strcmp(out, "1970-01-01 07:00 WIB") == 0, "wib: from seconds");
	client_size_text(0, sz);
	CHECK(strcmp(sz, "0 bytes") == 0, "size: 0");
	client_size_text(1023, sz);
	CHECK(strcmp(sz, "1023 bytes") == 0, "size: below 1 kB in bytes");
	client_size_text(1024, sz);
	CHECK(strcmp(sz, "1 kB") == 0, "size: 1 kB");
	client_size_text(740 * 1024, sz);
	CHECK(strcmp(sz, "740 kB") == 0, "size: kB");
	client_size_text(10 * 1024 * 1024, sz);
	CHECK(strcmp(sz, "10.0 MB") == 0, "size: the attachment limit");
	client_size_text(2621440 + 1000, sz);
	CHECK(strcmp(sz, "2.5 MB") == 0, "size: MB with one decimal");
}

static void
test_textfile(void)
{
	char	*big, *out, *path;
	size_t	 n;

	if ((big = malloc(CORE_REASON_MAX * 2 + 2)) == NULL) {
		CHECK(0, "textfile: memory");
		return;
	}
	/* 2000 two-byte characters: counted as characters, not bytes. */
	for (n = 0; n < CORE_REASON_MAX; n++)
		memcpy(big + 2 * n, "\xc3\xa9", 2);
	big[2 * n] = '\n';
	path = write_tmp("reason", big, 2 * n + 1);
	CHECK(client_text_file(path, CLIENT_CTX_REOPEN, "reason", 1,
	    CORE_REASON_MAX, &out, &n) == 0 && n == 2 * CORE_REASON_MAX,
	    "textfile: at the limit, final newline cut");
	client_mem_free(out);
	memcpy(big + 2 * CORE_REASON_MAX, "x\n", 2);
	path = write_tmp("reason", big, 2 * CORE_REASON_MAX + 2);
	CHECK(client_text_file(path, CLIENT_CTX_REOPEN, "reason", 1,
	    CORE_REASON_MAX, &out, &n) == -1, "textfile: past the limit");
	path = write_tmp("reason", "\n\n", 2);
	CHECK(client_text_file(path, CLIENT_CTX_REOPEN, "reason", 1,
	    CORE_REASON_MAX, &out, &n) == -1, "textfile: only line ends");
	path = write_tmp("reason", " \t ", 3);
	CHECK(client_text_file(path, CLIENT_CTX_REOPEN, "reason", 1,
	    CORE_REASON_MAX, &out, &n) == -1, "textfile: only blanks");
	path = write_tmp("reason", "a\x1b[2Jb", 7);
	CHECK(client_text_file(path, CLIENT_CTX_REOPEN, "reason", 1,
	    CORE_REASON_MAX, &out, &n) == -1, "textfile: control character");
	path = write_tmp("reason", "x", 1);
	CHECK(client_text_file(path, CLIENT_CTX_REOPEN, "reason", 1,
	    CORE_REASON_MAX, &out, &n) == 0 && n == 1,
	    "textfile: one character is enough");
	client_mem_free(out);
	free(big);
}

static void
test_uint(void)
{
	unsigned long	v = 0;

	CHECK(client_parse_uint("2", 1, 3, &v) == 0 && v == 2, "uint: 2");
	CHECK(client_parse_uint("1", 1, 3, &v) == 0 && v == 1, "uint: min");
	CHECK(client_parse_uint("3", 1, 3, &v) == 0 && v == 3, "uint: max");
	CHECK(client_parse_uint("0", 1, 3, &v) == -1, "uint: below");
	CHECK(client_parse_uint("4", 1, 3, &v) == -1, "uint: above");
	CHECK(client_parse_uint("", 1, 3, &v) == -1, "uint: empty");
	CHECK(client_parse_uint("-1", 0, 3, &v) == -1, "uint: sign");
	CHECK(client_parse_uint("+1", 0, 3, &v) == -1, "uint: plus");
	CHECK(client_parse_uint(" 1", 0, 3, &v) == -1, "uint: space");
	CHECK(client_parse_uint("2x", 0, 3, &v) == -1, "uint: trailing");
	CHECK(client_parse_uint("99999999999999999999999", 0, ~0UL, &v) == -1,
	    "uint: overflow");
}

static char *
write_tmp(const char *name, const void *buf, size_t len)
{
	static char	path[256];
	FILE		*f;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	unlink(path);
	if ((f = fopen(path, "wb")) == NULL)
		return NULL;
	fwrite(buf, 1, len, f);
	fclose(f);
	return path;
}

/* The first line of a file, or NULL. */
static char *
first_line(const char *content, size_t len, size_t *n)
{
	char	*line, *copy;

	if (client_first_line(write_tmp("line", content, len), 64, "test file",
	    &line, n) == -1)
		return NULL;
	copy = strndup(line, *n);
	crypto_secret_free(line);
	return copy;
}

static void
test_lines(void)
{
	char	*s, big[200];
	size_t	 n;

	s = first_line("secret phrase\n", 14, &n);
	CHECK(s != NULL && n == 13 && strcmp(s, "secret phrase") == 0,
	    "line: \\n ending is not part of it");
	free(s);
	s = first_line("secret phrase\r\nsecond\n", 22, &n);
	CHECK(s != NULL && n == 13 && strcmp(s, "secret phrase") == 0,
	    "line: \\r\\n ending is not part of it");
	free(s);
	s = first_line("secret phrase", 13, &n);
	CHECK(s != NULL && n == 13 && strcmp(s, "secret phrase") == 0,
	    "line: no newline at all");
	free(s);
	s = first_line("a\rb\n", 4, &n);
	CHECK(s != NULL && n == 3, "line: inner \\r is kept");
	free(s);
	s = first_line("  x \n", 5, &n);
	CHECK(s != NULL && n == 4, "line: spaces are part of it");
	free(s);
	CHECK(first_line("", 0, &n) == NULL, "line: empty file refused");
	CHECK(first_line("\n", 1, &n) == NULL, "line: empty line refused");
	CHECK(first_line("\r\nsecret\n", 9, &n) == NULL,
	    "line: empty \\r\\n line refused");
	CHECK(first_line("ab\0cd\n", 6, &n) == NULL, "line: NUL refused");
	memset(big, 'a', sizeof(big));
	s = first_line(big, 64, &n);
	CHECK(s != NULL && n == 64, "line: at the limit");
	free(s);
	CHECK(first_line(big, 65, &n) == NULL, "line: past the limit");
	CHECK(client_first_line("/nonexistent/bisik", 64, "test file", &s,
	    &n) == -1, "line: missing file");
	CHECK(client_line_len("x\n", 2, 1, &n) == 0 && n == 1,
	    "line_len: one byte");
}

static void
test_read(void)
{
	char	 big[101], *buf, *path;
	size_t	 n;

	memset(big, 'x', sizeof(big));
	path = write_tmp("read", big, 100);
	CHECK(client_file_read(path, 100, 0, "test file", &buf, &n) == 0 &&
	    n == 100 && buf[100] == '\0', "read: file at the limit");
	client_mem_free(buf);
	path = write_tmp("read", big, 101);
	CHECK(client_file_read(path, 100, 1, "test file", &buf, &n) == -1,
	    "read: file past the limit");
	path = write_tmp("read", "", 0);
	CHECK(client_file_read(path, 100, 1, "test file", &buf, &n) == 0 &&
	    n == 0 && buf[0] == '\0', "read: empty file into secret memory");
	crypto_secret_free(buf);
	CHECK(client_file_read(tmpdir, 100, 0, "test file", &buf, &n) == -1,
	    "read: a directory is refused");
}

static void
test_pass(void)
{
	char	*p, *path;
	size_t	 n;

	path = write_tmp("pass", "correct horse battery\n", 22);
	CHECK(client_pass_get(path, "", 0, 1, &p, &n) == 0 && n == 21 &&
	    memcmp(p, "correct horse battery", 21) == 0,
	    "pass: from the first line of a file");
	crypto_secret_free(p);
	path = write_tmp("pass", "exactly12chr\r\n", 14);
	CHECK(client_pass_get(path, "", 0, 1, &p, &n) == 0 && n == 12,
	    "pass: 12 characters are enough");
	crypto_secret_free(p);
	path = write_tmp("pass", "only11chars\n", 12);
	CHECK(client_pass_get(path, "", 0, 1, &p, &n) == -1,
	    "pass: 11 characters are too few for a new one");
	CHECK(client_pass_get(path, "", 0, 0, &p, &n) == 0 && n == 11,
	    "pass: short passphrase opens an existing key");
	crypto_secret_free(p);
	/* 12 characters that take more than 12 bytes. */
	path = write_tmp("pass", "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9"
	    "\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\n", 23);
	CHECK(client_pass_get(path, "", 0, 1, &p, &n) == -1,
	    "pass: counted in characters, not bytes");
	CHECK(client_pass_chars("\xc3\xa9x", 3) == 2, "pass: chars of UTF-8");
	CHECK(client_pass_chars("\xff\xfe", 2) == 2, "pass: bytes otherwise");
	path = write_tmp("pass", "\n", 1);
	CHECK(client_pass_get(path, "", 0, 0, &p, &n) == -1,
	    "pass: empty first line refused");
	path = write_tmp("pass", "", 0);
	CHECK(client_pass_get(path, "", 0, 0, &p, &n) == -1,
	    "pass: empty file refused");
}

static void
test_token(void)
{
	char	 tok[CRYPTO_TOKEN_TEXT], canon[CRYPTO_TOKEN_SYMBOLS + 1];
	char	 shown[CRYPTO_TOKEN_TEXT], *c, *path, buf[128];
	struct stat st;
	FILE	*f;
	size_t	 n;

	crypto_token_new(tok);
	CHECK(crypto_token_parse(tok, strlen(tok), canon) == 0,
	    "token: fresh token parses");
	client_token_display(canon, shown);
	CHECK(strlen(shown) == CRYPTO_TOKEN_TEXT - 1 && shown[4] == '-' &&
	    shown[34] == '-', "token: display form in groups of four");
	CHECK(strcmp(shown, tok) == 0, "token: display form as crypto's");
	path = write_tmp("tok", "", 0);
	unlink(path);
	CHECK(client_token_write(path, canon, CLIENT_WRITE_EXCL) == 0,
	    "token: written");
	CHECK(stat(path, &st) == 0 && (st.st_mode & 07777) == 0600,
	    "token: file mode 0600");
	CHECK(client_token_write(path, canon, CLIENT_WRITE_EXCL) == -1,
	    "token: existing file not overwritten");
	CHECK(client_token_read(path, &c) == 0 && strcmp(c, canon) == 0,
	    "token: read back");
	crypto_secret_free(c);
	CHECK(client_token_write(path, canon, CLIENT_WRITE_REPLACE) == 0 &&
	    stat(path, &st) == 0 && (st.st_mode & 07777) == 0600,
	    "token: replaced, still 0600");
	f = fopen(path, "r");
	n = f != NULL ? fread(buf, 1, sizeof(buf), f) : 0;
	if (f != NULL)
		fclose(f);
	CHECK(n == CRYPTO_TOKEN_TEXT && memcmp(buf, tok, n - 1) == 0 &&
	    buf[n - 1] == '\n', "token: file holds the display form and \\n");
	path = write_tmp("tok", "not a token\n", 12);
	CHECK(client_token_read(path, &c) == -1, "token: garbage refused");
	/* Another check symbol: always wrong, unlike a changed symbol. */
	tok[38] = tok[38] == '0' ? '1' : '0';
	path = write_tmp("tok", tok, strlen(tok));
	CHECK(client_token_read(path, &c) == -1, "token: bad check refused");
}

static void
test_write(void)
{
	struct stat	 st;
	char		 path[256];
	mode_t		 old;

	snprintf(path, sizeof(path), "%s/new.pub", tmpdir);
	old = umask(077);
	CHECK(client_file_write(path, "{}\n", 3, 0644, CLIENT_WRITE_EXCL,
	    "test file") == 0, "write: new file");
	umask(old);
	CHECK(stat(path, &st) == 0 && (st.st_mode & 07777) == 0644 &&
	    st.st_size == 3, "write: exact mode despite the umask");
	CHECK(client_file_write(path, "x", 1, 0644, CLIENT_WRITE_EXCL,
	    "test file") == -1 && stat(path, &st) == 0 && st.st_size == 3,
	    "write: existing file untouched");
	CHECK(client_path_exists(path) && !client_path_exists(
	    "/nonexistent-bisik"), "write: path_exists");
}

static int
printed(const char *in, const char *want)
{
	char	 buf[256];
	FILE	*f;
	size_t	 n;

	if ((f = fmemopen(buf, sizeof(buf), "w")) == NULL)
		return 0;
	client_print_text(f, in);
	fflush(f);
	n = (size_t)ftell(f);
	fclose(f);
	buf[n] = '\0';
	return strcmp(buf, want) == 0;
}

static void
test_print(void)
{
	CHECK(printed("Jalan rusak\n\tdi sini", "Jalan rusak\n\tdi sini"),
	    "print: plain text and newlines kept");
	CHECK(printed("caf\xc3\xa9", "caf\xc3\xa9"), "print: UTF-8 kept");
	CHECK(printed("a\x1b[2Jb", "a?[2Jb"), "print: ESC replaced");
	CHECK(printed("a\rb", "a?b"), "print: CR replaced");
	CHECK(printed("a\x7f", "a?"), "print: DEL replaced");
	CHECK(printed("a\xc2\x9b" "31m", "a?31m"), "print: C1 CSI replaced");
	CHECK(printed("a\xe2\x80\xae" "b", "a?b"),
	    "print: bidi override replaced");
	CHECK(printed("a\xff\xc3", "a??"), "print: invalid UTF-8 replaced");
	CHECK(printed("\xc0\xaf", "??"), "print: overlong replaced");
	CHECK(printed("\xed\xa0\x80", "???"), "print: surrogate replaced");
}

int
main(void)
{
	if (crypto_init() == -1 || client_alloc_init() == -1 ||
	    mkdtemp(tmpdir) == NULL) {
		printf("not ok - setup\n");
		return 1;
	}
	test_args();
	test_words();
	test_global();
	test_net();
	test_explain();
	test_time();
	test_textfile();
	test_uint();
	test_lines();
	test_read();
	test_pass();
	test_token();
	test_write();
	test_print();
	{
		char	cmd[300];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
		if (system(cmd) != 0)
			printf("# could not remove %s\n", tmpdir);
	}
	client_alloc_done();
	return tap_done();
}
