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
	  "             [--receipt-out FILE] [--escrow-fingerprint FP] "
	  "[--config FILE]\n"
	  "    file a report; the identity is sealed on this machine, bound "
	  "to the report, to the\n"
	  "    escrow key whose fingerprint is pinned (--escrow-fingerprint, "
	  "else BISIK_ESCROW_FINGERPRINT,\n"
	  "    else escrow-fingerprint in the config file "
	  "~/.config/bisik/config); prints the case and the token\n"
	  "    --title: 5 to 200 characters; the body file: 20 to 20000; "
	  "--location: at most 200\n"
	  "    --identity-file: a JSON object with any of the text fields "
	  "name, email, phone, nik and\n"
	  "      address, each at most 300 characters and 4096 bytes in all, "
	  "for example\n"
	  "      {\"name\": \"Budi Santoso\", \"phone\": \"0812 3456 7890\"}"
	  "; without it the report is anonymous\n"
	  "    --attach: up to 20 files of at most 10 MiB each, JPEG, PNG or "
	  "WebP images, PDF or\n"
	  "      plain UTF-8 text, sent with the new token once the report "
	  "is filed\n" },
	{ "follow",
	  "bisik follow --token-file F [--json]\n"
	  "    show your case: status, agency and category by name, "
	  "deadlines, resolution, your rating,\n"
	  "    timeline, messages, numbered attachments, whether an identity "
	  "is sealed and every\n"
	  "    disclosure of it; times in WIB (UTC+7)\n"
	  "    --json: the server's answer as JSON instead; its times are "
	  "RFC 3339 in UTC, ending\n"
	  "      in Z (2026-12-06T03:04:05Z is 2026-12-06 10:04 WIB)\n" },
	{ "reply",
	  "bisik reply --token-file F --message-file M [--attach FILE]...\n"
	  "    send a message of 1 to 10000 characters about your case, and "
	  "the files it speaks of\n"
	  "    (checked before the message is sent, as for `bisik attach`)"
	  "\n" },
	{ "rate",
	  "bisik rate --token-file F --rating 1..5 [--comment-file C]\n"
	  "    accept the resolution of your case and rate it from 1 to 5 "
	  "(a comment: at most 10000\n"
	  "    characters); this closes the case\n" },
	{ "reopen",
	  "bisik reopen --token-file F --reason-file R | --reason TEXT\n"
	  "    say why the resolution does not settle it (1 to 2000 "
	  "characters), within 14 days of it\n" },
	{ "attach",
	  "bisik attach --token-file F FILE...\n"
	  "    add files to your case: up to 20 per case, at most 10 MiB "
	  "each, JPEG, PNG or WebP\n"
	  "    images, PDF or plain UTF-8 text (images lose their metadata "
	  "on the server)\n" },
	{ "download",
	  "bisik download --token-file F --attachment N --out FILE "
	  "[--force]\n"
	  "    save attachment N of your case (as `bisik follow` numbers "
	  "them) to a new file, mode 0600;\n"
	  "    --force replaces an existing file\n" },
	{ "rotate",
	  "bisik rotate --token-file F [--token-out FILE]\n"
	  "    replace your token with a new one, written over F in place "
	  "(or to the new file FILE);\n"
	  "    the old one stops working. Refused, with nothing changed, if "
	  "F cannot be rewritten\n" },
	{ "keygen",
	  "bisik keygen --out FILE [--passphrase-file P] "
	  "[--kdf interactive|moderate|sensitive]\n"
	  "    make a central admin key file (sealed with a passphrase) and "
	  "FILE.pub;\n"
	  "    --kdf: Argon2id memory 64 MiB, 256 MiB (default) or 1 GiB\n" },
	{ "escrow",
	  "bisik escrow dkg start --threshold K --admin A.pub "
	  "[--admin B.pub]... --username U --password-file F [--totp CODE]\n"
	  "    (a central admin) open a dealerless key ceremony on the server; "
	  "prints its id as the last line\n"
	  "bisik escrow dkg deal|check --ceremony ID --key FILE "
	  "[--passphrase-file P] --username U --password-file F [--totp CODE]\n"
	  "    (each holder) deal your contribution; then check: complain of "
	  "bad sub-shares, answer, prove your part\n"
	  "bisik escrow dkg finish --ceremony ID --key FILE "
	  "[--passphrase-file P] --out-dir DIR --username U\n"
	  "                        --password-file F [--totp CODE]\n"
	  "    (each holder) check your share, sign the result, print the "
	  "fingerprint; once all signed, write DIR/escrow.pub\n"
	  "    no machine ever holds the whole escrow key: the production "
	  "ceremony (SECURITY.md); the dkg commands take --server and --proxy\n"
	  "bisik escrow ceremony --threshold K --admin A.pub "
	  "[--admin B.pub]... --out-dir DIR\n"
	  "    the weaker single-machine form (demos): this machine holds the "
	  "whole key for a moment; writes DIR/escrow.pub\n"
	  "bisik escrow sign --escrow escrow.pub --key K [--passphrase-file P] "
	  "[--previous OLD.pub]\n"
	  "    check your own share and add your signature over the file's "
	  "configuration (every holder must)\n"
	  "bisik escrow fingerprint escrow.pub\n"
	  "    print the escrow fingerprint alone, for publishing\n"
	  "bisik escrow reshare deal --escrow escrow.pub --key OLD.key "
	  "[--passphrase-file P]\n"
	  "             --dealers 1,2 --new-threshold K2 --new-admin B.pub "
	  "... --out DEAL.json\n"
	  "bisik escrow reshare combine --escrow escrow.pub --deal DEAL.json "
	  "... --out-dir DIR\n"
	  "bisik escrow reshare verify --escrow DIR/escrow.pub "
	  "[--previous OLD.pub] --key NEW.key [--passphrase-file P]\n"
	  "    hand the escrow key to new admins (K2-of-n2) without "
	  "rebuilding it; the public key stays\n" },
	{ "disclose",
	  "bisik disclose request --case C --reason R --legal-basis L "
	  "--escrow escrow.pub --key FILE\n"
	  "                        [--passphrase-file P] --username U "
	  "--password-file F [--totp CODE]\n"
	  "    ask for the identity of a case; prints the request id as the "
	  "last line\n"
	  "bisik disclose approve --request ID --escrow escrow.pub --key FILE "
	  "[--passphrase-file P] [--yes]\n"
	  "                        --username U --password-file F "
	  "[--totp CODE]\n"
	  "    shows the request, asks you to confirm on the terminal, then "
	  "computes, proves and sends your partial\n"
	  "bisik disclose reveal --request ID --escrow escrow.pub --key FILE "
	  "[--passphrase-file P]\n"
	  "                        --username U --password-file F "
	  "[--totp CODE] [--allow-unbound]\n"
	  "    (the requester) combine the partials and print the identity "
	  "JSON, only if it is bound\n"
	  "    to this case's report (--allow-unbound: one sealed before "
	  "identities were bound)\n"
	  "bisik disclose deny --request ID --reason R --escrow escrow.pub "
	  "--username U --password-file F [--totp CODE]\n"
	  "    refuse a pending request\n"
	  "--escrow is the file of the generation as you received and signed "
	  "it; a server copy that differs is refused\n" },
	{ "audit",
	  "bisik audit verify --username U --password-file F [--totp CODE] "
	  "[--audit-key KEY]\n"
	  "             [--state FILE] [--expect SEQ:HASH]... "
	  "[--receipt FILE]...\n"
	  "    check the whole audit chain and its signed head (auditors, "
	  "central admins), and that it\n"
	  "    still passes through the head verified last time, every "
	  "--expect and every receipt's head\n" },
};

