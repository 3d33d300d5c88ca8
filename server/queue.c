/*
 * queue.c: the staff work queues.
 *
 *   GET /api/v1/cases?status=&agency=&overdue=&assignee=&q=&category=
 *       &kind=&channel=&from=&to=&limit=&cursor=|before=
 *   GET /api/v1/cases/counts
 *
 * A queue is the caller's cases by next due time. Both indexes keep one
 * entry per case sorted by (due, case) inside each status (and, for
 * idx_agency_status_due, each agency), so a queue is a k-way merge of
 * short cursor walks: one stream per status for central admins, one per
 * (agency in scope, status) for agency staff, each read a few keys at a
 * time. A page never reads more than it returns plus what the filters
 * drop, and the filters that need the case record (assignee=, q=,
 * category=, kind=, channel=, from=, to=) stop after SRV_QUEUE_SCAN_MAX
 * index entries, handing back a cursor to go on from: a search over a
 * million cases is many cheap pages rather than one request holding a
 * read transaction for seconds.
 *
 * The cursor is the (due, case) position of the last entry looked at,
 * base64url; it does not depend on the filters, and a case that moved in
 * between is seen where it now is. before= walks the same merge
 * backwards from a position (each stream read in reverse, the latest head
 * first), for the page before: its cases come back in queue order, and
 * prev_cursor (the first case's position, when the walk stopped before the
 * start of the queue) goes back further still.
 *
 * Counts add up the per-(agency, status) counters srv_qindex_move() keeps
 * (total and unread) and count overdue entries by walking the overdue
 * head of each deadline-bearing stream, at most SRV_COUNTS_SCAN_MAX.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <microhttpd.h>

#include "server/api.h"

/* Index entries fetched per stream at a time: small, since most streams
 * of an agency's queue are short and only their heads are compared. */
#define CHUNK		8

struct qparams {
	int		 status;	/* -1: any */
	char		 agency[CORE_ID_MAX + 1];	/* "": any */
	int		 overdue;	/* -1 any, 0, 1 */
	char		 assignee[SRV_USERNAME_MAX + 1];
	char		 q[SRV_QUEUE_Q_MAX * 4 + 1];	/* lower-cased */
	char		 category[CORE_ID_MAX + 1];	/* "": any */
	int		 kind, channel;			/* -1: any */
	int		 has_from, has_to;
	int64_t		 from, to;	/* created in [from, to) (Unix time) */
	size_t		 limit;
	int		 has_cursor;
	int		 backward;	/* before= instead of cursor= */
	uint64_t	 cdue, cseq;
};

struct qstream {
	enum store_table t;
	uint8_t		 prefix[CORE_ID_MAX + 2];
	size_t		 plen;
	int		 status;
	int		 backward;		/* read in reverse */
	uint64_t	 from_due, from_seq;	/* next key to read */
	int		 has_stop;
	uint64_t	 stop_due;		/* first due not wanted */
	uint64_t	 lo_due;		/* backward: none below */
	uint64_t	 due[CHUNK], seq[CHUNK];
	size_t		 n, i;
	int		 done;
};

/* ---- query parameters ---------------------------------------------------- */

struct qscan {
	struct qparams		*p;
	struct core_errors	*errs;
	unsigned		 seen;		/* bit per known key */
	int			 malformed;
};

static const char *const qkeys[] = {
	"status", "agency", "overdue", "assignee", "q", "limit", "cursor",
	"category", "kind", "channel", "from", "to", "before",
};
enum { QK_STATUS, QK_AGENCY, QK_OVERDUE, QK_ASSIGNEE, QK_Q, QK_LIMIT,
    QK_CURSOR, QK_CATEGORY, QK_KIND, QK_CHANNEL, QK_FROM, QK_TO, QK_BEFORE };
#define NQKEYS	(sizeof(qkeys) / sizeof(qkeys[0]))

