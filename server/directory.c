/*
 * directory.c: the agency directory and the categories.
 *
 * Agencies route cases, so their ids are stable keys ([a-z0-9-]{2,64})
 * that never change once cases point at them; names, parents and levels
 * may change. Import is idempotent: running it twice adds nothing and says
 * so, and every refused line is named with the reason.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/domain.h"

#define NAME_MAX_CHARS	300
#define CSV_FIELDS_MAX	8
#define CSV_FIELD_MAX	1024

struct agency_job {
	const char	*id, *name, *parent, *level;
	int		 outcome;	/* 0 unchanged, 1 added, 2 changed */
	const char	*why;
};

static int
agency_job(struct store_txn *txn, void *arg)
{
	struct agency_job	*j = arg;
	json_t			*old = NULL, *rec;
	int			 rc;

	if (j->parent != NULL && j->parent[0] != '\0') {
		if (strcmp(j->parent, j->id) == 0) {
			j->why = "an agency cannot be its own parent";
			return STORE_CONFLICT;
		}
		if (!srv_directory_agency_exists(txn, j->parent)) {
			j->why = "the parent agency does not exist";
			return STORE_CONFLICT;
		}
	}
	rec = json_pack("{s:s, s:s, s:s?, s:s?}", "id", j->id, "name", j->name,
	    "parent", (j->parent && j->parent[0]) ? j->parent : NULL,
	    "level", (j->level && j->level[0]) ? j->level : NULL);
	if (rec == NULL)
		return STORE_IO;
	rc = srv_record_get(txn, STORE_T_AGENCIES, j->id, strlen(j->id), &old);
	if (rc == STORE_OK) {
		j->outcome = json_equal(old, rec) ? 0 : 2;
		json_decref(old);
		if (j->outcome == 0) {
			json_decref(rec);
			return STORE_OK;
		}
	} else if (rc == STORE_NOTFOUND)
		j->outcome = 1;
	else {
		json_decref(rec);
		return rc;
	}
	rc = srv_record_put(txn, STORE_T_AGENCIES, j->id, strlen(j->id), rec, 0);
	json_decref(rec);
	if (rc != STORE_OK)
		return rc;
	/* One entry per agency added or changed (an import of unchanged
	 * lines adds none); agencies are public bodies, their ids no
	 * personal data. */
	if ((rec = json_pack("{s:s, s:s?}", "agency", j->id, "parent",
	    (j->parent && j->parent[0]) ? j->parent : NULL)) == NULL)
		return STORE_IO;
	rc = srv_audit_append(txn, srv_audit_keys(), time(NULL), "operator",
	    j->outcome == 1 ? "agency.add" : "agency.change", NULL, NULL, rec);
	json_decref(rec);
	return rc;
}

static const char *
agency_check(const char *id, const char *name, const char *parent,
    const char *level)
{
	long n;

	if (id == NULL || !core_id_ok(id))
		return "the id must be 2 to 64 of a-z, 0-9 and -";
	if (name == NULL || !core_text_ok(name, strlen(name)) ||
	    (n = core_utf8_len(name, strlen(name))) < 2 || n > NAME_MAX_CHARS)
		return "the name must be 2 to 300 characters of text";
	if (parent != NULL && parent[0] != '\0' && !core_id_ok(parent))
		return "the parent must be an agency id";
	if (level != NULL && level[0] != '\0' && !core_id_ok(level))
		return "the level must be 2 to 64 of a-z, 0-9 and -";
	return NULL;
}

int
srv_directory_agency_put(struct store *s, const char *id, const char *name,
    const char *parent, const char *level, char *err, size_t errlen)
{
	struct agency_job	 j;
	const char		*why;
	int			 rc;

	if ((why = agency_check(id, name, parent, level)) != NULL) {
		snprintf(err, errlen, "%s.", why);
		return -1;
	}
	memset(&j, 0, sizeof(j));
	j.id = id;
	j.name = name;
	j.parent = parent;
	j.level = level;
	rc = store_write(s, agency_job, &j);
	if (rc != STORE_OK) {
		snprintf(err, errlen, "%s.", j.why ? j.why : store_strerror(rc));
		return -1;
	}
	printf("agency %s %s\n", id, j.outcome == 1 ? "added" :
	    j.outcome == 2 ? "changed" : "unchanged");
	return 0;
}

