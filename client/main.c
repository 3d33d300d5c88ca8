/*
 * main.c: bisik, the command-line client of Bisik, for reporters (submit,
 * follow, reply, rotate) and central admins (keygen, escrow ceremony).
 * main() only prepares memory and crypto and hands the words after the
 * command name to the command; the commands live in the other files.
 */
#include <stdio.h>
#include <string.h>

#include "crypto/crypto.h"
#include "client/client.h"

static const struct {
	const char	*name;
	int		(*fn)(int, char *const *);
} commands[] = {
	{ "submit", cmd_submit },
	{ "follow", cmd_follow },
	{ "reply", cmd_reply },
	{ "rotate", cmd_rotate },
	{ "keygen", cmd_keygen },
	{ "escrow", cmd_escrow },
	{ "audit", cmd_audit },
	{ "disclose", cmd_disclose },
};

int
main(int argc, char *argv[])
{
	const char	*cmd;
	size_t		 i;
	int		 rc;

	if (argc < 2) {
		client_usage(stderr, NULL);
		return CLIENT_EXIT_USAGE;
	}
	cmd = argv[1];
	if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 ||
	    strcmp(cmd, "-h") == 0) {
		client_usage(stdout, argc > 2 && strcmp(cmd, "help") == 0 ?
		    argv[2] : NULL);
		return CLIENT_EXIT_OK;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(cmd, commands[i].name) == 0)
			break;
	if (i == sizeof(commands) / sizeof(commands[0])) {
		fprintf(stderr, "bisik: unknown command; `bisik help` lists "
		    "them\n");
		return CLIENT_EXIT_USAGE;
	}
	if (crypto_init() == -1) {
		fprintf(stderr, "bisik: cannot initialise the crypto "
		    "library\n");
		return CLIENT_EXIT_FAIL;
	}
	if (client_harden() == -1 || client_alloc_init() == -1)
		return CLIENT_EXIT_FAIL;
	rc = commands[i].fn(argc - 2, argv + 2);
	client_alloc_done();
	if (fflush(stdout) == EOF && rc == CLIENT_EXIT_OK) {
		fprintf(stderr, "bisik: cannot write the output\n");
		rc = CLIENT_EXIT_FAIL;
	}
	return rc;
}
