/*
 * adminkey.c: the link between a central admin's staff account and their
 * admin key (`bisikd user set-key`).
 *
 * A disclosure is authorized by escrow holders, who are known by their
 * admin keys (escrow.pub), and carried out through staff accounts, which
 * sign in with passwords. The server must know which holder an account
 * is, so that it can refuse an approval from the requester's own account
 * or from an account that is not the holder whose partial it carries, and
 * record who approved. It learns it from the operator, offline, the same
 * way accounts are made: the admin's public key file is registered in
 * their user record. Only public keys are stored, so the link gives the
 * server nothing that opens an identity; every request and approval is
 * also signed with the key, so a stolen password alone cannot approve.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/domain.h"

/* An admin public key file is a few hundred bytes; its JSON is flat. */
#define PUBFILE_DEPTH	2

/* A base64 key of 32 bytes, not all zero. */
static int
b64_key(const json_t *v, uint8_t out[32])
{
	static const uint8_t	zero[32];
	size_t			n;

	if (!json_is_string(v) || crypto_b64_decode(json_string_value(v),
	    json_string_length(v), out, 32, &n) == -1 || n != 32 ||
	    crypto_equal(out, zero, 32))
		return -1;
	return 0;
}

int
srv_adminkey_get(const json_t *rec, uint8_t sign_pk[CRYPTO_SIGN_PK_BYTES],
    uint8_t box_pk[CRYPTO_BOX_PK_BYTES])
{
	uint8_t	s[32], b[32];

	if (b64_key(json_object_get(rec, "sign_key"), s) == -1 ||
	    b64_key(json_object_get(rec, "box_key"), b) == -1)
		return -1;
	memcpy(sign_pk, s, sizeof(s));
	memcpy(box_pk, b, sizeof(b));
	return 0;
}

struct setkey_job {
	const char	*username;
	const char	*sign_b64, *box_b64;
	const uint8_t	*sign_pk, *box_pk;
	time_t		 now;
	const char	*why;
	uint64_t	 id;
};

struct other_arg {
	uint64_t	 self;
	const uint8_t	*sign_pk, *box_pk;
	uint64_t	 other;
};

/* Finds another account holding either key. */
static int
other_each(const void *key, size_t klen, const void *val, size_t vlen,
    void *arg)
{
	struct other_arg	*a = arg;
	json_t			*rec;
	uint8_t			 s[32], b[32];
	uint64_t		 id;

	if (klen != 8 || vlen < 2 || ((const uint8_t *)val)[0] != SRV_RECORD_V1)
		return 0;
	id = store_be64_get(key);
	if (id == a->self)
		return 0;
	if ((rec = json_loadb((const char *)val + 1, vlen - 1, 0, NULL)) ==
	    NULL)
		return 0;
	if (srv_adminkey_get(rec, s, b) == 0 &&
	    (crypto_equal(s, a->sign_pk, 32) || crypto_equal(b, a->box_pk, 32)))
		a->other = id;
	json_decref(rec);
	return a->other != 0 ? STORE_STOP : 0;
}

static int
setkey_job(struct store_txn *txn, void *arg)
{
	struct setkey_job	*j = arg;
	struct other_arg	 o;
	json_t			*rec = NULL, *d = NULL;
	uint64_t		 id;
	int			 rc = STORE_IO;

	j->why = NULL;
	if ((rc = srv_users_id(txn, j->username, &id)) == STORE_NOTFOUND) {
		j->why = "there is no such user.";
		return STORE_CONFLICT;
	}
	if (rc != STORE_OK)
		return rc;
	if ((rc = srv_users_get(txn, id, &rec)) != STORE_OK)
		return rc;
	if (json_string_value(json_object_get(rec, "role")) == NULL ||
	    strcmp(json_string_value(json_object_get(rec, "role")),
	    "central_admin") != 0) {
		j->why = "only a central admin holds an admin key.";
		rc = STORE_CONFLICT;
		goto out;
	}
	o.self = id;
	o.sign_pk = j->sign_pk;
	o.box_pk = j->box_pk;
	o.other = 0;
	rc = store_each(txn, STORE_T_USERS, NULL, 0, NULL, 0, other_each, &o);
	if (rc != STORE_OK)
		goto out;
	if (o.other != 0) {
		j->why = "this admin key is registered to another account "
		    "already; one key belongs to one person.";
		rc = STORE_CONFLICT;
		goto out;
	}
	if (json_object_set_new(rec, "sign_key", json_string(j->sign_b64)) ==
	    -1 || json_object_set_new(rec, "box_key",
	    json_string(j->box_b64)) == -1 ||
	    json_object_set_new(rec, "key_set_at",
	    json_integer((json_int_t)j->now)) == -1) {
		rc = STORE_IO;
		goto out;
	}
	if ((rc = srv_users_put(txn, id, rec)) != STORE_OK)
		goto out;
	if ((d = json_pack("{s:I}", "user", (json_int_t)id)) == NULL) {
		rc = STORE_IO;
		goto out;
	}
	rc = srv_audit_append(txn, srv_audit_keys(), j->now, "operator",
	    "user.set_key", NULL, NULL, d);
	j->id = id;
out:
	json_decref(d);
	json_decref(rec);
	return rc;
}

int
srv_adminkey_set(struct store *s, const char *username, const char *pubtext,
    size_t len, char *err, size_t errlen)
{
	struct core_errors	 errs;
	struct setkey_job	 j;
	json_t			*root = NULL, *v;
	const char		*k;
	uint8_t			 sign_pk[32], box_pk[32];
	int			 rc = -1, r;

	memset(&errs, 0, sizeof(errs));
	memset(&j, 0, sizeof(j));
	if (!srv_users_name_ok(username)) {
		snprintf(err, errlen, "there is no such user.");
		return -1;
	}
	if (core_json_parse(pubtext, len, PUBFILE_DEPTH, &root, &errs) !=
	    CORE_OK || !json_is_object(root)) {
		snprintf(err, errlen, "the public key file is not a JSON "
		    "object.");
		goto out;
	}
	json_object_foreach(root, k, v)
		if (strcmp(k, "bisik_admin_pub") != 0 &&
		    strcmp(k, "sign_key") != 0 && strcmp(k, "box_key") != 0) {
			snprintf(err, errlen, "the public key file holds an "
			    "unknown field.");
			goto out;
		}
	v = json_object_get(root, "bisik_admin_pub");
	if (!json_is_integer(v) || json_integer_value(v) != 1) {
		snprintf(err, errlen, "the file is not a version 1 admin public "
		    "key file (made by `bisik keygen`, FILE.pub).");
		goto out;
	}
	if (b64_key(json_object_get(root, "sign_key"), sign_pk) == -1 ||
	    b64_key(json_object_get(root, "box_key"), box_pk) == -1) {
		snprintf(err, errlen, "the public key file holds an invalid "
		    "key.");
		goto out;
	}
	j.username = username;
	j.sign_b64 = json_string_value(json_object_get(root, "sign_key"));
	j.box_b64 = json_string_value(json_object_get(root, "box_key"));
	j.sign_pk = sign_pk;
	j.box_pk = box_pk;
	j.now = time(NULL);
	r = store_write(s, setkey_job, &j);
	if (r == STORE_CONFLICT && j.why != NULL) {
		snprintf(err, errlen, "%s", j.why);
		goto out;
	}
	if (r != STORE_OK) {
		snprintf(err, errlen, "the key could not be stored: %s.",
		    store_strerror(r));
		goto out;
	}
	rc = 0;
out:
	json_decref(root);
	return rc;
}
