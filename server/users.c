/*
 * users.c: staff accounts and the offline `bisikd user` commands.
 *
 * A user is STORE_T_USERS[id (8 BE)] = record JSON:
 *   {id, username, role, agency|null, pw (Argon2id string), disabled,
 *    failures, locked_until, totp (sealed secret, base64)|null, totp_last,
 *    totp_pending|null, totp_pending_until, recovery [hex keyed hashes],
 *    created_at}
 * and STORE_T_USERNAMES[username] = 0x01 ‖ id. Ids are never reused, so a
 * session or an audit entry naming a user id never names someone else.
 *
 * Accounts are made offline (by whoever may run bisikd on the data
 * directory): there is no HTTP endpoint that creates users, so a stolen
 * session cannot mint new staff (GET /api/v1/liaisons, api_users.c, only
 * reads them). Passwords are read from a file, never from the command
 * line (which other local users can see in ps), into guarded memory that
 * is wiped when freed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "server/domain.h"

/* Password file bytes read at most: the longest password, "\r\n", and
 * one byte to see that a line is longer. */
#define PWFILE_CAP	(SRV_PASSWORD_MAX + 3)

int
srv_users_name_ok(const char *s)
{
	size_t	i, n;

	if (s == NULL)
		return 0;
	n = strlen(s);
	if (n < SRV_USERNAME_MIN || n > SRV_USERNAME_MAX)
		return 0;
	for (i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		    (s[i] >= '0' && s[i] <= '9') || s[i] == '.' ||
		    s[i] == '_' || s[i] == '-'))
			return 0;
	return 1;
}

/* The rules a new password must meet; the same text rules as the login
 * body (core_text_ok) so that every password that can be set can also be
 * typed into the login. */
static const char *
password_problem(const char *pw, size_t len)
{
	long n;

	if (len > SRV_PASSWORD_MAX)
		return "the password must be at most 1024 bytes long.";
	if (memchr(pw, '\0', len) != NULL || !core_text_ok(pw, len))
		return "the password holds characters that are not allowed "
		    "(NUL or control characters, or invalid UTF-8).";
	if ((n = core_utf8_len(pw, len)) < SRV_PASSWORD_MIN)
		return "the password must be at least 12 characters long.";
	return NULL;
}

int
srv_users_password_read(const char *path, char **pw, size_t *len, char *err,
    size_t errlen)
{
	char		*buf, *nl;
	const char	*why;
	size_t		 n = 0, line;
	ssize_t		 r;
	int		 fd;

	/* read(2) into guarded memory: stdio would leave a copy in its
	 * own heap buffer. */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		snprintf(err, errlen, "cannot read the password file.");
		return -1;
	}
	if ((buf = crypto_secret_alloc(PWFILE_CAP + 1)) == NULL) {
		close(fd);
		snprintf(err, errlen, "out of memory.");
		return -1;
	}
	while (n < PWFILE_CAP) {
		r = read(fd, buf + n, PWFILE_CAP - n);
		if (r == -1 && errno == EINTR)
			continue;
		if (r == -1) {
			close(fd);
			crypto_secret_free(buf);
			snprintf(err, errlen, "cannot read the password file.");
			return -1;
		}
		if (r == 0)
			break;
		n += (size_t)r;
		if (memchr(buf, '\n', n) != NULL)
			break;
	}
	close(fd);
	/* Without a line end within PWFILE_CAP bytes the line is too long,
	 * which password_problem says. */
	nl = memchr(buf, '\n', n);
	line = nl != NULL ? (size_t)(nl - buf) : n;
	if (line > 0 && buf[line - 1] == '\r')
		line--;
	crypto_wipe(buf + line, PWFILE_CAP + 1 - line);
	if (line == 0)
		why = "the password file is empty.";
	else
		why = password_problem(buf, line);
	if (why != NULL) {
		crypto_secret_free(buf);
		snprintf(err, errlen, "%s", why);
		return -1;
	}
	*pw = buf;
	*len = line;
	return 0;
}

/* ---- records ------------------------------------------------------------ */

