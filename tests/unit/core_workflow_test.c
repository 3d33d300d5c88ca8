/*
 * core_workflow_test.c: the case lifecycle table (core/workflow.c) checked
 * exhaustively against the lifecycle of docs/design.md ("Case lifecycle")
 * and the actions of docs/openapi.yaml, written
 * here a second time in another form (a switch per action), so that a
 * wrong row in either place shows up as a difference.
 *
 * For every (state, action, role) triple: a transition of the lifecycle
 * gives CORE_WF_OK and its next state; a role that may never take the
 * action gives CORE_WF_FORBIDDEN (403) whatever the state; a role that may
 * take it, in another state, gives CORE_WF_CONFLICT (409). *to is written
 * only on CORE_WF_OK.
 */
#include <stdio.h>
#include <string.h>

#include "core/core.h"
#include "tests/unit/tap.h"

#define NONE	(-1)

/*
 * The expected next state of (from, action, role), or NONE. Written from
 * the table of docs/design.md, "Case lifecycle", and the action list of
 * docs/openapi.yaml (POST /cases/{case}/actions), not from the
 * table under test.
 */
static int
expected_next(int from, int action, int role)
{
	switch (action) {
	case CORE_ACT_DISPOSE:		/* central admin, from submitted */
		if (role == CORE_ROLE_CENTRAL_ADMIN && from == CORE_ST_SUBMITTED)
			return CORE_ST_DISPOSITIONED;
		return NONE;
	case CORE_ACT_REJECT:
		if (role == CORE_ROLE_CENTRAL_ADMIN && from == CORE_ST_SUBMITTED)
			return CORE_ST_REJECTED;
		return NONE;
	case CORE_ACT_MERGE:
		if (role == CORE_ROLE_CENTRAL_ADMIN && from == CORE_ST_SUBMITTED)
			return CORE_ST_MERGED;
		return NONE;
	case CORE_ACT_ACCEPT:		/* agency admin, from dispositioned */
		if (role == CORE_ROLE_AGENCY_ADMIN &&
		    from == CORE_ST_DISPOSITIONED)
			return CORE_ST_IN_PROGRESS;
		return NONE;
	case CORE_ACT_RETURN:		/* back to central */
		if (role == CORE_ROLE_AGENCY_ADMIN &&
		    from == CORE_ST_DISPOSITIONED)
			return CORE_ST_SUBMITTED;
		return NONE;
	case CORE_ACT_RESPOND:		/* liaison or agency admin, any number */
		if ((role == CORE_ROLE_LIAISON ||
		    role == CORE_ROLE_AGENCY_ADMIN) &&
		    from == CORE_ST_IN_PROGRESS)
			return CORE_ST_IN_PROGRESS;
		return NONE;
	case CORE_ACT_RESOLVE:
		if ((role == CORE_ROLE_LIAISON ||
		    role == CORE_ROLE_AGENCY_ADMIN) &&
		    from == CORE_ST_IN_PROGRESS)
			return CORE_ST_RESOLVED;
		return NONE;
	case CORE_ACT_CONFIRM:		/* the reporter rates: closed */
		if (role == CORE_ROLE_REPORTER && from == CORE_ST_RESOLVED)
			return CORE_ST_CLOSED;
		return NONE;
	case CORE_ACT_REOPEN:		/* the reporter, within 14 days */
		if (role == CORE_ROLE_REPORTER && from == CORE_ST_RESOLVED)
			return CORE_ST_IN_PROGRESS;
		return NONE;
	case CORE_ACT_CLOSE:		/* automatic, 14 days after resolution */
		if (role == CORE_ROLE_SYSTEM && from == CORE_ST_RESOLVED)
			return CORE_ST_CLOSED;
		return NONE;
	case CORE_ACT_PUBLISH:		/* status unchanged */
		if (role == CORE_ROLE_CENTRAL_ADMIN &&
		    (from == CORE_ST_RESOLVED || from == CORE_ST_CLOSED))
			return from;
		return NONE;
	default:
		return NONE;
	}
}