/* Every line of text, two spaces in: the list of all commands. */
static void
indented(FILE *f, const char *text)
{
	const char	*nl;

	while (*text != '\0') {
		nl = strchr(text, '\n');
		fprintf(f, "  %.*s\n", (int)(nl != NULL ? nl - text :
		    (long)strlen(text)), text);
		text = nl != NULL ? nl + 1 : text + strlen(text);
	}
}

void
client_usage(FILE *f, const char *name)
{
	size_t	i;

	if (name == NULL)
		fprintf(f, "usage: bisik [--server URL] [--proxy URL] COMMAND "
		    "[OPTIONS]\n       bisik [COMMAND] --version\n\ncommands:\n");
	for (i = 0; i < sizeof(usages) / sizeof(usages[0]); i++)
		if (name == NULL)
			indented(f, usages[i].text);
		else if (strcmp(name, usages[i].name) == 0)
			fprintf(f, "usage: %s", usages[i].text);
	if (name == NULL || strcmp(name, "keygen") != 0)
		if (name == NULL || strcmp(name, "escrow") != 0)
			fprintf(f, "%s--server URL (default %s) and "
			    "--proxy URL\n(e.g. socks5h://127.0.0.1:9050) "
			    "apply to every command that uses the\nnetwork, "
			    "before or after the command name; so may "
			    "--version.\n",
			    name == NULL ? "\n" : "", CLIENT_DEFAULT_SERVER);
	if (name == NULL)
		fprintf(f, "\nexit status: 0 success, 1 failure, 2 usage "
		    "error.\n");
}

int
client_sub_run(int argc, char *const argv[], const struct client_sub *subs,
    size_t n, const char *topic, const char *synopsis)
{
	size_t	i;

	for (i = 0; argc >= 1 && i < n; i++)
		if (strcmp(argv[0], subs[i].name) == 0)
			return subs[i].run(argc - 1, argv + 1);
	if (argc >= 1 && (strcmp(argv[0], "--help") == 0 ||
	    strcmp(argv[0], "-h") == 0)) {
		client_usage(stdout, topic);
		return CLIENT_EXIT_OK;
	}
	client_err("usage: bisik %s ...; `bisik help %s` says more", synopsis,
	    topic);
	return CLIENT_EXIT_USAGE;
}
