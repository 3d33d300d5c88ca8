/*
 * config.c: the client's configuration file and its per-user directories.
 *
 * A reporter pins the escrow key's fingerprint once, in a file the server
 * never sees, rather than typing it on every submission:
 *
 *   # ~/.config/bisik/config
 *   server = https://lapor.example.go.id
 *   proxy = socks5h://127.0.0.1:9050
 *   escrow-fingerprint = 7KQ2-...
 *
 * The file is `--config FILE` when given (it must exist), else
 * $XDG_CONFIG_HOME/bisik/config, else ~/.config/bisik/config (absent is
 * fine). Lines are "key = value", blank, or comments starting with '#';
 * an unknown key or a malformed line is an error naming the line, so a
 * typo never silently drops a pin. What the command line and the
 * environment say comes first (bisik(1), FILES).
 *
 * The state directory ($XDG_STATE_HOME/bisik, else ~/.local/state/bisik)
 * holds what the client remembers between runs: the audit heads it
 * verified (audit.c).
 */
#include <sys/stat.h>

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "client/client.h"

/* A configuration file is a few lines; a larger one is not ours. */
#define CONFIG_FILE_MAX		(16 * 1024)
/* A value is a URL or a fingerprint. */
#define CONFIG_VALUE_MAX	512

static const char *const config_keys[] = {
	"server", "proxy", "escrow-fingerprint",
};
#define NKEYS	(sizeof(config_keys) / sizeof(config_keys[0]))

void
client_config_free(struct client_config *c)
{
	if (c == NULL)
		return;
	free(c->server);
	free(c->proxy);
	free(c->escrow_fingerprint);
	memset(c, 0, sizeof(*c));
}

/* Under $XDG_<var> or ~/<fallback>: "<base>/bisik/<name>". */
static int
user_path(const char *var, const char *fallback, const char *name,
    char out[PATH_MAX])
{
	const char	*base = getenv(var), *home = getenv("HOME");
	int		 n;

	if (base != NULL && base[0] == '/')
		n = snprintf(out, PATH_MAX, "%s/bisik/%s", base, name);
	else if (home != NULL && home[0] == '/')
		n = snprintf(out, PATH_MAX, "%s/%s/bisik/%s", home, fallback,
		    name);
	else
		return -1;
	return n < 0 || n >= PATH_MAX ? -1 : 0;
}

int
client_state_path(const char *name, char out[PATH_MAX])
{
	char	dir[PATH_MAX], *slash;

	if (user_path("XDG_STATE_HOME", ".local/state", name, out) == -1) {
		client_err("cannot tell where to keep %s: neither "
		    "XDG_STATE_HOME nor HOME is set; give --state FILE", name);
		return -1;
	}
	/* The directories, private: what is kept there tells what the user
	 * checks. */
	memcpy(dir, out, strlen(out) + 1);
	for (slash = strchr(dir + 1, '/'); slash != NULL;
	    slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		if (mkdir(dir, 0700) == -1 && errno != EEXIST) {
			client_err("cannot make the directory %s: %s", dir,
			    strerror(errno));
			return -1;
		}
		*slash = '/';
	}
	return 0;
}

static char *
trim(char *s)
{
	char	*e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

static int
parse(const char *path, char *buf, struct client_config *c)
{
	char	*line, *next, *eq, *key, *val, **slot;
	size_t	 n, i;

	for (line = buf, n = 1; line != NULL; line = next, n++) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		key = trim(line);
		if (*key == '\0' || *key == '#')
			continue;
		if ((eq = strchr(key, '=')) == NULL) {
			client_err("%s, line %zu: expected \"key = value\"",
			    path, n);
			return -1;
		}
		*eq = '\0';
		key = trim(key);
		val = trim(eq + 1);
		for (i = 0; i < NKEYS; i++)
			if (strcmp(key, config_keys[i]) == 0)
				break;
		if (i == NKEYS) {
			client_err("%s, line %zu: unknown key \"%.40s\" "
			    "(known: server, proxy, escrow-fingerprint)", path,
			    n, key);
			return -1;
		}
		if (*val == '\0' || strlen(val) > CONFIG_VALUE_MAX) {
			client_err("%s, line %zu: the value of %s is empty or "
			    "longer than %d characters", path, n, key,
			    CONFIG_VALUE_MAX);
			return -1;
		}
		slot = i == 0 ? &c->server : i == 1 ? &c->proxy :
		    &c->escrow_fingerprint;
		if (*slot != NULL) {
			client_err("%s, line %zu: %s is given twice", path, n,
			    key);
			return -1;
		}
		if ((*slot = strdup(val)) == NULL) {
			client_err("out of memory");
			return -1;
		}
	}
	return 0;
}

int
client_config_load(const char *path, struct client_config *c)
{
	char	 def[PATH_MAX], *buf = NULL;
	size_t	 len;
	int	 rc;

	memset(c, 0, sizeof(*c));
	if (path == NULL) {
		if (user_path("XDG_CONFIG_HOME", ".config", "config",
		    def) == -1 || access(def, F_OK) == -1)
			return 0;	/* no file: nothing configured */
		path = def;
	}
	if (client_file_read(path, CONFIG_FILE_MAX, 0, "configuration file",
	    &buf, &len) == -1)
		return -1;
	if (memchr(buf, '\0', len) != NULL) {
		client_err("the configuration file %s is not text", path);
		client_mem_free(buf);
		return -1;
	}
	rc = parse(path, buf, c);
	client_mem_free(buf);
	if (rc == -1) {
		client_config_free(c);
		return -1;
	}
	snprintf(c->path, sizeof(c->path), "%s", path);
	return 0;
}
