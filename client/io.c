/*
 * io.c: the client's dealings with memory, files and the terminal.
 *
 * Everything the client reads or writes on the local disk goes through
 * here so that the rules hold in one place: bounded reads, secrets read
 * straight into guarded memory (never through stdio buffers), new files
 * created with exact modes and fsynced together with their directory, and
 * replies from a server printed without letting them drive the terminal.
 * It also installs a wiping allocator under jansson and libcurl: their
 * buffers hold server replies with tokens and our report text, and
 * free() alone would leave those in the heap.
 */
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>
#include <jansson.h>

#include "core/core.h"
#include "core/fsdir.h"
#include "crypto/crypto.h"
#include "client/client.h"

/*
 * Each block carries its usable size in a header as large as the
 * strictest alignment, so that the block itself stays aligned for any
 * type and the whole of it can be wiped on free.
 */
#define MEM_HEADER	16
_Static_assert(MEM_HEADER >= sizeof(size_t) &&
    MEM_HEADER % _Alignof(max_align_t) == 0, "allocation header");

void *
client_mem_alloc(size_t len)
{
	unsigned char	*p;

	if (len > SIZE_MAX - MEM_HEADER)
		return NULL;
	if ((p = malloc(MEM_HEADER + len)) == NULL)
		return NULL;
	memcpy(p, &len, sizeof(len));
	return p + MEM_HEADER;
}

void
client_mem_free(void *ptr)
{
	unsigned char	*p;
	size_t		 len;

	if (ptr == NULL)
		return;
	p = (unsigned char *)ptr - MEM_HEADER;
	memcpy(&len, p, sizeof(len));
	crypto_wipe(p, MEM_HEADER + len);
	free(p);
}

static void *
mem_realloc(void *ptr, size_t len)
{
	unsigned char	*p, *n;
	size_t		 old;

	if (ptr == NULL)
		return client_mem_alloc(len);
	/* Never realloc() in place: the old block would be freed unwiped. */
	if ((n = client_mem_alloc(len)) == NULL)
		return NULL;
	p = (unsigned char *)ptr - MEM_HEADER;
	memcpy(&old, p, sizeof(old));
	memcpy(n, ptr, old < len ? old : len);
	client_mem_free(ptr);
	return n;
}

static void *
mem_calloc(size_t nmemb, size_t size)
{
	void	*p;

	if (size != 0 && nmemb > SIZE_MAX / size)
		return NULL;
	if ((p = client_mem_alloc(nmemb * size)) != NULL)
		memset(p, 0, nmemb * size);
	return p;
}

static char *
mem_strdup(const char *s)
{
	size_t	 len = strlen(s) + 1;
	char	*p;

	if ((p = client_mem_alloc(len)) != NULL)
		memcpy(p, s, len);
	return p;
}

int
client_alloc_init(void)
{
	json_set_alloc_funcs(client_mem_alloc, client_mem_free);
	if (curl_global_init_mem(CURL_GLOBAL_DEFAULT, client_mem_alloc,
	    client_mem_free, mem_realloc, mem_strdup, mem_calloc) != CURLE_OK) {
		client_err("cannot initialise libcurl");
		return -1;
	}
	return 0;
}

void
client_alloc_done(void)
{
	curl_global_cleanup();
}

void
client_err(const char *fmt, ...)
{
	va_list	ap;

	fflush(stdout);
	fputs("bisik: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

/*
 * Length of the UTF-8 sequence at s (at most `left` bytes) and its code
 * point, or 0 if it is not a valid, shortest-form, non-surrogate sequence.
 */
static size_t
utf8_decode(const unsigned char *s, size_t left, uint32_t *cp)
{
	size_t		n, i;
	uint32_t	c, min;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	} else if ((s[0] & 0xe0) == 0xc0) {
		n = 2, c = s[0] & 0x1f, min = 0x80;
	} else if ((s[0] & 0xf0) == 0xe0) {
		n = 3, c = s[0] & 0x0f, min = 0x800;
	} else if ((s[0] & 0xf8) == 0xf0) {
		n = 4, c = s[0] & 0x07, min = 0x10000;
	} else
		return 0;
	if (n > left)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

/*
 * Code points that change what a terminal shows rather than being shown:
 * C0 and C1 controls (ESC starts escape sequences; CR overwrites a line)
 * and the bidirectional overrides that reorder text on screen.
 */
static int
cp_unsafe(uint32_t c)
{
	if (c == '\n' || c == '\t')
		return 0;
	if (c < 0x20 || (c >= 0x7f && c <= 0x9f))
		return 1;
	if ((c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069))
		return 1;
	return 0;
}

void
client_print_text(FILE *f, const char *text)
{
	const unsigned char	*s = (const unsigned char *)text;
	size_t			 left = strlen(text), n;
	uint32_t		 c;

	while (left > 0) {
		n = utf8_decode(s, left, &c);
		if (n == 0 || cp_unsafe(c)) {
			fputc('?', f);
			n = n == 0 ? 1 : n;
		} else
			fwrite(s, 1, n, f);
		s += n;
		left -= n;
	}
}

int
client_file_read(const char *path, size_t max, int secret, const char *what,
    char **out, size_t *len)
{
	char	*buf = NULL;
	size_t	 have = 0;
	ssize_t	 r;
	int	 fd = -1;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) == -1) {
		client_err("cannot open the %s %s: %s", what, path,
		    strerror(errno));
		return -1;
	}
	/* One byte more than allowed tells "too large" from "exactly max". */
	buf = secret ? crypto_secret_alloc(max + 2) : client_mem_alloc(max + 2);
	if (buf == NULL) {
		client_err("out of memory");
		close(fd);
		return -1;
	}
	for (;;) {
		r = read(fd, buf + have, max + 1 - have);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1) {
			client_err("cannot read the %s %s: %s", what, path,
			    strerror(errno));
			goto fail;
		}
		if (r == 0)
			break;
		have += (size_t)r;
		if (have > max) {
			client_err("the %s %s is larger than %zu bytes", what,
			    path, max);
			goto fail;
		}
	}
	close(fd);
	buf[have] = '\0';
	*out = buf;
	*len = have;
	return 0;
