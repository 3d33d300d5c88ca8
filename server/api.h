/*
 * api.h: the handlers of bisikd (docs/design.md, "Layers of server/"):
 * api_*.c, export.c, publish.c and queue.c, one route each: parse,
 * authorise, call the records, reply.
 */
#ifndef BISIK_API_H
#define BISIK_API_H

#include "server/http.h"

/* ---- Limits ---------------------------------------------------------- */

/* Proof-of-work challenges live this long. */
#define SRV_CHALLENGE_TTL	(30 * 60)
/* Per case, reporter's and staff's together: evidence for one complaint,
 * not a file store; with two sealed copies each, a case stays below
 * 40 × max_attachment_bytes. */
#define SRV_ATTACH_PER_CASE	20

/* ---- API handlers (api_*.c) -------------------------------------------- */

void	api_public_health(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	api_public_agencies(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	api_public_categories(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	api_public_challenge(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	api_public_keys(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	api_report_submit(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	api_followup_get(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	api_followup_message(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	api_followup_rotate(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	api_attach_followup(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	api_attach_followup_get(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	api_attach_case(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	api_attach_case_get(struct srv_ctx *, const struct srv_request *, struct srv_reply *);

/* ---- Audit chain (audit.c) --------------------------------------------- */

/* Entries in one GET /audit page: 1000 entries of about 300 bytes each
 * keep a page well under a megabyte. */
#define SRV_AUDIT_PAGE		1000
/* GET /api/v1/audit?after=SEQ and GET /api/v1/audit/head (api_audit.c):
 * auditors and central admins. */
void	api_audit_list(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	api_audit_head(struct srv_ctx *, const struct srv_request *, struct srv_reply *);

/* ---- Staff sign-in: users, sessions, TOTP (users.c, sessions.c, totp.c,
 * api_auth.c) ----------------------------------------------------------- */

/* Handlers (api_auth.c). */
void	api_auth_login(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
/*
 * The sign-in page's login (pages_staf.c), parked like the API's while
 * its hash runs: body is the API's JSON body. Returns 0 when rq's
 * connection is parked: once the hash is done, render(ctx, state, api,
 * rp) makes the page from the API's answer on the connection's thread,
 * and drop(state) runs after it (or alone, if the connection closes).
 * Returns -1 when it was not parked: *api holds the API's answer (free it
 * with json_decref of its body) and state is still the caller's.
 */
typedef void	(*srv_login_render)(struct srv_ctx *, void *state,
		    const struct srv_reply *api, struct srv_reply *rp);
SRV_WUR int	api_auth_login_page(struct srv_ctx *, const struct srv_request *,
		    const json_t *body, srv_login_render render,
		    void (*drop)(void *), void *state, struct srv_reply *api);
void	api_auth_logout(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	api_auth_sessions(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	api_auth_session_revoke(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	api_auth_totp_enroll(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	api_auth_totp_confirm(struct srv_ctx *, const struct srv_request *, struct srv_reply *);

/* ---- Attachments (attach.c: content; api_attach.c: storage, API) ------- */

/* Who looks: names and copies differ (api_attach.c). */
enum srv_attach_audience {
	SRV_AUD_REPORTER,
	SRV_AUD_AGENCY,
	SRV_AUD_CENTRAL,
	SRV_AUD_MAX
};
/* Appends the case's attachments to array as the audience sees them:
 * {"attachment", "name", "type", "size", "at", "from"}. */
SRV_WUR int	api_attach_list(struct store_txn *, const struct srv_case *,
		    int audience, json_t *array);

/* ---- Staff workflow (workflow.c, queue.c, api_cases.c, sweeper.c) ------ */

/* A queue page holds 50 summaries unless the client asks for up to 200:
 * each summary opens a sealed record, 200 keep a page under ~50 ms. */
#define SRV_QUEUE_LIMIT_DEFAULT	50
#define SRV_QUEUE_LIMIT_MAX	200
/* A page filtered by assignee= or q= looks at most at this many index
 * entries (each opens a sealed record); when it stops early, next_cursor
 * goes on from there. */
#define SRV_QUEUE_SCAN_MAX	1000
/* q= is a short search text (characters). */
#define SRV_QUEUE_Q_MAX		100
/* Agencies one scope spans at most (Indonesia has ~600 central and local
 * government bodies, each with a few units); a wider scope is refused
 * (503) rather than walked without bound. */
#define SRV_SCOPE_AGENCIES_MAX	4096
/* Overdue index entries counted per GET /cases/counts; beyond it the
 * figure is a lower bound and "overdue_capped" is true. */
#define SRV_COUNTS_SCAN_MAX	100000
/* The reporter may reopen for 14 (calendar) days after a resolution;
 * then the case closes by itself. */
#define SRV_REOPEN_SECONDS	(14 * 86400)
/* Cases merged into one, listed in its record. */
#define SRV_MERGED_FROM_MAX	256
/* Evidence named by one resolution. */
#define SRV_RESOLVE_ATTACH_MAX	20
/* The staff view of a loaded case (GET /cases/{case}); *rc says why NULL. */
json_t	*api_cases_staff_view(struct store_txn *, const struct srv_staff *,
	    const struct srv_case *, time_t now, int *rc);

/* The one submission path (api_report.c): reporter or staff intake. */
struct srv_submission {
	struct core_report	*report;	/* its identity is wiped */
	const struct srv_staff	*staff;		/* intake; NULL: reporter */
	time_t			 now;
	const uint8_t		*pow_id;	/* NULL: no challenge */
	uint64_t		 pow_expires;
	/* out */
	char			 ref[CORE_CASE_REF_MAX];
	char			 token[CRYPTO_TOKEN_TEXT];	/* wipe it */
	uint8_t			 content_hash[CRYPTO_HASH_BYTES];
	int			 has_identity;
	uint8_t			 identity_hash[CRYPTO_HASH_BYTES];
	uint64_t		 audit_seq;	/* the head at filing */
	uint8_t			 audit_head[CRYPTO_HASH_BYTES];
};
/* Seals, numbers and stores a new case; on failure fills rp, -1. */
SRV_WUR int	api_report_case_submit(struct srv_ctx *,
		    struct srv_submission *, struct srv_reply *);
/* POST /reports as the web form sends it without JavaScript: the same
 * parse, submission and answer as api_report_submit, with the form's
 * challenge (already checked for its waiting time, pages_lapor.c) made
 * single use in place of a proof of work. */
void	api_report_submit_waited(struct srv_ctx *, const struct srv_request *,
	    const uint8_t id[CRYPTO_CHALLENGE_ID_BYTES], uint64_t expires,
	    struct srv_reply *);

void	srv_queue_list(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	srv_queue_counts(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
/* The shape check of a staff action body (POST /cases/{case}/actions)
 * alone, as the handler makes it first: CORE_OK with the action
 * (enum core_action) and the number of fields it takes besides "action",
 * or the error code and errs the handler answers 400 or 422 with.
 * tests/fuzz/fuzz_action.c drives it. */
SRV_WUR int	api_cases_action_parse(const char *, size_t, int *action,
		    size_t *nfields, struct core_errors *);
void	api_cases_get(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	api_cases_action(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	api_cases_preview(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	api_cases_message(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	api_cases_intake(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	api_cases_followup_confirm(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	api_cases_followup_reopen(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
/*
 * GET /api/v1/liaisons?agency=ID (users.c): the liaisons a case of that
 * agency may be given to (accept): users with the liaison role, not
 * disabled, of the agency or one of its sub-agencies, sorted by username,
 * at most SRV_LIAISONS_MAX. Agency admins (default: their own agency; one
 * outside their scope is 404) and central admins (without an agency:
 * every agency's, by agency then username, "agency": null).
 */
#define SRV_LIAISONS_MAX	500	/* a long <select> already */
void	api_users_liaisons(struct srv_ctx *, const struct srv_request *, struct srv_reply *);

/* ---- Identity disclosure (disclose.c, api_disclose.c, adminkey.c) -------- */

/* Reason and legal basis (code points): a paragraph and a citation. */
#define SRV_DISCLOSURE_REASON_MAX	2000
#define SRV_DISCLOSURE_BASIS_MAX	500
/* How far a request's signed creation time may be from the server's
 * clock: admins' machines keep time by NTP; five minutes forgive a bad
 * one without letting a request signed long ago be brought in late. */
#define SRV_DISCLOSURE_CLOCK_SKEW	300
/* JSON depth of the request bodies. */
#define SRV_DISCLOSURE_DEPTH		2

void	api_disclose_case_list(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	api_disclose_request(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	api_disclose_list(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	api_disclose_get(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	api_disclose_approve(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	api_disclose_deny(struct srv_ctx *, const struct srv_request *, struct srv_reply *);

/* ---- Dealerless escrow key ceremony (api_ceremony.c) ------------------------- */

/* Ceremonies unfinished and unexpired at once: a key ceremony is a rare,
 * planned event; more at once is a mistake or an attempt to fill the
 * disk (each record grows to about 400 KiB with 32 holders). */
#define SRV_DKG_OPEN_MAX	8
/* Ceremony records (expired ones included, a few hundred bytes each)
 * one listing or sweep looks at. */
#define SRV_DKG_SCAN_MAX	1000
/* JSON depth of the bodies: {"holders": [{"sign_key", ...}]}. */
#define SRV_DKG_DEPTH		3
void	api_ceremony_create(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	api_ceremony_list(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	api_ceremony_get(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	api_ceremony_message(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	api_ceremony_sign(struct srv_ctx *, const struct srv_request *, struct srv_reply *);

/* ---- Transparency: duplicates, statistics, publication, retention,
 * export (dedup.c, derived.c, publish.c, retention.c, export.c, zip.c) ---- */

/* Bucket entries a submission looks at for its hint ("dup_candidates"):
 * no other case is opened on the reporter's path. */
#define SRV_DEDUP_SUBMIT_SCAN	64

/* Statistics and reports (api_stats.c). GET /stats is public: every figure
 * from fewer than suppression_threshold cases is null, and so is a second
 * figure wherever a total minus the figures shown would give a suppressed
 * one back (core_suppress). Periods: YYYY, YYYY-MM or YYYY-Qn. */
void	api_stats(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
/* GET /reports/periodic?period=&format=json|csv: auditors, central
 * admins; one row per agency and the audit head at the period's end. */
void	api_stats_periodic(struct srv_ctx *, const struct srv_request *, struct srv_reply *);

/* Publication (publish.c): published public cases, redacted as the
 * central admin approved them. Pages: SRV_PUBLIC_LIMIT_DEFAULT cases, at
 * most SRV_PUBLIC_LIMIT_MAX; a search (q=, at most SRV_QUEUE_Q_MAX
 * characters, matched on the normalised published title and body) opens
 * at most SRV_PUBLIC_SCAN_MAX cases a page and hands back a cursor to go
 * on. The feed holds the SRV_FEED_ENTRIES latest. Evidence: only images
 * that staff attached to the resolution, as the agency copy (re-encoded,
 * no metadata), only while the case is published. */
#define SRV_PUBLIC_LIMIT_DEFAULT 20
#define SRV_PUBLIC_LIMIT_MAX	100
#define SRV_PUBLIC_SCAN_MAX	500
#define SRV_FEED_ENTRIES	50
void	srv_publish_cases(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	srv_publish_case(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	srv_publish_feed(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
void	srv_publish_attachment(struct srv_ctx *, const struct srv_request *, struct srv_reply *);
/* The bytes of attachment n of a loaded case as an audience gets them
 * (api_attach.c): *out malloc'd (wipe and free it), its type and the
 * name the audience sees. STORE_NOTFOUND if the case has no such file. */
SRV_WUR int	api_attach_get(struct store_txn *, const struct srv_case *,
		    uint32_t n, int audience, uint8_t **out, size_t *len,
		    int *type, char name[SRV_ATTACH_NAME_BYTES]);
/* POST /cases/{case}/hold {"hold": true|false}: central admins
 * (api_hold.c). */
void	api_hold_case(struct srv_ctx *, const struct srv_request *, struct srv_reply *);

/* Export (export.c, zip.c): GET /cases/{case}/export, a store-only ZIP of
 * case.json, timeline.json and attachments/ as the caller may see them
 * (agency staff: the redacted view and agency copies). At most
 * SRV_EXPORT_JOBS are built at once (each holds the case's files in
 * memory, up to 20 x max_attachment_bytes). Audited ("case.export"). */
#define SRV_EXPORT_JOBS		2
void	srv_export_case(struct srv_ctx *, const struct srv_request *, struct srv_reply *);

#endif