static enum MHD_Result
qarg(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	struct qscan	*s = cls;
	struct qparams	*p = s->p;
	size_t		 k, n;
	long		 cp;
	char		*end;
	unsigned long	 l;

	(void)kind;
	for (k = 0; k < NQKEYS; k++)
		if (strcmp(key, qkeys[k]) == 0)
			break;
	if (k == NQKEYS || (s->seen & (1u << k))) {
		s->errs->message = k == NQKEYS ? "The query has a parameter "
		    "that is not known." : "A query parameter is repeated.";
		s->malformed = 1;
		return MHD_NO;
	}
	s->seen |= 1u << k;
	if (value == NULL)
		value = "";
	n = strlen(value);
	switch (k) {
	case QK_STATUS:
		if ((p->status = core_status_parse(value)) < 0)
			core_errors_add(s->errs, "status", "invalid");
		break;
	case QK_AGENCY:
	case QK_CATEGORY:
		if (!core_id_ok(value))
			core_errors_add(s->errs, qkeys[k], "invalid");
		else
			memcpy(k == QK_AGENCY ? p->agency : p->category, value,
			    n + 1);
		break;
	case QK_KIND:
		if ((p->kind = core_kind_parse(value)) < 0)
			core_errors_add(s->errs, "kind", "invalid");
		break;
	case QK_CHANNEL:
		if ((p->channel = core_channel_parse(value)) < 0)
			core_errors_add(s->errs, "channel", "invalid");
		break;
	case QK_FROM:
	case QK_TO: {
		int32_t day;

		/* A WIB date: from its first second, to after its last. */
		if (core_date_parse(value, &day) == -1) {
			core_errors_add(s->errs, qkeys[k], "invalid");
			break;
		}
		if (k == QK_FROM) {
			p->has_from = 1;
			p->from = (int64_t)day * 86400 - CORE_TZ_OFFSET;
		} else {
			p->has_to = 1;
			p->to = ((int64_t)day + 1) * 86400 - CORE_TZ_OFFSET;
		}
		break;
	}
	case QK_OVERDUE:
		if (strcmp(value, "true") == 0 || strcmp(value, "1") == 0)
			p->overdue = 1;
		else if (strcmp(value, "false") == 0 || strcmp(value, "0") == 0)
			p->overdue = 0;
		else
			core_errors_add(s->errs, "overdue", "invalid");
		break;
	case QK_ASSIGNEE:
		if (!srv_users_name_ok(value))
			core_errors_add(s->errs, "assignee", "invalid");
		else
			memcpy(p->assignee, value, n + 1);
		break;
	case QK_Q:
		cp = core_utf8_len(value, n);
		if (!core_text_ok(value, n) || cp < 1 ||
		    cp > SRV_QUEUE_Q_MAX || core_text_blank(value, n))
			core_errors_add(s->errs, "q", "invalid");
		else
			for (k = 0; k <= n; k++)
				p->q[k] = (char)tolower((unsigned char)value[k]);
		break;
	case QK_LIMIT:
		errno = 0;
		l = strtoul(value, &end, 10);
		if (n == 0 || *end != '\0' || !isdigit((unsigned char)value[0]) ||
		    errno != 0 || l < 1 || l > SRV_QUEUE_LIMIT_MAX)
			core_errors_add(s->errs, "limit", "out of range");
		else
			p->limit = l;
		break;
	default:	/* cursor, before */
		if ((s->seen & (1u << QK_CURSOR)) &&
		    (s->seen & (1u << QK_BEFORE))) {
			s->errs->message = "A query has cursor or before, not "
			    "both.";
			s->malformed = 1;
			return MHD_NO;
		}
		if (srv_cursor_decode(value, &p->cdue, &p->cseq) == -1)
			core_errors_add(s->errs, qkeys[k], "invalid");
		else
			p->has_cursor = 1;
		p->backward = k == QK_BEFORE;
		break;
	}
	return MHD_YES;
}

static int
qparams_parse(const struct srv_request *rq, struct qparams *p,
    struct core_errors *errs)
{
	struct qscan s = { p, errs, 0, 0 };

	memset(p, 0, sizeof(*p));
	p->status = -1;
	p->overdue = -1;
	p->kind = -1;
	p->channel = -1;
	p->limit = SRV_QUEUE_LIMIT_DEFAULT;
	if (rq->args != NULL) {
		/* A staff page passes the arguments it took from its own
		 * query, checked here like the API's. */
		const char *const *a;

		for (a = rq->args; a[0] != NULL && !s.malformed; a += 2)
			(void)qarg(&s, MHD_GET_ARGUMENT_KIND, a[0], a[1]);
	} else if (rq->conn != NULL)
		MHD_get_connection_values(rq->conn, MHD_GET_ARGUMENT_KIND, qarg,
		    &s);
	if (s.malformed)
		return CORE_MALFORMED;
	if (errs->nfields == 0 && p->has_from && p->has_to && p->to <= p->from)
		core_errors_add(errs, "to", "before from");
	if (errs->nfields > 0) {
		errs->message = "Some query parameters are not valid.";
		return CORE_INVALID;
	}
	return CORE_OK;
}

/* ---- scope ---------------------------------------------------------------------- */