fail:
	close(fd);
	if (secret)
		crypto_secret_free(buf);
	else
		client_mem_free(buf);
	return -1;
}

int
client_line_len(const char *buf, size_t len, size_t max, size_t *linelen)
{
	const char	*nl;
	size_t		 n;

	if ((nl = memchr(buf, '\n', len)) != NULL)
		n = (size_t)(nl - buf);
	else
		n = len;
	if (nl != NULL && n > 0 && buf[n - 1] == '\r')
		n--;
	if (n == 0 || n > max || memchr(buf, '\0', n) != NULL)
		return -1;
	*linelen = n;
	return 0;
}

int
client_first_line(const char *path, size_t max, const char *what, char **out,
    size_t *len)
{
	char	*buf;
	size_t	 buflen, n;

	if (client_file_read(path, CLIENT_LINE_FILE_MAX, 1, what, &buf,
	    &buflen) == -1)
		return -1;
	if (client_line_len(buf, buflen, max, &n) == -1) {
		client_err("the first line of the %s %s is empty, longer than "
		    "%zu bytes or holds a NUL byte", what, path, max);
		crypto_secret_free(buf);
		return -1;
	}
	/* Cut the rest (other lines may hold other secrets) and wipe it. */
	crypto_wipe(buf + n, buflen - n);
	*out = buf;
	*len = n;
	return 0;
}

int
client_path_exists(const char *path)
{
	struct stat	st;

	return lstat(path, &st) == 0 || errno != ENOENT;
}