int
srv_users_id(struct store_txn *txn, const char *username, uint64_t *id)
{
	const void	*v;
	size_t		 vlen;
	int		 rc;

	if (!srv_users_name_ok(username))
		return STORE_NOTFOUND;
	if ((rc = store_get(txn, STORE_T_USERNAMES, username,
	    strlen(username), &v, &vlen)) != STORE_OK)
		return rc;
	if (vlen != 9 || ((const uint8_t *)v)[0] != SRV_RECORD_V1)
		return STORE_CORRUPT;
	*id = store_be64_get((const uint8_t *)v + 1);
	return STORE_OK;
}

int
srv_users_get(struct store_txn *txn, uint64_t id, json_t **rec)
{
	uint8_t	key[8];

	store_be64_put(key, id);
	return srv_record_get(txn, STORE_T_USERS, key, sizeof(key), rec);
}

int
srv_users_put(struct store_txn *txn, uint64_t id, json_t *rec)
{
	uint8_t	key[8];

	store_be64_put(key, id);
	return srv_record_put(txn, STORE_T_USERS, key, sizeof(key), rec, 0);
}

/* ---- commands ----------------------------------------------------------- */

struct add_job {
	const char	*username, *role, *agency, *hash;
	time_t		 now;
	uint64_t	 id;
	const char	*why;
};

/* The audit entry of an offline user command: by "operator" (whoever
 * runs bisikd on the data directory), naming the account by id only. */
static int
user_audit(struct store_txn *txn, const char *action, uint64_t id,
    json_t *more)
{
	json_t	*d;
	int	 rc;

	if ((d = json_pack("{s:I}", "user", (json_int_t)id)) == NULL ||
	    (more != NULL && json_object_update(d, more) == -1)) {
		json_decref(d);
		return STORE_IO;
	}
	rc = srv_audit_append(txn, srv_audit_keys(), time(NULL), "operator",
	    action, NULL, NULL, d);
	json_decref(d);
	return rc;
}

static int
add_job(struct store_txn *txn, void *arg)
{
	struct add_job	*j = arg;
	uint8_t		 key[8], val[9];
	uint64_t	 id;
	json_t		*rec;
	int		 rc;

	j->why = NULL;
	if (j->agency != NULL && !srv_directory_agency_exists(txn, j->agency)) {
		j->why = "the agency does not exist; add it first with "
		    "`bisikd agency add`.";
		return STORE_CONFLICT;
	}
	if (srv_users_id(txn, j->username, &id) == STORE_OK) {
		j->why = "a user with this username exists already.";
		return STORE_CONFLICT;
	}
	if ((rc = store_counter_next(txn, "user_id", &id)) != STORE_OK)
		return rc;
	rec = json_pack("{s:I, s:s, s:s, s:s?, s:s, s:b, s:i, s:i, s:n, s:i,"
	    " s:n, s:i, s:[], s:I}",
	    "id", (json_int_t)id, "username", j->username, "role", j->role,
	    "agency", j->agency, "pw", j->hash, "disabled", 0, "failures", 0,
	    "locked_until", 0, "totp", "totp_last", 0, "totp_pending",
	    "totp_pending_until", 0, "recovery", "created_at",
	    (json_int_t)j->now);
	if (rec == NULL)
		return STORE_IO;
	store_be64_put(key, id);
	rc = srv_record_put(txn, STORE_T_USERS, key, sizeof(key), rec,
	    STORE_NOOVERWRITE);
	json_decref(rec);
	if (rc != STORE_OK)
		return rc;
	val[0] = SRV_RECORD_V1;
	store_be64_put(val + 1, id);
	if ((rc = store_put(txn, STORE_T_USERNAMES, j->username,
	    strlen(j->username), val, sizeof(val), STORE_NOOVERWRITE)) != STORE_OK)
		return rc;
	if ((rec = json_pack("{s:s, s:s?}", "role", j->role, "agency",
	    j->agency)) == NULL)
		return STORE_IO;
	rc = user_audit(txn, "user.add", id, rec);
	json_decref(rec);
	if (rc != STORE_OK)
		return rc;
	j->id = id;
	return STORE_OK;
}