struct scope_list {
	struct store_txn	*txn;
	const struct srv_staff	*st;
	char			(*ids)[CORE_ID_MAX + 1];
	unsigned char		*ancestor;	/* 1: only cases assigned */
	size_t			 n;
	int			 full;
};

static int
scope_each(const void *key, size_t klen, const void *val, size_t vlen,
    void *arg)
{
	struct scope_list	*l = arg;
	char			 id[CORE_ID_MAX + 1];

	(void)val;
	(void)vlen;
	if (klen == 0 || klen > CORE_ID_MAX)
		return 0;
	memcpy(id, key, klen);
	id[klen] = '\0';
	if (!srv_directory_scope(l->txn, l->st, id))
		return 0;
	if (l->n == SRV_SCOPE_AGENCIES_MAX) {
		l->full = 1;
		return STORE_STOP;
	}
	memcpy(l->ids[l->n++], id, klen + 1);
	return 0;
}

static void
scope_free(struct scope_list *l)
{
	free(l->ids);
	free(l->ancestor);
	l->ids = NULL;
	l->ancestor = NULL;
}

/* A liaison's cases may belong to a parent of their agency (a case is
 * assigned to a liaison of its agency or of a sub-agency): those parents
 * are listed too, marked, and only their cases assigned to the liaison
 * pass srv_workflow_in_scope(). */
static int
scope_ancestors(struct store_txn *txn, struct scope_list *l)
{
	char		 cur[CORE_ID_MAX + 1];
	const char	*parent;
	json_t		*rec;
	int		 depth, rc;

	snprintf(cur, sizeof(cur), "%s", l->st->agency);
	for (depth = 0; depth < SRV_SCOPE_DEPTH; depth++) {
		rc = srv_record_get(txn, STORE_T_AGENCIES, cur, strlen(cur),
		    &rec);
		if (rc == STORE_NOTFOUND)
			return STORE_OK;
		if (rc != STORE_OK)
			return rc;
		parent = json_string_value(json_object_get(rec, "parent"));
		if (parent == NULL || *parent == '\0' ||
		    strlen(parent) > CORE_ID_MAX) {
			json_decref(rec);
			return STORE_OK;
		}
		snprintf(cur, sizeof(cur), "%s", parent);
		json_decref(rec);
		if (l->n == SRV_SCOPE_AGENCIES_MAX)
			return STORE_IO;
		memcpy(l->ids[l->n], cur, strlen(cur) + 1);
		l->ancestor[l->n++] = 1;
	}
	return STORE_OK;
}

/* The agencies whose routed cases the staff member sees. */
static int
scope_agencies(struct store_txn *txn, const struct srv_staff *st,
    struct scope_list *l)
{
	int rc;

	memset(l, 0, sizeof(*l));
	l->txn = txn;
	l->st = st;
	if ((l->ids = calloc(SRV_SCOPE_AGENCIES_MAX, sizeof(*l->ids))) == NULL ||
	    (l->ancestor = calloc(SRV_SCOPE_AGENCIES_MAX, 1)) == NULL) {
		free(l->ids);
		return STORE_IO;
	}
	rc = store_each(txn, STORE_T_AGENCIES, NULL, 0, NULL, 0, scope_each, l);
	if (rc == STORE_OK && l->full) {
		srv_log(LOG_ERR, "scope_too_wide", "max=%d",
		    SRV_SCOPE_AGENCIES_MAX);
		rc = STORE_IO;
	}
	if (rc == STORE_OK && st->role == CORE_ROLE_LIAISON)
		rc = scope_ancestors(txn, l);
	if (rc != STORE_OK) {
		scope_free(l);
	}
	return rc;
}

/* ---- streams ---------------------------------------------------------------------- */

/* 1 if the status carries a staff deadline (can be overdue). */
static int
deadline_status(int st)
{
	return st == CORE_ST_SUBMITTED || st == CORE_ST_DISPOSITIONED ||
	    st == CORE_ST_IN_PROGRESS;
}