static int
write_all(int fd, const void *buf, size_t len)
{
	const char	*p = buf;
	ssize_t		 w;

	while (len > 0) {
		if ((w = write(fd, p, len)) == -1) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

int
client_file_write(const char *path, const void *buf, size_t len,
    unsigned mode, int how, const char *what)
{
	char	*tmp = NULL;
	size_t	 plen;
	int	 fd = -1, saved = 0;

	if (how == CLIENT_WRITE_EXCL) {
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
		    O_CLOEXEC, (mode_t)mode);
		if (fd == -1) {
			client_err("cannot create the %s %s: %s", what, path,
			    errno == EEXIST ? "it already exists" :
			    strerror(errno));
			return -1;
		}
	} else {
		plen = strlen(path);
		if ((tmp = malloc(plen + sizeof(".XXXXXX"))) == NULL) {
			client_err("out of memory");
			return -1;
		}
		memcpy(tmp, path, plen);
		memcpy(tmp + plen, ".XXXXXX", sizeof(".XXXXXX"));
		if ((fd = mkstemp(tmp)) == -1) {
			client_err("cannot create a file beside %s: %s", path,
			    strerror(errno));
			free(tmp);
			return -1;
		}
	}
	/* The umask must not loosen nor tighten the documented modes. */
	if (fchmod(fd, (mode_t)mode) == -1 || write_all(fd, buf, len) == -1 ||
	    fsync(fd) == -1)
		goto fail;
	if (close(fd) == -1) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (tmp != NULL && rename(tmp, path) == -1)
		goto fail;
	if (core_fsync_parent(path) == -1)
		goto fail;
	free(tmp);
	return 0;
fail:
	saved = errno;
	if (fd != -1)
		close(fd);
	if (tmp != NULL) {
		unlink(tmp);
		free(tmp);
	} else
		unlink(path);
	client_err("cannot write the %s %s: %s", what, path, strerror(saved));
	return -1;
}

int
client_json_dump(const json_t *v, char **out, size_t *len)
{
	char	*s, *t;
	size_t	 n;

	if ((s = json_dumps(v, JSON_INDENT(2) | JSON_PRESERVE_ORDER)) == NULL) {
		client_err("out of memory");
		return -1;
	}
	n = strlen(s);
	if ((t = client_mem_alloc(n + 2)) == NULL) {
		client_mem_free(s);
		client_err("out of memory");
		return -1;
	}
	memcpy(t, s, n);
	t[n] = '\n';
	t[n + 1] = '\0';
	client_mem_free(s);
	*out = t;
	*len = n + 1;
	return 0;
}

json_t *
client_json_b64(const void *bin, size_t len)
{
	char	*text;
	size_t	 tlen = crypto_b64_len(len);
	json_t	*v;

	if ((text = client_mem_alloc(tlen)) == NULL)
		return NULL;
	crypto_b64_encode(bin, len, text);
	v = json_string(text);
	client_mem_free(text);
	return v;
}

json_t *
client_json_b64_list(const uint8_t *p, size_t count, size_t len)
{
	json_t	*a;
	size_t	 i;

	if ((a = json_array()) == NULL)
		return NULL;
	for (i = 0; i < count; i++)
		if (json_array_append_new(a, client_json_b64(p + i * len,
		    len)) == -1) {
			json_decref(a);
			return NULL;
		}
	return a;
}

int
client_json_get_b64_list(const json_t *o, const char *key, size_t count,
    size_t len, uint8_t *out, const char *what)
{
	const json_t	*a = json_object_get(o, key);
	size_t		 i, n;

	if (!json_is_array(a) || json_array_size(a) != count) {
		client_err("\"%s\" in the %s is not a list of %zu values", key,
		    what, count);
		return -1;
	}
	for (i = 0; i < count; i++) {
		const json_t *v = json_array_get(a, i);

		if (!json_is_string(v) || crypto_b64_decode(json_string_value(v),
		    json_string_length(v), out + i * len, len, &n) == -1 ||
		    n != len) {
			client_err("\"%s\" in the %s holds a bad value", key,
			    what);
			return -1;
		}
	}
	return 0;
}

int
client_json_only(const json_t *o, const char *const *fields, size_t n,
    const char *what, const char *part)
{
	const char	*key;
	json_t		*v;
	size_t		 i;

	json_object_foreach((json_t *)(uintptr_t)o, key, v) {
		for (i = 0; i < n; i++)
			if (strcmp(key, fields[i]) == 0)
				break;
		if (i == n) {
			client_err("%s in the %s has an unknown field", part,
			    what);
			return -1;
		}
	}
	return 0;
}

const char *
client_json_str(const json_t *obj, const char *key, const char *what)
{
	const json_t	*v;

	if (!json_is_object(obj) || (v = json_object_get(obj, key)) == NULL ||
	    !json_is_string(v)) {
		client_err("the %s has no text \"%s\"", what, key);
		return NULL;
	}
	return json_string_value(v);
}

int
client_json_get_b64(const json_t *obj, const char *key, uint8_t *out,
    size_t len, const char *what)
{
	const json_t	*v;
	size_t		 got;

	if (!json_is_object(obj) || (v = json_object_get(obj, key)) == NULL ||
	    !json_is_string(v) ||
	    crypto_b64_decode(json_string_value(v), json_string_length(v), out,
	    len, &got) == -1 || got != len) {
		client_err("the %s has no valid \"%s\" (base64 of %zu bytes)",
		    what, key, len);
		return -1;
	}
	return 0;
}

int
client_json_object(const char *buf, size_t len, const char *const *keys,
    size_t n, const char *version_key, const char *what, json_t **out)
{
	struct core_errors	 errs;
	json_t			*root = NULL, *v;
	const char		*key;
	size_t			 i;

	memset(&errs, 0, sizeof(errs));
	if (core_json_parse(buf, len, CLIENT_JSON_DEPTH, &root, &errs) != 0) {
		client_err("the %s is not valid JSON: %s", what,
		    errs.message != NULL ? errs.message : "malformed");
		return -1;
	}
	if (!json_is_object(root)) {
		client_err("the %s is not a JSON object", what);
		goto fail;
	}
	json_object_foreach(root, key, v) {
		for (i = 0; i < n; i++)
			if (strcmp(key, keys[i]) == 0)
				break;
		if (i == n) {
			client_err("the %s holds an unknown field", what);
			goto fail;
		}
	}
	if (version_key != NULL &&
	    ((v = json_object_get(root, version_key)) == NULL ||
	    !json_is_integer(v) || json_integer_value(v) != 1)) {
		client_err("the %s is not a version 1 \"%s\" file", what,
		    version_key);
		goto fail;
	}
	*out = root;
	return 0;
fail:
	json_decref(root);
	return -1;
}

int
client_harden(void)
{
	struct rlimit	rl;

	/* No core file may hold a key, a share or an identity, and no
	 * other process of the same user may attach to read them. */
	rl.rlim_cur = rl.rlim_max = 0;
	if (setrlimit(RLIMIT_CORE, &rl) == -1 ||
	    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) == -1) {
		client_err("cannot turn off core dumps and debugger access: %s",
		    strerror(errno));
		return -1;
	}
	return 0;
}
