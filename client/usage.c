/*
 * usage.c: the help text of bisik, one entry per command, so that
 * `bisik help`, `bisik --help` and `bisik CMD --help` say the same thing.
 */
#include <stdio.h>
#include <string.h>

#include "client/client.h"

struct usage {
	const char	*name;
	const char	*text;
};

static const struct usage usages[] = {
	{ "submit",
	  "bisik submit --title T --body-file F [--kind complaint|aspiration|"
	  "information_request]\n"
	  "             [--agency ID] [--category ID] [--location L] "
	  "[--occurred-on YYYY-MM-DD]\n"
	  "             [--identity-file ID.json] [--attach FILE]... "
	  "[--public] [--token-out FILE]\n"
	  "    file a report; the identity is sealed on this machine; prints "
	  "the case and the token\n" },
	{ "follow",
	  "bisik follow --token-file F [--json]\n"
	  "    show your case: status, timeline, messages, identity "
	  "disclosures\n" },
	{ "reply",
	  "bisik reply --token-file F --message-file M\n"
	  "    send a message about your case\n" },
	{ "rotate",
	  "bisik rotate --token-file F [--token-out FILE]\n"
	  "    replace your token with a new one; the old one stops "
	  "working\n" },
	{ "keygen",
	  "bisik keygen --out FILE [--passphrase-file P]\n"
	  "    make a central admin key file (sealed with a passphrase) and "
	  "FILE.pub\n" },
	{ "escrow",
	  "bisik escrow ceremony --threshold K --admin A.pub "
	  "[--admin B.pub]... --out-dir DIR\n"
	  "    split a new identity escrow key K-of-n between the admins; "
	  "writes DIR/escrow.pub\n" },
};

void
client_usage(FILE *f, const char *name)
{
	size_t	i;

	if (name == NULL)
		fprintf(f, "usage: bisik COMMAND [OPTIONS]\n\ncommands:\n");
	for (i = 0; i < sizeof(usages) / sizeof(usages[0]); i++)
		if (name == NULL || strcmp(name, usages[i].name) == 0)
			fprintf(f, "%s%s", name == NULL ? "  " : "usage: ",
			    usages[i].text);
	if (name == NULL || strcmp(name, "keygen") != 0)
		if (name == NULL || strcmp(name, "escrow") != 0)
			fprintf(f, "%s--server URL (default %s) and "
			    "--proxy URL (e.g. socks5h://127.0.0.1:9050) "
			    "apply to every command that uses the network.\n",
			    name == NULL ? "\n" : "", CLIENT_DEFAULT_SERVER);
	if (name == NULL)
		fprintf(f, "\nexit status: 0 success, 1 failure, 2 usage "
		    "error.\n");
}