static void
stream_init(struct qstream *s, const char *agency, int status,
    const struct qparams *p, time_t now)
{
	size_t n;

	memset(s, 0, sizeof(*s));
	s->status = status;
	s->backward = p->backward;
	if (agency == NULL) {
		s->t = STORE_T_IDX_STATUS_DUE;
		s->prefix[0] = (uint8_t)status;
		s->plen = 1;
	} else {
		s->t = STORE_T_IDX_AGENCY_STATUS_DUE;
		n = strlen(agency);
		memcpy(s->prefix, agency, n);
		s->prefix[n] = '\0';
		s->prefix[n + 1] = (uint8_t)status;
		s->plen = n + 2;
	}
	if (s->backward) {
		/* Strictly before the cursor's (due, case), downwards. */
		s->from_due = p->cdue;
		s->from_seq = p->cseq - 1;
		if (p->cseq == 0) {
			s->from_seq = UINT64_MAX;
			if (p->cdue == 0)
				s->done = 1;
			else
				s->from_due = p->cdue - 1;
		}
		if (deadline_status(status) && p->overdue == 1 &&
		    s->from_due >= (uint64_t)now) {
			s->from_due = now > 0 ? (uint64_t)now - 1 : 0;
			s->from_seq = UINT64_MAX;
			if (now <= 0)
				s->done = 1;
		} else if (deadline_status(status) && p->overdue == 0) {
			s->has_stop = 1;
			s->lo_due = (uint64_t)now;
		}
		return;
	}
	if (p->has_cursor) {
		/* Strictly after the cursor's (due, case). */
		s->from_due = p->cdue;
		s->from_seq = p->cseq + 1;
		if (p->cseq == UINT64_MAX) {
			s->from_seq = 0;
			if (p->cdue == UINT64_MAX)
				s->done = 1;
			else
				s->from_due = p->cdue + 1;
		}
	}
	if (deadline_status(status) && p->overdue == 1) {
		s->has_stop = 1;
		s->stop_due = (uint64_t)now;
	} else if (deadline_status(status) && p->overdue == 0 &&
	    s->from_due < (uint64_t)now) {
		s->from_due = (uint64_t)now;
		s->from_seq = 0;
	}
}

struct fill_arg {
	struct qstream	*s;
};

static int
fill_each(const void *key, size_t klen, const void *val, size_t vlen,
    void *arg)
{
	struct qstream	*s = ((struct fill_arg *)arg)->s;
	const uint8_t	*k = key;
	uint64_t	 due;

	(void)val;
	(void)vlen;
	if (klen != s->plen + 16)
		return STORE_CORRUPT;
	due = store_be64_get(k + s->plen);
	if (s->has_stop && (s->backward ? due < s->lo_due :
	    due >= s->stop_due)) {
		s->done = 1;
		return STORE_STOP;
	}
	s->due[s->n] = due;
	s->seq[s->n] = store_be64_get(k + s->plen + 8);
	return ++s->n == CHUNK ? STORE_STOP : 0;
}

/* Makes sure the stream has a head unless it is exhausted. */
static int
stream_fill(struct store_txn *txn, struct qstream *s)
{
	uint8_t		from[CORE_ID_MAX + 2 + 16];
	struct fill_arg	a = { s };
	uint64_t	ld, ls;
	int		rc;

	if (s->i < s->n || s->done)
		return STORE_OK;
	s->n = s->i = 0;
	memcpy(from, s->prefix, s->plen);
	store_be64_put(from + s->plen, s->from_due);
	store_be64_put(from + s->plen + 8, s->from_seq);
	rc = s->backward ? store_each_rev(txn, s->t, from, s->plen + 16,
	    s->prefix, s->plen, fill_each, &a) : store_each(txn, s->t, from,
	    s->plen + 16, s->prefix, s->plen, fill_each, &a);
	if (rc != STORE_OK)
		return rc;
	if (s->n < CHUNK)
		s->done = 1;
	if (s->n == 0)
		return STORE_OK;
	/* The next read starts beyond the last key read. */
	ld = s->due[s->n - 1];
	ls = s->seq[s->n - 1];
	if (s->backward) {
		s->from_due = ld;
		s->from_seq = ls - 1;
		if (ls == 0) {
			s->from_seq = UINT64_MAX;
			if (ld == 0)
				s->done = 1;
			else
				s->from_due = ld - 1;
		}
	} else {
		s->from_due = ld;
		s->from_seq = ls + 1;
		if (ls == UINT64_MAX) {
			s->from_seq = 0;
			if (ld == UINT64_MAX)
				s->done = 1;
			else
				s->from_due = ld + 1;
		}
	}
	return STORE_OK;
}

/* ---- GET /cases -------------------------------------------------------------- */

struct list_read {
	struct srv_ctx		*ctx;
	const struct srv_staff	*st;
	const struct qparams	*p;
	time_t			 now;
	json_t			*out;	/* out */
};

static int
want_status(const struct srv_staff *st, const struct qparams *p, int status)
{
	if (p->status >= 0 && p->status != status)
		return 0;
	if (p->overdue == 1 && !deadline_status(status))
		return 0;
	/* Agency staff see cases only while routed to them. */
	if (st->role != CORE_ROLE_CENTRAL_ADMIN && !srv_workflow_status_routed(status))
		return 0;
	return 1;
}

