/*
 * escrow_sign.c: `bisik escrow sign` and `bisik escrow fingerprint`.
 *
 *   sign         a holder checks that their own share opens and matches
 *                its commitment (for a resharing: each sub-share against
 *                its dealer's commitments, and the record against the
 *                pinned file of the generation it reshares, --previous),
 *                then adds their Ed25519 signature over the file's
 *                configuration hash to the file, in place. `bisikd escrow
 *                set` installs only a file every holder has signed, so no
 *                configuration becomes live that a holder did not check.
 *   fingerprint  prints the escrow fingerprint (crypto.h) of a file alone
 *                on stdout, for operators to publish where the server has
 *                no say.
 *
 * The file a holder has signed is also the file they keep and give with
 * --escrow to every disclosure command (escrow_pin.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "crypto/crypto.h"
#include "client/client.h"

#define NOPTS(a)	(sizeof(a) / sizeof((a)[0]))

static const struct client_optspec sign_opts[] = {
	{ "escrow", CLIENT_OPT_ARG | CLIENT_OPT_REQUIRED },
	{ "key", CLIENT_OPT_ARG | CLIENT_OPT_REQUIRED },
	{ "passphrase-file", CLIENT_OPT_ARG },
	{ "previous", CLIENT_OPT_ARG },
};

int
cmd_escrow_sign(int argc, char *const argv[])
{
	struct client_args	 a;
	struct client_escrow	*e = NULL, *prev = NULL;
	struct crypto_admin_key	*key = NULL;
	const char		*path;
	uint8_t			*share = NULL;
	unsigned		 idx;
	size_t			 passlen, len;
	char			 err[160], *pass = NULL, *text = NULL;
	char			 fp[CRYPTO_ESCROW_FP_TEXT];
	json_t			*root = NULL;
	int			 rc = CLIENT_EXIT_FAIL;

	if (client_args_parse(argc, argv, sign_opts, NOPTS(sign_opts), &a, err,
	    sizeof(err)) == -1) {
		client_err("%s", err);
		return CLIENT_EXIT_USAGE;
	}
	if (a.help) {
		client_usage(stdout, "escrow");
		return CLIENT_EXIT_OK;
	}
	path = client_arg(&a, "escrow");
	e = calloc(1, sizeof(*e));
	prev = calloc(1, sizeof(*prev));
	key = crypto_secret_alloc(sizeof(*key));
	share = crypto_secret_alloc(CRYPTO_SCALAR_BYTES);
	if (e == NULL || prev == NULL || key == NULL || share == NULL) {
		client_err("out of memory");
		goto out;
	}
	if (client_escrow_load(path, e) == -1)
		goto out;
	if (e->version == 2) {
		if (client_arg(&a, "previous") == NULL) {
			client_err("%s is a resharing: give the escrow file of "
			    "the generation it reshares, as you received it, "
			    "with --previous", path);
			rc = CLIENT_EXIT_USAGE;
			goto out;
		}
		if (client_escrow_load(client_arg(&a, "previous"), prev) == -1 ||
		    client_escrow_check_previous(e, prev,
		    client_arg(&a, "previous")) == -1)
			goto out;
	} else if (client_arg(&a, "previous") != NULL) {
		client_err("%s is not a resharing: --previous does not apply",
		    path);
		rc = CLIENT_EXIT_USAGE;
		goto out;
	}
	if (client_pass_get(client_arg(&a, "passphrase-file"),
	    "Passphrase of the admin key: ", 0, 0, &pass, &passlen) == -1 ||
	    client_adminkey_load(client_arg(&a, "key"), pass, passlen,
	    key) == -1)
		goto out;
	/* Only a holder whose share opens and is the committed one signs. */
	if (client_escrow_open_share(e, key, &idx, share) == -1)
		goto out;
	crypto_wipe(share, CRYPTO_SCALAR_BYTES);
	crypto_sign_msg(key->sign_sk, e->config, sizeof(e->config),
	    e->holder_sig[idx - 1]);
	e->signed_by[idx - 1] = 1;
	if ((root = client_escrow_json(e)) == NULL) {
		client_err("out of memory");
		goto out;
	}
	if (client_json_dump(root, &text, &len) == -1 ||
	    client_file_write(path, text, len, 0644, CLIENT_WRITE_REPLACE,
	    "escrow file") == -1)
		goto out;
	crypto_escrow_fingerprint(e->Y, fp);
	printf("holder %u checked their share and signed the configuration "
	    "of escrow %s (%u-of-%u); %u of %u holders have signed %s\n", idx,
	    e->id, e->threshold, e->n, client_escrow_signatures(e), e->n,
	    path);
	printf("fingerprint: %s\n", fp);
	printf("keep a copy of this file: give it with --escrow to every "
	    "`bisik disclose` command\n");
	rc = CLIENT_EXIT_OK;
out:
	client_mem_free(text);
	json_decref(root);
	crypto_secret_free(pass);
	crypto_secret_free(key);
	crypto_secret_free(share);
	free(prev);
	free(e);
	return rc;
}

int
cmd_escrow_fingerprint(int argc, char *const argv[])
{
	struct client_escrow	*e = NULL;
	char			 fp[CRYPTO_ESCROW_FP_TEXT];
	int			 rc = CLIENT_EXIT_FAIL;

	if (argc == 1 && (strcmp(argv[0], "--help") == 0 ||
	    strcmp(argv[0], "-h") == 0)) {
		client_usage(stdout, "escrow");
		return CLIENT_EXIT_OK;
	}
	if (argc != 1 || argv[0][0] == '-') {
		client_err("usage: bisik escrow fingerprint FILE");
		return CLIENT_EXIT_USAGE;
	}
	if ((e = calloc(1, sizeof(*e))) == NULL) {
		client_err("out of memory");
		return CLIENT_EXIT_FAIL;
	}
	if (client_escrow_load(argv[0], e) == -1)
		goto out;
	crypto_escrow_fingerprint(e->Y, fp);
	printf("%s\n", fp);
	rc = CLIENT_EXIT_OK;
out:
	free(e);
	return rc;
}
