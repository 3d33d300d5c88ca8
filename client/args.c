/*
 * args.c: command-line options of the bisik subcommands.
 *
 * Each subcommand lists its options in a table; this file turns the words
 * after the command name into values by that table and refuses anything
 * the table does not name, so that a typo ("--publc") is an error rather
 * than a report filed with other settings than the reporter meant.
 * Values are borrowed from argv.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/client.h"

static long
spec_find(const struct client_optspec *specs, size_t nspecs, const char *name,
    size_t namelen)
{
	size_t	i;

	for (i = 0; i < nspecs; i++)
		if (strlen(specs[i].name) == namelen &&
		    strncmp(specs[i].name, name, namelen) == 0)
			return (long)i;
	return -1;
}

/* Keeps a word that is not an option, if the command takes them. */
static int
add_word(struct client_args *a, const char *w, size_t maxwords, char *err,
    size_t errlen)
{
	if (maxwords == 0) {
		snprintf(err, errlen, "unexpected argument \"%.40s\"", w);
		return -1;
	}
	if (a->nwords == maxwords) {
		snprintf(err, errlen, "at most %zu files may be given at once",
		    maxwords);
		return -1;
	}
	a->words[a->nwords++] = w;
	return 0;
}

int
client_args_parse(int argc, char *const argv[],
    const struct client_optspec *specs, size_t nspecs,
    struct client_args *out, char *err, size_t errlen)
{
	return client_args_parse_words(argc, argv, specs, nspecs, 0, out, err,
	    errlen);
}

int
client_args_parse_words(int argc, char *const argv[],
    const struct client_optspec *specs, size_t nspecs, size_t maxwords,
    struct client_args *out, char *err, size_t errlen)
{
	struct client_args	 a;
	const char		*w, *name, *eq, *val;
	size_t			 namelen, i;
	long			 k;
	int			 ai, words_only = 0;

	if (nspecs > CLIENT_OPTS_MAX || maxwords > CLIENT_MULTI_MAX) {
		snprintf(err, errlen, "too many options in a command table");
		return -1;
	}
	memset(&a, 0, sizeof(a));
	a.specs = specs;
	a.nspecs = nspecs;
	for (ai = 0; ai < argc; ai++) {
		w = argv[ai];
		if (words_only) {
			if (add_word(&a, w, maxwords, err, errlen) == -1)
				return -1;
			continue;
		}
		if (strcmp(w, "-h") == 0 || strcmp(w, "--help") == 0) {
			a.help = 1;
			continue;
		}
		/* A file named "--x" comes after a lone "--". */
		if (strcmp(w, "--") == 0 && maxwords > 0) {
			words_only = 1;
			continue;
		}
		if (strncmp(w, "--", 2) != 0 || w[2] == '\0') {
			if (add_word(&a, w, maxwords, err, errlen) == -1)
				return -1;
			continue;
		}
		name = w + 2;
		eq = strchr(name, '=');
		namelen = eq != NULL ? (size_t)(eq - name) : strlen(name);
		if ((k = spec_find(specs, nspecs, name, namelen)) == -1) {
			snprintf(err, errlen, "unknown option \"--%.*s\"",
			    (int)(namelen > 40 ? 40 : namelen), name);
			return -1;
		}
		if (!(specs[k].flags & CLIENT_OPT_ARG)) {
			if (eq != NULL) {
				snprintf(err, errlen, "option --%s takes no "
				    "value", specs[k].name);
				return -1;
			}
			val = "";
		} else if (eq != NULL)
			val = eq + 1;
		else if (ai + 1 < argc)
			val = argv[++ai];
		else {
			snprintf(err, errlen, "option --%s needs a value",
			    specs[k].name);
			return -1;
		}
		if (a.opt[k].n > 0 && !(specs[k].flags & CLIENT_OPT_MULTI)) {
			snprintf(err, errlen, "option --%s is given more than "
			    "once", specs[k].name);
			return -1;
		}
		if (a.opt[k].n == CLIENT_MULTI_MAX) {
			snprintf(err, errlen, "option --%s is given more than "
			    "%d times", specs[k].name, CLIENT_MULTI_MAX);
			return -1;
		}
		a.opt[k].values[a.opt[k].n++] = val;
	}
	if (!a.help)
		for (i = 0; i < nspecs; i++)
			if ((specs[i].flags & CLIENT_OPT_REQUIRED) &&
			    a.opt[i].n == 0) {
				snprintf(err, errlen, "option --%s is required",
				    specs[i].name);
				return -1;
			}
	*out = a;
	return 0;
}

int
client_global_parse(int argc, char *const argv[], struct client_global *g,
    int *cmd, char *err, size_t errlen)
{
	static const char *const names[] = { "server", "proxy" };
	const char	*w, *eq, **slot;
	size_t		 i, n;
	int		 ai;

	memset(g, 0, sizeof(*g));
	for (ai = 1; ai < argc; ai++) {
		w = argv[ai];
		if (strcmp(w, "--version") == 0) {
			g->version = 1;
			continue;
		}
		if (strcmp(w, "--help") == 0 || strcmp(w, "-h") == 0) {
			g->help = 1;
			continue;
		}
		if (w[0] != '-')
			break;		/* the command */
		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
			n = strlen(names[i]);
			if (strncmp(w, "--", 2) == 0 &&
			    strncmp(w + 2, names[i], n) == 0 &&
			    (w[2 + n] == '\0' || w[2 + n] == '='))
				break;
		}
		if (i == sizeof(names) / sizeof(names[0])) {
			snprintf(err, errlen, "unknown option \"%.40s\" before "
			    "the command; only --server, --proxy, --version and "
			    "--help go there", w);
			return -1;
		}
		slot = i == 0 ? &g->server : &g->proxy;
		if (*slot != NULL) {
			snprintf(err, errlen, "option --%s is given more than "
			    "once", names[i]);
			return -1;
		}
		eq = strchr(w, '=');
		if (eq != NULL)
			*slot = eq + 1;
		else if (ai + 1 < argc)
			*slot = argv[++ai];
		else {
			snprintf(err, errlen, "option --%s needs a value",
			    names[i]);
			return -1;
		}
	}
	*cmd = ai;
	return 0;
}

static long
arg_index(const struct client_args *a, const char *name)
{
	return spec_find(a->specs, a->nspecs, name, strlen(name));
}

const char *
client_arg(const struct client_args *a, const char *name)
{
	long	k;

	if ((k = arg_index(a, name)) == -1 || a->opt[k].n == 0)
		return NULL;
	return a->opt[k].values[0];
}

const char *const *
client_arg_multi(const struct client_args *a, const char *name, size_t *n)
{
	long	k;

	if ((k = arg_index(a, name)) == -1) {
		*n = 0;
		return NULL;
	}
	*n = a->opt[k].n;
	return a->opt[k].values;
}

int
client_arg_given(const struct client_args *a, const char *name)
{
	long	k;

	return (k = arg_index(a, name)) != -1 && a->opt[k].n > 0;
}

int
client_parse_uint(const char *s, unsigned long min, unsigned long max,
    unsigned long *out)
{
	unsigned long	 v;
	char		*end;
	size_t		 i;

	/* strtoul alone would take " 3", "+3", "-3" and "3x". */
	if (s[0] == '\0' || strlen(s) > 20)
		return -1;
	for (i = 0; s[i] != '\0'; i++)
		if (!isdigit((unsigned char)s[i]))
			return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return -1;
	*out = v;
	return 0;
}