/* 1 if the role may take the action in some state. */
static int
expected_role_may(int action, int role)
{
	int st;

	for (st = 0; st < CORE_ST_MAX; st++)
		if (expected_next(st, action, role) != NONE)
			return 1;
	return 0;
}

/* The allowed roles per action, spelled out once more by hand: a second
 * view of 403 that does not go through expected_next. */
static int
expected_forbidden(int action, int role)
{
	switch (action) {
	case CORE_ACT_DISPOSE:
	case CORE_ACT_REJECT:
	case CORE_ACT_MERGE:
	case CORE_ACT_PUBLISH:
		return role != CORE_ROLE_CENTRAL_ADMIN;
	case CORE_ACT_ACCEPT:
	case CORE_ACT_RETURN:
		return role != CORE_ROLE_AGENCY_ADMIN;
	case CORE_ACT_RESPOND:
	case CORE_ACT_RESOLVE:
		return role != CORE_ROLE_AGENCY_ADMIN &&
		    role != CORE_ROLE_LIAISON;
	case CORE_ACT_CONFIRM:
	case CORE_ACT_REOPEN:
		return role != CORE_ROLE_REPORTER;
	case CORE_ACT_CLOSE:
		return role != CORE_ROLE_SYSTEM;
	default:
		return 1;
	}
}

static void
test_exhaustive(void)
{
	enum core_status	 to;
	char			 name[160];
	int			 st, act, role, rc, want, nok = 0, bad = 0;
	int			 n403 = 0, n409 = 0;
	const char		*wname[CORE_WF_MAX] = { "OK", "FORBIDDEN",
				    "CONFLICT" };

	for (st = 0; st < CORE_ST_MAX; st++)
	for (act = 0; act < CORE_ACT_MAX; act++)
	for (role = 0; role < CORE_ROLE_MAX; role++) {
		int next = expected_next(st, act, role);

		to = (enum core_status)CORE_ST_MAX;	/* sentinel */
		rc = core_workflow_next(st, act, role, &to);
		if (next != NONE)
			want = CORE_WF_OK;
		else if (expected_role_may(act, role))
			want = CORE_WF_CONFLICT;
		else
			want = CORE_WF_FORBIDDEN;
		snprintf(name, sizeof(name), "%s %s by %s -> %s",
		    core_status_name(st), core_action_name(act),
		    core_role_name(role), wname[want]);
		if (want == CORE_WF_OK)
			snprintf(name + strlen(name), sizeof(name) -
			    strlen(name), " %s", core_status_name(next));
		if (rc != want || (want == CORE_WF_OK && (int)to != next) ||
		    (want != CORE_WF_OK && to != (enum core_status)CORE_ST_MAX)) {
			CHECK(0, name);
			bad++;
		} else
			CHECK(1, name);
		/* The hand-written 403 list agrees with the diagram. */
		if ((want == CORE_WF_FORBIDDEN) != expected_forbidden(act, role)) {
			snprintf(name, sizeof(name), "expected tables agree on "
			    "%s by %s", core_action_name(act),
			    core_role_name(role));
			CHECK(0, name);
		}
		nok += want == CORE_WF_OK;
		n403 += want == CORE_WF_FORBIDDEN;
		n409 += want == CORE_WF_CONFLICT;
	}
	/* The 14 rows of docs/design.md, "Case lifecycle". */
	CHECK(nok == 14, "exactly 14 transitions are allowed");
	CHECK(nok + n403 + n409 == CORE_ST_MAX * CORE_ACT_MAX * CORE_ROLE_MAX,
	    "every triple was tried");
	CHECK(bad == 0, "the table matches the lifecycle in every triple");
}