/* Builds the streams of this queue into *out (caller frees). */
static int
make_streams(struct store_txn *txn, const struct list_read *g,
    struct qstream **out, size_t *nout)
{
	const struct qparams	*p = g->p;
	struct scope_list	 sl;
	struct qstream		*s;
	size_t			 n = 0, a, nag;
	int			 st, rc;

	*out = NULL;
	*nout = 0;
	memset(&sl, 0, sizeof(sl));
	if (g->st->role == CORE_ROLE_CENTRAL_ADMIN) {
		nag = 1;
	} else {
		if ((rc = scope_agencies(txn, g->st, &sl)) != STORE_OK)
			return rc;
		nag = sl.n;
	}
	if ((s = calloc(nag * CORE_ST_MAX + 1, sizeof(*s))) == NULL) {
		scope_free(&sl);
		return STORE_IO;
	}
	for (a = 0; a < nag; a++) {
		const char *agency = NULL;

		if (g->st->role == CORE_ROLE_CENTRAL_ADMIN) {
			if (p->agency[0] != '\0')
				agency = p->agency;
		} else {
			agency = sl.ids[a];
			if (p->agency[0] != '\0' &&
			    strcmp(p->agency, agency) != 0)
				continue;
		}
		for (st = 0; st < CORE_ST_MAX; st++)
			if (want_status(g->st, p, st))
				stream_init(&s[n++], agency, st, p, g->now);
	}
	scope_free(&sl);
	*out = s;
	*nout = n;
	return STORE_OK;
}

/* 1 if the lower-cased needle occurs in hay, ASCII letters folded. */
static int
contains_folded(const char *hay, const char *needle)
{
	size_t	nl = strlen(needle), i, k;

	if (hay == NULL)
		return 0;	/* a case without a title matches no search */
	for (i = 0; hay[i] != '\0'; i++) {
		for (k = 0; k < nl; k++)
			if (hay[i + k] == '\0' || (char)tolower(
			    (unsigned char)hay[i + k]) != needle[k])
				break;
		if (k == nl)
			return 1;
	}
	return 0;
}

static json_t *
field_or_null(const json_t *m, const char *name)
{
	json_t *v = json_object_get(m, name);

	return v != NULL ? v : json_null();
}

static json_t *
summary(const struct srv_case *c, time_t now)
{
	const json_t	*m = c->meta;
	const json_t	*due = json_object_get(m, "due_at");
	const json_t	*created = json_object_get(m, "created_at");
	char		 buf[21], cat[21];
	int		 overdue = srv_workflow_overdue(m, now);

	if (json_is_integer(due))
		core_time_iso((time_t)json_integer_value(due), buf);
	if (json_is_integer(created))
		core_time_iso((time_t)json_integer_value(created), cat);
	return json_pack("{s:s, s:O, s:O, s:O, s:O, s:O, s:o, s:b, s:O, s:b,"
	    " s:O, s:b, s:o}",
	    "case", c->ref,
	    "status", field_or_null(m, "status"),
	    "kind", field_or_null(m, "kind"),
	    "agency", field_or_null(m, "agency"),
	    "category", field_or_null(m, "category"),
	    "title", field_or_null(c->content, "redacted_title"),
	    "due_at", json_is_integer(due) ? json_string(buf) : json_null(),
	    "overdue", overdue,
	    "liaison", field_or_null(m, "liaison"),
	    /* Escalation is computed, not stored: an overdue case is flagged
	     * for the level above (see api_cases_staff_view). */
	    "escalated", overdue,
	    "channel", field_or_null(m, "channel"),
	    "unread", json_is_true(json_object_get(m, "unread")),
	    "created_at", json_is_integer(created) ? json_string(cat) :
	    json_null());
}

/* 1 if the case passes the filters that need its record. */
static int
record_pass(const struct qparams *p, const struct srv_case *c)
{
	const json_t	*m = c->meta;
	const char	*v;
	json_int_t	 at;

	if (p->assignee[0] != '\0' && ((v = json_string_value(
	    json_object_get(m, "liaison"))) == NULL ||
	    strcmp(v, p->assignee) != 0))
		return 0;
	if (p->category[0] != '\0' && ((v = json_string_value(
	    json_object_get(m, "category"))) == NULL ||
	    strcmp(v, p->category) != 0))
		return 0;
	if (p->kind >= 0 && ((v = json_string_value(json_object_get(m,
	    "kind"))) == NULL || core_kind_parse(v) != p->kind))
		return 0;
	/* A case from before channels were recorded came from the web. */
	if (p->channel >= 0 && core_channel_parse((v = json_string_value(
	    json_object_get(m, "channel"))) != NULL ? v : "web") != p->channel)
		return 0;
	at = json_integer_value(json_object_get(m, "created_at"));
	if ((p->has_from && at < p->from) || (p->has_to && at >= p->to))
		return 0;
	return p->q[0] == '\0' || contains_folded(json_string_value(
	    json_object_get(c->content, "redacted_title")), p->q);
}

