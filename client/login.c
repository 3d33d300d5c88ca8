/*
 * login.c: a staff member's sign-in from the command line (POST
 * /auth/login), shared by `bisik audit`, `bisik disclose` and `bisik
 * escrow dkg`.
 *
 * The password is read from the first line of a file and lives in secret
 * memory until the request body is built; jansson's memory is wiped when
 * freed (client_alloc_init). The session token comes back in secret memory.
 */
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "crypto/crypto.h"
#include "client/client.h"

/* Staff passwords are at most 1024 bytes (the server's bound). */
#define PASSWORD_MAX	1024
/* The server hashes only a few sign-ins at once (Argon2id) and answers
 * 503 "busy" to more; admins often act at the same moment (the holders of
 * one ceremony), so a busy answer is tried again, LOGIN_TRIES times in
 * all, LOGIN_WAIT_MS apart (about 5 s: a sign-in takes a fraction of a
 * second, so a server still busy after that is busy for another reason). */
#define LOGIN_TRIES	10
#define LOGIN_WAIT_MS	500
/* A session token longer than this is not one the server gives. */
#define SESSION_MAX	256

int
client_staff_login(const struct client_net *net, const char *username,
    const char *pwfile, const char *totp, char **session)
{
	json_t		*body = NULL, *reply = NULL, *v;
	const char	*code;
	char		*pw = NULL, *text = NULL, *tok;
	size_t		 pwlen;
	long		 status;
	int		 rc = -1, tries;

	*session = NULL;
	if (client_first_line(pwfile, PASSWORD_MAX, "password file", &pw,
	    &pwlen) == -1)
		return -1;
	body = json_pack("{s:s, s:s%}", "username", username, "password", pw,
	    pwlen);
	crypto_secret_free(pw);
	if (body != NULL && totp != NULL &&
	    json_object_set_new(body, "totp", json_string(totp)) == -1) {
		json_decref(body);
		body = NULL;
	}
	if (body == NULL || (text = json_dumps(body, JSON_COMPACT)) == NULL) {
		client_err("out of memory");
		goto out;
	}
	for (tries = 1;; tries++) {
		if (client_http(net, "POST", "/auth/login", NULL, text,
		    strlen(text), &status, &reply) == -1)
			goto out;
		code = client_http_error_code(reply);
		if (status != 503 || tries == LOGIN_TRIES || code == NULL ||
		    strcmp(code, "busy") != 0)
			break;
		json_decref(reply);
		reply = NULL;
		usleep(LOGIN_WAIT_MS * 1000);
	}
	if (status != 200) {
		client_http_error(status, reply);
		goto out;
	}
	v = json_object_get(reply, "session");
	if (!json_is_string(v) || json_string_length(v) == 0 ||
	    json_string_length(v) > SESSION_MAX) {
		client_err("the server's sign-in answer has no session");
		goto out;
	}
	if ((tok = crypto_secret_alloc(json_string_length(v) + 1)) == NULL) {
		client_err("out of memory");
		goto out;
	}
	memcpy(tok, json_string_value(v), json_string_length(v) + 1);
	*session = tok;
	rc = 0;
 out:
	client_mem_free(text);
	json_decref(body);
	json_decref(reply);
	return rc;
}