static void
test_auditor_and_out_of_range(void)
{
	enum core_status	to = CORE_ST_MAX;
	int			st, act, all = 1;

	/* Auditors read audit logs and statistics; they never act. */
	for (st = 0; st < CORE_ST_MAX; st++)
		for (act = 0; act < CORE_ACT_MAX; act++)
			if (core_workflow_next(st, act, CORE_ROLE_AUDITOR,
			    &to) != CORE_WF_FORBIDDEN)
				all = 0;
	CHECK(all, "an auditor may take no action in any state");
	CHECK(core_workflow_next(CORE_ST_MAX, CORE_ACT_DISPOSE,
	    CORE_ROLE_CENTRAL_ADMIN, &to) == CORE_WF_FORBIDDEN,
	    "a state out of range is refused");
	CHECK(core_workflow_next(CORE_ST_SUBMITTED, CORE_ACT_MAX,
	    CORE_ROLE_CENTRAL_ADMIN, &to) == CORE_WF_FORBIDDEN,
	    "an action out of range is refused");
	CHECK(core_workflow_next(CORE_ST_SUBMITTED, CORE_ACT_DISPOSE,
	    CORE_ROLE_MAX, &to) == CORE_WF_FORBIDDEN,
	    "a role out of range is refused");
	CHECK(core_workflow_next((enum core_status)-1, CORE_ACT_DISPOSE,
	    CORE_ROLE_CENTRAL_ADMIN, &to) == CORE_WF_FORBIDDEN,
	    "a negative state is refused");
	CHECK(to == CORE_ST_MAX, "*to is untouched by refusals");
}

static void
test_names(void)
{
	static const char *acts[CORE_ACT_MAX] = {
		[CORE_ACT_DISPOSE] = "dispose", [CORE_ACT_REJECT] = "reject",
		[CORE_ACT_MERGE] = "merge", [CORE_ACT_ACCEPT] = "accept",
		[CORE_ACT_RETURN] = "return", [CORE_ACT_RESPOND] = "respond",
		[CORE_ACT_RESOLVE] = "resolve", [CORE_ACT_CONFIRM] = "confirm",
		[CORE_ACT_REOPEN] = "reopen", [CORE_ACT_CLOSE] = "close",
		[CORE_ACT_PUBLISH] = "publish",
	};
	static const char *roles[CORE_ROLE_MAX] = {
		[CORE_ROLE_CENTRAL_ADMIN] = "central_admin",
		[CORE_ROLE_AGENCY_ADMIN] = "agency_admin",
		[CORE_ROLE_LIAISON] = "liaison",
		[CORE_ROLE_AUDITOR] = "auditor",
		[CORE_ROLE_REPORTER] = "reporter",
		[CORE_ROLE_SYSTEM] = "system",
	};
	int i, ok = 1;

	for (i = 0; i < CORE_ACT_MAX; i++)
		if (core_action_name(i) == NULL ||
		    strcmp(core_action_name(i), acts[i]) != 0 ||
		    core_action_parse(acts[i]) != i)
			ok = 0;
	CHECK(ok, "action names are the API's and round-trip");
	ok = 1;
	for (i = 0; i < CORE_ROLE_MAX; i++)
		if (core_role_name(i) == NULL ||
		    strcmp(core_role_name(i), roles[i]) != 0 ||
		    core_role_parse(roles[i]) != i)
			ok = 0;
	CHECK(ok, "role names are the API's and round-trip");
	CHECK(core_action_parse("Dispose") == -1 &&
	    core_action_parse("") == -1 && core_action_parse(NULL) == -1 &&
	    core_action_parse("dispose ") == -1,
	    "unknown action names are refused");
	CHECK(core_role_parse("admin") == -1 && core_role_parse(NULL) == -1,
	    "unknown role names are refused");
	CHECK(core_action_name(CORE_ACT_MAX) == NULL &&
	    core_role_name(CORE_ROLE_MAX) == NULL,
	    "names out of range are NULL");
}

int
main(void)
{
	test_exhaustive();
	test_auditor_and_out_of_range();
	test_names();
	return tap_done();
}