/* The position before (due, seq): where a forward page starts so that
 * (due, seq) is its first entry. */
static json_t *
cursor_before(uint64_t due, uint64_t seq)
{
	if (seq > 0)
		return srv_cursor_encode(due, seq - 1);
	if (due > 0)
		return srv_cursor_encode(due - 1, UINT64_MAX);
	return json_null();
}

static int
list_read(struct store_txn *txn, void *arg)
{
	struct list_read	*g = arg;
	const struct qparams	*p = g->p;
	struct qstream		*s = NULL;
	struct srv_case		 c;
	json_t			*cases = NULL, *o, *next = NULL, *prev = NULL;
	size_t			 ns, i, best, examined = 0, scan_max;
	uint64_t		 ldue = 0, lseq = 0, fdue = 0, fseq = 0;
	uint64_t		 edue = 0, eseq = 0;
	int			 rc = STORE_IO, more = 0, any = 0, listed = 0, pass;
	int			 later;

	/* Filters that need the record bound the scan; so do a liaison's
	 * parent agencies, whose cases mostly belong to others. */
	scan_max = p->assignee[0] != '\0' || p->q[0] != '\0' ||
	    p->category[0] != '\0' || p->kind >= 0 || p->channel >= 0 ||
	    p->has_from || p->has_to || g->st->role == CORE_ROLE_LIAISON ?
	    SRV_QUEUE_SCAN_MAX : SIZE_MAX;
	if ((cases = json_array()) == NULL)
		return STORE_IO;
	if ((rc = make_streams(txn, g, &s, &ns)) != STORE_OK)
		goto fail;
	for (;;) {
		best = ns;
		for (i = 0; i < ns; i++) {
			if ((rc = stream_fill(txn, &s[i])) != STORE_OK)
				goto fail;
			if (s[i].i == s[i].n)
				continue;
			if (best == ns) {
				best = i;
				continue;
			}
			/* Forward the earliest head, backward the latest. */
			later = s[i].due[s[i].i] > s[best].due[s[best].i] ||
			    (s[i].due[s[i].i] == s[best].due[s[best].i] &&
			    s[i].seq[s[i].i] > s[best].seq[s[best].i]);
			if (p->backward ? later : !later)
				best = i;
		}
		if (best == ns)
			break;			/* every stream is exhausted */
		if (json_array_size(cases) == p->limit ||
		    examined == scan_max) {
			more = 1;		/* there is a further page */
			break;
		}
		ldue = s[best].due[s[best].i];
		lseq = s[best].seq[s[best].i];
		s[best].i++;
		if (examined++ == 0) {
			edue = ldue;
			eseq = lseq;
		}
		any = 1;
		rc = srv_case_load(txn, g->ctx->keys, lseq, &c);
		if (rc == STORE_NOTFOUND)
			continue;	/* index ahead of a shredded case */
		if (rc != STORE_OK)
			goto fail;
		pass = srv_workflow_in_scope(txn, g->st, c.meta) &&
		    record_pass(p, &c);
		o = pass ? summary(&c, g->now) : NULL;
		srv_case_free(&c);
		if (pass && (o == NULL ||
		    json_array_append_new(cases, o) == -1)) {
			rc = STORE_IO;
			goto fail;
		}
		if (pass && listed++ == 0) {
			fdue = ldue;
			fseq = lseq;
		}
	}
	free(s);
	if (p->backward) {
		/* Read latest first: back into queue order. The page after
		 * starts where this walk started. */
		for (i = 0; i < json_array_size(cases) / 2; i++) {
			size_t	 k = json_array_size(cases) - 1 - i;
			json_t	*x = json_incref(json_array_get(cases, i));

			json_array_set(cases, i, json_array_get(cases, k));
			json_array_set_new(cases, k, x);
		}
		prev = more && any ? srv_cursor_encode(ldue, lseq) :
		    json_null();
		next = any ? cursor_before(edue, eseq) :
		    cursor_before(p->cdue, p->cseq);
	} else {
		next = more && any ? srv_cursor_encode(ldue, lseq) :
		    json_null();
		/* before= the first case listed (or, with none, the
		 * position this page started after) goes back one page. */
		prev = !p->has_cursor ? json_null() : listed ?
		    srv_cursor_encode(fdue, fseq) : cursor_before(p->cdue,
		    p->cseq + 1 == 0 ? p->cseq : p->cseq + 1);
	}
	g->out = json_pack("{s:o, s:o, s:o}", "cases", cases, "next_cursor",
	    next != NULL ? next : json_null(), "prev_cursor", prev != NULL ?
	    prev : json_null());
	return g->out != NULL ? STORE_OK : STORE_IO;
 fail:
	free(s);
	json_decref(cases);
	return rc;
}

