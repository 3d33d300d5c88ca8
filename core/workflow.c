/*
 * workflow.c: the case lifecycle (docs/design.md, "Case lifecycle") as one
 * table.
 *
 * Every transition any part of Bisik makes is a row here: (state, action,
 * role) -> next state. Nothing else decides whether an action is allowed.
 * A role that appears in no row for an action may never take it (the
 * server answers 403 whatever the state); an allowed role in a state with
 * no row gets 409. Either way the caller changes nothing.
 */
#include <string.h>

#include "core/core.h"

struct wf_row {
	enum core_status	from;
	enum core_action	action;
	enum core_role		role;
	enum core_status	to;
};

static const struct wf_row rows[] = {
	/* Central admin verifies and routes within 3 working days. */
	{ CORE_ST_SUBMITTED, CORE_ACT_DISPOSE, CORE_ROLE_CENTRAL_ADMIN,
	    CORE_ST_DISPOSITIONED },
	{ CORE_ST_SUBMITTED, CORE_ACT_REJECT, CORE_ROLE_CENTRAL_ADMIN,
	    CORE_ST_REJECTED },
	{ CORE_ST_SUBMITTED, CORE_ACT_MERGE, CORE_ROLE_CENTRAL_ADMIN,
	    CORE_ST_MERGED },
	/* The agency accepts (naming a liaison) or hands it back. */
	{ CORE_ST_DISPOSITIONED, CORE_ACT_ACCEPT, CORE_ROLE_AGENCY_ADMIN,
	    CORE_ST_IN_PROGRESS },
	{ CORE_ST_DISPOSITIONED, CORE_ACT_RETURN, CORE_ROLE_AGENCY_ADMIN,
	    CORE_ST_SUBMITTED },
	/* Follow-up notes, any number, then resolution with evidence. */
	{ CORE_ST_IN_PROGRESS, CORE_ACT_RESPOND, CORE_ROLE_LIAISON,
	    CORE_ST_IN_PROGRESS },
	{ CORE_ST_IN_PROGRESS, CORE_ACT_RESPOND, CORE_ROLE_AGENCY_ADMIN,
	    CORE_ST_IN_PROGRESS },
	{ CORE_ST_IN_PROGRESS, CORE_ACT_RESOLVE, CORE_ROLE_LIAISON,
	    CORE_ST_RESOLVED },
	{ CORE_ST_IN_PROGRESS, CORE_ACT_RESOLVE, CORE_ROLE_AGENCY_ADMIN,
	    CORE_ST_RESOLVED },
	/* The reporter rates (closing it) or reopens within 14 days. */
	{ CORE_ST_RESOLVED, CORE_ACT_CONFIRM, CORE_ROLE_REPORTER,
	    CORE_ST_CLOSED },
	{ CORE_ST_RESOLVED, CORE_ACT_REOPEN, CORE_ROLE_REPORTER,
	    CORE_ST_IN_PROGRESS },
	/* Automatic close 14 days after resolution. */
	{ CORE_ST_RESOLVED, CORE_ACT_CLOSE, CORE_ROLE_SYSTEM, CORE_ST_CLOSED },
	/* Publication of a public case's approved text; status unchanged. */
	{ CORE_ST_RESOLVED, CORE_ACT_PUBLISH, CORE_ROLE_CENTRAL_ADMIN,
	    CORE_ST_RESOLVED },
	{ CORE_ST_CLOSED, CORE_ACT_PUBLISH, CORE_ROLE_CENTRAL_ADMIN,
	    CORE_ST_CLOSED },
};
#define NROWS	(sizeof(rows) / sizeof(rows[0]))

int
core_workflow_next(enum core_status from, enum core_action action,
    enum core_role role, enum core_status *to)
{
	size_t	i;
	int	role_may = 0;

	if ((unsigned)from >= CORE_ST_MAX || (unsigned)action >= CORE_ACT_MAX ||
	    (unsigned)role >= CORE_ROLE_MAX)
		return CORE_WF_FORBIDDEN;
	for (i = 0; i < NROWS; i++) {
		if (rows[i].action != action || rows[i].role != role)
			continue;
		role_may = 1;
		if (rows[i].from == from) {
			*to = rows[i].to;
			return CORE_WF_OK;
		}
	}
	return role_may ? CORE_WF_CONFLICT : CORE_WF_FORBIDDEN;
}

static const char *action_names[CORE_ACT_MAX] = {
	"dispose", "reject", "merge", "accept", "return", "respond",
	"resolve", "confirm", "reopen", "close", "publish"
};
static const char *role_names[CORE_ROLE_MAX] = {
	"central_admin", "agency_admin", "liaison", "auditor", "reporter",
	"system"
};

const char *
core_action_name(enum core_action a)
{
	return (unsigned)a < CORE_ACT_MAX ? action_names[a] : NULL;
}

int
core_action_parse(const char *s)
{
	int i;

	for (i = 0; s != NULL && i < CORE_ACT_MAX; i++)
		if (strcmp(s, action_names[i]) == 0)
			return i;
	return -1;
}

const char *
core_role_name(enum core_role r)
{
	return (unsigned)r < CORE_ROLE_MAX ? role_names[r] : NULL;
}

int
core_role_parse(const char *s)
{
	int i;

	for (i = 0; s != NULL && i < CORE_ROLE_MAX; i++)
		if (strcmp(s, role_names[i]) == 0)
			return i;
	return -1;
}