static int
job_error(int rc, const char *why, char *err, size_t errlen)
{
	if (why != NULL)
		snprintf(err, errlen, "%s", why);
	else
		snprintf(err, errlen, "the store failed: %s.",
		    store_strerror(rc));
	return -1;
}

int
srv_users_add(struct store *s, const char *username, const char *role,
    const char *agency, const char *pw, size_t len, time_t now,
    uint64_t *id, char *err, size_t errlen)
{
	struct add_job	 j;
	char		 hash[CRYPTO_PASSWORD_HASH_TEXT];
	const char	*why;
	int		 r, rc;

	if (!srv_users_name_ok(username)) {
		snprintf(err, errlen, "the username must be 3 to 64 of a-z, "
		    "0-9, '.', '_' and '-'.");
		return -1;
	}
	r = role != NULL ? core_role_parse(role) : -1;
	if (r != CORE_ROLE_CENTRAL_ADMIN && r != CORE_ROLE_AGENCY_ADMIN &&
	    r != CORE_ROLE_LIAISON && r != CORE_ROLE_AUDITOR) {
		snprintf(err, errlen, "the role must be central_admin, "
		    "agency_admin, liaison or auditor.");
		return -1;
	}
	if (r == CORE_ROLE_AGENCY_ADMIN || r == CORE_ROLE_LIAISON) {
		if (agency == NULL) {
			snprintf(err, errlen, "--agency is required for the "
			    "agency_admin and liaison roles.");
			return -1;
		}
		if (!core_id_ok(agency)) {
			snprintf(err, errlen, "the agency must be an agency id "
			    "(2 to 64 of a-z, 0-9 and -).");
			return -1;
		}
	} else if (agency != NULL) {
		snprintf(err, errlen, "--agency is only for the agency_admin "
		    "and liaison roles.");
		return -1;
	}
	if ((why = password_problem(pw, len)) != NULL) {
		snprintf(err, errlen, "%s", why);
		return -1;
	}
	if (crypto_password_hash(pw, len, hash) == -1) {
		snprintf(err, errlen, "cannot hash the password (out of "
		    "memory?).");
		return -1;
	}
	memset(&j, 0, sizeof(j));
	j.username = username;
	j.role = core_role_name((enum core_role)r);
	j.agency = agency;
	j.hash = hash;
	j.now = now;
	rc = store_write(s, add_job, &j);
	crypto_wipe(hash, sizeof(hash));
	if (rc != STORE_OK)
		return job_error(rc, j.why, err, errlen);
	if (id != NULL)
		*id = j.id;
	return 0;
}

/* A change to one user found by username, with all their sessions ended. */
struct change_job {
	const char	*username;
	const char	*hash;		/* new password hash or NULL */
	int		 what;
	const char	*why;
};
#define CHANGE_DISABLE	1
#define CHANGE_PASSWORD	2
#define CHANGE_TOTP	3

static int
change_job(struct store_txn *txn, void *arg)
{
	struct change_job	*j = arg;
	uint64_t		 id;
	json_t			*rec;
	int			 rc;

	j->why = NULL;
	if ((rc = srv_users_id(txn, j->username, &id)) == STORE_NOTFOUND) {
		j->why = "no user has this username.";
		return rc;
	}
	if (rc != STORE_OK || (rc = srv_users_get(txn, id, &rec)) != STORE_OK)
		return rc;
	rc = STORE_OK;
	switch (j->what) {
	case CHANGE_DISABLE:
		if (json_object_set_new(rec, "disabled", json_true()) == -1)
			rc = STORE_IO;
		break;
	case CHANGE_PASSWORD:
		if (json_object_set_new(rec, "pw", json_string(j->hash)) == -1 ||
		    json_object_set_new(rec, "failures", json_integer(0)) == -1 ||
		    json_object_set_new(rec, "locked_until", json_integer(0)) ==
		    -1)
			rc = STORE_IO;
		break;
	case CHANGE_TOTP:
		if (json_object_set_new(rec, "totp", json_null()) == -1 ||
		    json_object_set_new(rec, "totp_last", json_integer(0)) == -1 ||
		    json_object_set_new(rec, "totp_pending", json_null()) == -1 ||
		    json_object_set_new(rec, "totp_pending_until",
		    json_integer(0)) == -1 ||
		    json_object_set_new(rec, "recovery", json_array()) == -1)
			rc = STORE_IO;
		break;
	default:
		json_decref(rec);
		return STORE_INVALID;
	}
	if (rc == STORE_OK)
		rc = srv_users_put(txn, id, rec);
	json_decref(rec);
	if (rc == STORE_OK)
		rc = srv_sessions_end_user(txn, id);
	if (rc == STORE_OK)
		rc = user_audit(txn, j->what == CHANGE_DISABLE ? "user.disable" :
		    j->what == CHANGE_PASSWORD ? "user.reset_password" :
		    "user.reset_totp", id, NULL);
	return rc;
}