void
srv_queue_list(struct srv_ctx *ctx, const struct srv_request *rq,
    struct srv_reply *rp)
{
	struct srv_staff	st = { 0 };
	struct core_errors	errs;
	struct qparams		p;
	struct list_read	g;
	int			rc;

	if (srv_auth_staff(ctx, rq, &st, rp) == -1)
		return;
	if (st.role != CORE_ROLE_CENTRAL_ADMIN &&
	    st.role != CORE_ROLE_AGENCY_ADMIN && st.role != CORE_ROLE_LIAISON) {
		srv_http_error(rp, 403, "forbidden",
		    "Your role may not do this.");
		goto out;
	}
	memset(&errs, 0, sizeof(errs));
	if ((rc = qparams_parse(rq, &p, &errs)) != CORE_OK) {
		srv_http_error_core(rp, rc, &errs);
		goto out;
	}
	memset(&g, 0, sizeof(g));
	g.ctx = ctx;
	g.st = &st;
	g.p = &p;
	g.now = rq->now;
	if ((rc = store_read(ctx->store, list_read, &g)) != STORE_OK)
		srv_http_error_store(rp, rc);
	else
		srv_http_ok(rp, 200, g.out);
 out:
	crypto_wipe(st.session, sizeof(st.session));
}

/* ---- GET /cases/counts ---------------------------------------------------------- */

struct counts_read {
	const struct srv_staff	*st;
	time_t			 now;
	uint64_t		 total[CORE_ST_MAX], unread[CORE_ST_MAX];
	uint64_t		 overdue[CORE_ST_MAX];
	size_t			 scanned;
	int			 capped;
	int			 status;	/* of the walk under way */
};

static int
counter_each(const void *key, size_t klen, const void *val, size_t vlen,
    void *arg)
{
	struct counts_read	*g = arg;
	const uint8_t		*k = key, *v = val;
	int			 st;

	if (klen < 4 || vlen != 17 || v[0] != SRV_RECORD_V1)
		return STORE_CORRUPT;
	st = k[klen - 1];
	if (st >= CORE_ST_MAX)
		return STORE_CORRUPT;
	g->total[st] += store_be64_get(v + 1);
	g->unread[st] += store_be64_get(v + 9);
	return 0;
}

static int
overdue_each(const void *key, size_t klen, const void *val, size_t vlen,
    void *arg)
{
	struct counts_read	*g = arg;
	const uint8_t		*k = key;

	(void)val;
	(void)vlen;
	if (klen < 17)
		return STORE_CORRUPT;
	if (store_be64_get(k + klen - 16) >= (uint64_t)g->now)
		return STORE_STOP;
	if (g->scanned == SRV_COUNTS_SCAN_MAX) {
		g->capped = 1;
		return STORE_STOP;
	}
	g->scanned++;
	g->overdue[g->status]++;
	return 0;
}

static int
count_overdue(struct store_txn *txn, struct counts_read *g,
    enum store_table t, const uint8_t *prefix, size_t plen, int status)
{
	int rc;

	g->status = status;
	rc = store_each(txn, t, prefix, plen, prefix, plen, overdue_each, g);
	return rc;
}

struct assigned_arg {
	struct store_txn	*txn;
	struct counts_read	*g;
	int			 status;
};

/* A liaison's cases in a parent agency: each entry's record says whether
 * it is assigned to them (bounded like the overdue walk). */
static int
assigned_each(const void *key, size_t klen, const void *val, size_t vlen,
    void *arg)
{
	struct assigned_arg	*a = arg;
	struct counts_read	*g = a->g;
	const uint8_t		*k = key;
	json_t			*m;
	int			 rc;

	(void)val;
	(void)vlen;
	if (klen < 17)
		return STORE_CORRUPT;
	if (g->scanned == SRV_COUNTS_SCAN_MAX) {
		g->capped = 1;
		return STORE_STOP;
	}
	g->scanned++;
	rc = srv_record_get(a->txn, STORE_T_CASES, k + klen - 8, 8, &m);
	if (rc == STORE_NOTFOUND)
		return 0;
	if (rc != STORE_OK)
		return rc;
	if (json_integer_value(json_object_get(m, "liaison_id")) ==
	    (json_int_t)g->st->user_id) {
		g->total[a->status]++;
		g->unread[a->status] += json_is_true(json_object_get(m,
		    "unread"));
		g->overdue[a->status] += srv_workflow_overdue(m, g->now);
	}
	json_decref(m);
	return 0;
}