/*
 * Splits one CSV line (RFC 4180 quoting, no embedded newlines) into at
 * most CSV_FIELDS_MAX fields written into buf. Returns the field count or
 * -1 for a malformed line.
 */
static int
csv_split(const char *line, size_t len, char fields[][CSV_FIELD_MAX])
{
	size_t	i = 0, o;
	int	nf = 0;

	for (;;) {
		if (nf == CSV_FIELDS_MAX)
			return -1;
		o = 0;
		if (i < len && line[i] == '"') {
			i++;
			for (;;) {
				if (i >= len)
					return -1;
				if (line[i] == '"') {
					if (i + 1 < len && line[i + 1] == '"') {
						i += 2;
						if (o + 1 >= CSV_FIELD_MAX)
							return -1;
						fields[nf][o++] = '"';
						continue;
					}
					i++;
					break;
				}
				if (o + 1 >= CSV_FIELD_MAX)
					return -1;
				fields[nf][o++] = line[i++];
			}
			if (i < len && line[i] != ',')
				return -1;
		} else {
			while (i < len && line[i] != ',') {
				if (line[i] == '"' || o + 1 >= CSV_FIELD_MAX)
					return -1;
				fields[nf][o++] = line[i++];
			}
		}
		fields[nf][o] = '\0';
		nf++;
		if (i >= len)
			return nf;
		i++;	/* the comma */
	}
}

int
srv_directory_agency_import(struct store *s, const char *buf, size_t len,
    char *err, size_t errlen)
{
	static char	 f[CSV_FIELDS_MAX][CSV_FIELD_MAX];
	size_t		 pos = 0, lineno = 0, added = 0, changed = 0,
			 unchanged = 0, refused = 0;
	int		 nf;

	if (!core_text_ok(buf, len)) {
		snprintf(err, errlen, "the file is not UTF-8 text.");
		return -1;
	}
	while (pos < len) {
		const char		*line = buf + pos, *nl, *why;
		size_t			 ll;
		struct agency_job	 j;

		nl = memchr(line, '\n', len - pos);
		ll = nl ? (size_t)(nl - line) : len - pos;
		pos += ll + (nl ? 1 : 0);
		lineno++;
		if (ll > 0 && line[ll - 1] == '\r')
			ll--;
		if (ll == 0 || line[0] == '#')
			continue;
		if (lineno == 1 && strncmp(line, "id,", 3) == 0)
			continue;	/* header */
		nf = csv_split(line, ll, f);
		if (nf < 2 || nf > 4) {
			fprintf(stderr, "line %zu refused: expected "
			    "id,name,parent,level\n", lineno);
			refused++;
			continue;
		}
		memset(&j, 0, sizeof(j));
		j.id = f[0];
		j.name = f[1];
		j.parent = nf > 2 ? f[2] : NULL;
		j.level = nf > 3 ? f[3] : NULL;
		if ((why = agency_check(j.id, j.name, j.parent, j.level)) ==
		    NULL && store_write(s, agency_job, &j) != STORE_OK)
			why = j.why ? j.why : "it could not be stored";
		if (why != NULL) {
			fprintf(stderr, "line %zu refused: %s\n", lineno, why);
			refused++;
			continue;
		}
		if (j.outcome == 1)
			added++;
		else if (j.outcome == 2)
			changed++;
		else
			unchanged++;
	}
	printf("agencies: %zu added, %zu changed, %zu unchanged, %zu refused\n",
	    added, changed, unchanged, refused);
	if (refused > 0) {
		snprintf(err, errlen, "%zu line%s of the file %s refused.",
		    refused, refused == 1 ? "" : "s",
		    refused == 1 ? "was" : "were");
		return -1;
	}
	return 0;
}

int
srv_directory_agency_exists(struct store_txn *txn, const char *id)
{
	const void	*v;
	size_t		 vlen;

	return store_get(txn, STORE_T_AGENCIES, id, strlen(id), &v, &vlen) ==
	    STORE_OK;
}