static int
change(struct store *s, const char *username, int what, const char *hash,
    char *err, size_t errlen)
{
	struct change_job	j;
	int			rc;

	memset(&j, 0, sizeof(j));
	j.username = username;
	j.what = what;
	j.hash = hash;
	if ((rc = store_write(s, change_job, &j)) != STORE_OK)
		return job_error(rc, j.why, err, errlen);
	return 0;
}

int
srv_users_disable(struct store *s, const char *username, char *err,
    size_t errlen)
{
	return change(s, username, CHANGE_DISABLE, NULL, err, errlen);
}

int
srv_users_reset_totp(struct store *s, const char *username, char *err,
    size_t errlen)
{
	return change(s, username, CHANGE_TOTP, NULL, err, errlen);
}

int
srv_users_reset_password(struct store *s, const char *username,
    const char *pw, size_t len, char *err, size_t errlen)
{
	char		 hash[CRYPTO_PASSWORD_HASH_TEXT];
	const char	*why;
	int		 rc;

	if ((why = password_problem(pw, len)) != NULL) {
		snprintf(err, errlen, "%s", why);
		return -1;
	}
	if (crypto_password_hash(pw, len, hash) == -1) {
		snprintf(err, errlen, "cannot hash the password (out of "
		    "memory?).");
		return -1;
	}
	rc = change(s, username, CHANGE_PASSWORD, hash, err, errlen);
	crypto_wipe(hash, sizeof(hash));
	return rc;
}

struct list_arg {
	FILE	*out;
};

static int
list_one(const void *key, size_t klen, const void *val, size_t vlen,
    void *arg)
{
	struct list_arg	*a = arg;
	json_t		*rec;
	const char	*agency;

	(void)key;
	if (klen != 8 || srv_record_decode(val, vlen, &rec) != STORE_OK)
		return STORE_CORRUPT;
	agency = json_string_value(json_object_get(rec, "agency"));
	fprintf(a->out, "%s\t%s\t%s\t%s\t%s\n",
	    json_string_value(json_object_get(rec, "username")) ?
	    json_string_value(json_object_get(rec, "username")) : "?",
	    json_string_value(json_object_get(rec, "role")) ?
	    json_string_value(json_object_get(rec, "role")) : "?",
	    agency != NULL ? agency : "-",
	    json_is_true(json_object_get(rec, "disabled")) ? "yes" : "no",
	    json_is_string(json_object_get(rec, "totp")) ? "on" : "off");
	json_decref(rec);
	return 0;
}

static int
list_read(struct store_txn *txn, void *arg)
{
	return store_each(txn, STORE_T_USERS, NULL, 0, NULL, 0, list_one, arg);
}

int
srv_users_list(struct store *s, FILE *out, char *err, size_t errlen)
{
	struct list_arg	a = { out };
	int		rc;

	fprintf(out, "username\trole\tagency\tdisabled\ttotp\n");
	if ((rc = store_read(s, list_read, &a)) != STORE_OK)
		return job_error(rc, NULL, err, errlen);
	return 0;
}