static int
counts_read(struct store_txn *txn, void *arg)
{
	struct counts_read	*g = arg;
	struct scope_list	 sl = { 0 };
	uint8_t			 key[SRV_IDX_KEY_MAX];
	uint64_t		 t, u;
	size_t			 a, n;
	int			 st, rc = STORE_IO;

	if (g->st->role == CORE_ROLE_CENTRAL_ADMIN) {
		rc = store_each(txn, STORE_T_STATS, SRV_COUNTER_PREFIX, 2,
		    SRV_COUNTER_PREFIX, 2, counter_each, g);
		if (rc != STORE_OK)
			return rc;
		for (st = 0; st < CORE_ST_MAX; st++) {
			if (!deadline_status(st))
				continue;
			key[0] = (uint8_t)st;
			if ((rc = count_overdue(txn, g, STORE_T_IDX_STATUS_DUE,
			    key, 1, st)) != STORE_OK)
				return rc;
		}
		return STORE_OK;
	}
	if ((rc = scope_agencies(txn, g->st, &sl)) != STORE_OK)
		return rc;
	for (a = 0; a < sl.n; a++)
		for (st = 0; st < CORE_ST_MAX; st++) {
			if (!srv_workflow_status_routed(st))
				continue;
			n = strlen(sl.ids[a]);
			memcpy(key, sl.ids[a], n);
			key[n] = '\0';
			key[n + 1] = (uint8_t)st;
			if (sl.ancestor[a]) {
				struct assigned_arg aa = { txn, g, st };

				rc = store_each(txn,
				    STORE_T_IDX_AGENCY_STATUS_DUE, key, n + 2,
				    key, n + 2, assigned_each, &aa);
				if (rc != STORE_OK)
					goto out;
				continue;
			}
			if ((rc = srv_qindex_counter_get(txn, sl.ids[a], st, &t,
			    &u)) != STORE_OK)
				goto out;
			g->total[st] += t;
			g->unread[st] += u;
			if (!deadline_status(st))
				continue;
			if ((rc = count_overdue(txn, g,
			    STORE_T_IDX_AGENCY_STATUS_DUE, key, n + 2, st)) !=
			    STORE_OK)
				goto out;
		}
	rc = STORE_OK;
 out:
	scope_free(&sl);
	return rc;
}

void
srv_queue_counts(struct srv_ctx *ctx, const struct srv_request *rq,
    struct srv_reply *rp)
{
	struct srv_staff	 st = { 0 };
	struct counts_read	 g;
	json_t			*counts, *o;
	int			 rc, s;

	if (srv_auth_staff(ctx, rq, &st, rp) == -1)
		return;
	if (st.role != CORE_ROLE_CENTRAL_ADMIN &&
	    st.role != CORE_ROLE_AGENCY_ADMIN && st.role != CORE_ROLE_LIAISON) {
		srv_http_error(rp, 403, "forbidden",
		    "Your role may not do this.");
		goto out;
	}
	memset(&g, 0, sizeof(g));
	g.st = &st;
	g.now = rq->now;
	if ((rc = store_read(ctx->store, counts_read, &g)) != STORE_OK) {
		srv_http_error_store(rp, rc);
		goto out;
	}
	if ((counts = json_object()) == NULL) {
		srv_http_error(rp, 503, "busy",
		    "The server is busy; try again.");
		goto out;
	}
	for (s = 0; s < CORE_ST_MAX; s++) {
		o = json_pack("{s:I, s:I, s:I}",
		    "total", (json_int_t)g.total[s],
		    "overdue", (json_int_t)g.overdue[s],
		    "new", (json_int_t)g.unread[s]);
		if (o == NULL || json_object_set_new(counts,
		    core_status_name(s), o) == -1) {
			json_decref(counts);
			srv_http_error(rp, 503, "busy",
			    "The server is busy; try "
			    "again.");
			goto out;
		}
	}
	srv_http_ok(rp, 200, json_pack("{s:o, s:b}", "counts", counts,
	    "overdue_capped", g.capped));
 out:
	crypto_wipe(st.session, sizeof(st.session));
}