int
srv_directory_category_exists(struct store_txn *txn, const char *id)
{
	const void	*v;
	size_t		 vlen;

	return store_get(txn, STORE_T_CATEGORIES, id, strlen(id), &v, &vlen) ==
	    STORE_OK;
}

/* The starter categories, close to SP4N-LAPOR!'s topic list. */
static const struct {
	const char *id, *name;
} categories[] = {
	{ "administrasi-kependudukan", "Administrasi Kependudukan" },
	{ "agama", "Agama" },
	{ "bantuan-sosial", "Bantuan Sosial" },
	{ "ekonomi-keuangan", "Ekonomi dan Keuangan" },
	{ "infrastruktur", "Pembangunan Infrastruktur" },
	{ "kesehatan", "Kesehatan" },
	{ "ketenagakerjaan", "Ketenagakerjaan" },
	{ "korupsi", "Dugaan Korupsi dan Pungutan Liar" },
	{ "lingkungan-hidup", "Lingkungan Hidup dan Kehutanan" },
	{ "pelayanan-publik", "Pelayanan Publik" },
	{ "pendidikan", "Pendidikan dan Kebudayaan" },
	{ "pertanahan", "Pertanahan" },
	{ "perhubungan", "Perhubungan" },
	{ "energi", "Energi dan Sumber Daya Alam" },
	{ "hukum", "Hukum dan Keamanan" },
	{ "lainnya", "Lainnya" },
};

static int
category_job(struct store_txn *txn, void *arg)
{
	size_t	 i, added = 0;
	json_t	*d;
	int	 rc;

	(void)arg;
	for (i = 0; i < sizeof(categories) / sizeof(categories[0]); i++) {
		json_t *rec = json_pack("{s:s, s:s}", "id", categories[i].id,
		    "name", categories[i].name);

		if (rec == NULL)
			return STORE_IO;
		rc = srv_record_put(txn, STORE_T_CATEGORIES, categories[i].id,
		    strlen(categories[i].id), rec, STORE_NOOVERWRITE);
		json_decref(rec);
		if (rc == STORE_OK)
			added++;
		else if (rc != STORE_EXISTS)
			return rc;
	}
	if (added == 0)
		return STORE_OK;
	if ((d = json_pack("{s:I}", "added", (json_int_t)added)) == NULL)
		return STORE_IO;
	rc = srv_audit_append(txn, srv_audit_keys(), time(NULL), "operator",
	    "category.seed", NULL, NULL, d);
	json_decref(d);
	return rc;
}

int
srv_directory_category_seed(struct store *s)
{
	return store_write(s, category_job, NULL) == STORE_OK ? 0 : -1;
}

/* ---- staff scope --------------------------------------------------------- */

int
srv_directory_scope(struct store_txn *txn, const struct srv_staff *staff,
    const char *case_agency)
{
	char		 cur[CORE_ID_MAX + 1];
	const char	*parent;
	json_t		*rec;
	int		 depth, found = 0;

	switch (staff->role) {
	case CORE_ROLE_CENTRAL_ADMIN:
		return 1;
	case CORE_ROLE_AGENCY_ADMIN:
	case CORE_ROLE_LIAISON:
		break;
	default:
		return 0;	/* auditors see no case; nobody else is staff */
	}
	if (case_agency == NULL || staff->agency[0] == '\0' ||
	    strlen(case_agency) > CORE_ID_MAX)
		return 0;
	snprintf(cur, sizeof(cur), "%s", case_agency);
	/* Up from the case's agency towards the root: the staff member's
	 * agency on that path means the case is in their subtree. */
	for (depth = 0; depth < SRV_SCOPE_DEPTH; depth++) {
		if (strcmp(cur, staff->agency) == 0)
			return 1;
		if (srv_record_get(txn, STORE_T_AGENCIES, cur, strlen(cur),
		    &rec) != STORE_OK)
			return 0;
		parent = json_string_value(json_object_get(rec, "parent"));
		if (parent != NULL && strlen(parent) <= CORE_ID_MAX) {
			snprintf(cur, sizeof(cur), "%s", parent);
			found = 1;
		} else
			found = 0;
		json_decref(rec);
		if (!found)
			return 0;
	}
	return 0;
}
