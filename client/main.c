/*
 * main.c: bisik, the command-line client of Bisik, for reporters (submit,
 * follow, reply, rate, reopen, attach, download, rotate) and central
 * admins (keygen, escrow, disclose, audit). main() only reads the options
 * that may come before the command (--server, --proxy, --version,
 * --help) and --version after it, prepares memory and crypto and hands
 * the words after the command name to the command; the commands live in
 * the other files.
 */
#include <stdio.h>
#include <string.h>

#include "core/version.h"
#include "crypto/crypto.h"
#include "client/client.h"

static const struct {
	const char	*name;
	int		(*fn)(int, char *const *);
} commands[] = {
	{ "submit", cmd_submit },
	{ "follow", cmd_follow },
	{ "reply", cmd_reply },
	{ "rate", cmd_rate },
	{ "reopen", cmd_reopen },
	{ "attach", cmd_attach },
	{ "download", cmd_download },
	{ "rotate", cmd_rotate },
	{ "keygen", cmd_keygen },
	{ "escrow", cmd_escrow },
	{ "audit", cmd_audit },
	{ "disclose", cmd_disclose },
};

/*
 * Commands that never touch the network: --server or --proxy before them
 * is a mistake to tell, not to ignore (after them their own option
 * parsing refuses it). Other escrow subcommands may use the network.
 */
static int
offline(const char *cmd, const char *sub)
{
	static const char *const escrow_offline[] = {
		"ceremony", "sign", "fingerprint", "reshare"
	};
	size_t	i;

	if (strcmp(cmd, "keygen") == 0)
		return 1;
	if (strcmp(cmd, "escrow") != 0 || sub == NULL)
		return 0;
	for (i = 0; i < sizeof(escrow_offline) / sizeof(escrow_offline[0]);
	    i++)
		if (strcmp(sub, escrow_offline[i]) == 0)
			return 1;
	return 0;
}

/*
 * Whether --version is among the words after the command, before a lone
 * "--": like --server and --proxy it may come before or after the command
 * name, and it wins over everything else there, as it does before the
 * command (`bisik follow --version` needs no --token-file). An option's
 * value that is the word "--version" itself is written --name=--version.
 */
static int
version_after(int argc, char *const argv[], int from)
{
	int	ai;

	for (ai = from; ai < argc; ai++) {
		if (strcmp(argv[ai], "--") == 0)
			return 0;
		if (strcmp(argv[ai], "--version") == 0)
			return 1;
	}
	return 0;
}

/* The index of a command in the table, or -1. */
static long
command_index(const char *name)
{
	size_t	i;

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(name, commands[i].name) == 0)
			return (long)i;
	return -1;
}

int
main(int argc, char *argv[])
{
	struct client_global	 g;
	const char		*cmd;
	char			 err[160];
	size_t			 i;
	long			 k;
	int			 rc, ci;

	if (client_global_parse(argc, argv, &g, &ci, err, sizeof(err)) == -1) {
		fprintf(stderr, "bisik: %s\n", err);
		return CLIENT_EXIT_USAGE;
	}
	if (g.version || (ci < argc && command_index(argv[ci]) >= 0 &&
	    version_after(argc, argv, ci + 1))) {
		printf("bisik %s\n", BISIK_VERSION);
		return fflush(stdout) == EOF ? CLIENT_EXIT_FAIL :
		    CLIENT_EXIT_OK;
	}
	/* `bisik --help follow` is `bisik help follow`. */
	if (g.help) {
		client_usage(stdout, ci < argc && command_index(argv[ci]) >= 0 ?
		    argv[ci] : NULL);
		return CLIENT_EXIT_OK;
	}
	/* A usage error is one sentence, as every other error; the whole
	 * help goes to stdout when asked for. */
	if (ci >= argc) {
		fprintf(stderr, "bisik: no command given; `bisik help` lists "
		    "them\n");
		return CLIENT_EXIT_USAGE;
	}
	cmd = argv[ci];
	if (strcmp(cmd, "help") == 0 && ci + 2 < argc) {
		fprintf(stderr, "bisik: `bisik help` takes one command name\n");
		return CLIENT_EXIT_USAGE;
	}
	if (strcmp(cmd, "help") == 0 && ci + 1 < argc &&
	    command_index(argv[ci + 1]) < 0) {
		fprintf(stderr, "bisik: no command \"%.40s\"; `bisik help` "
		    "lists them\n", argv[ci + 1]);
		return CLIENT_EXIT_USAGE;
	}
	if (strcmp(cmd, "help") == 0) {
		client_usage(stdout, ci + 1 < argc ? argv[ci + 1] : NULL);
		return CLIENT_EXIT_OK;
	}
	if ((k = command_index(cmd)) < 0) {
		fprintf(stderr, "bisik: unknown command \"%.40s\"; `bisik "
		    "help` lists them\n", cmd);
		return CLIENT_EXIT_USAGE;
	}
	i = (size_t)k;
	if ((g.server != NULL || g.proxy != NULL) &&
	    offline(cmd, ci + 1 < argc ? argv[ci + 1] : NULL)) {
		fprintf(stderr, "bisik: --server and --proxy do not apply to "
		    "`bisik %s`, which works offline\n", cmd);
		return CLIENT_EXIT_USAGE;
	}
	client_net_defaults(g.server, g.proxy);
	if (crypto_init() == -1) {
		fprintf(stderr, "bisik: cannot initialise the crypto "
		    "library\n");
		return CLIENT_EXIT_FAIL;
	}
	if (client_harden() == -1 || client_alloc_init() == -1)
		return CLIENT_EXIT_FAIL;
	rc = commands[i].fn(argc - ci - 1, argv + ci + 1);
	client_alloc_done();
	if (fflush(stdout) == EOF && rc == CLIENT_EXIT_OK) {
		fprintf(stderr, "bisik: cannot write the output\n");
		rc = CLIENT_EXIT_FAIL;
	}
	return rc;
}
