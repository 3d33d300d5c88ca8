/*
 * routes.c: the route table of bisikd, handed to the HTTP front.
 *
 * http.c bounds, parses and answers requests but names no handler or
 * page; this file is the one place that does, above both (docs/design.md,
 * "Layers of server/"). One line per route: { METHOD, PATTERN, handler,
 * SRV_BODY_*, log name }. A path pattern is literal segments and "{}"
 * segments, each of which matches 1..SRV_PARAM_MAX characters of
 * [A-Za-z0-9_-] and is passed to the handler in srv_request.param[] in
 * order; the first route whose pattern and method match is served.
 *
 * A refusal on a page path (not under /api/) is rendered as an HTML page
 * by page_common_error (pages_common.c), handed to http.c with the table.
 */
#include <stddef.h>

#include "server/server.h"
#include "server/pages.h"

static const struct srv_route routes[] = {
	{ "GET", "/api/v1/health", api_public_health, SRV_BODY_NONE, "health" },
	{ "GET", "/api/v1/agencies", api_public_agencies, SRV_BODY_NONE, "agencies" },
	{ "GET", "/api/v1/categories", api_public_categories, SRV_BODY_NONE,
	    "categories" },
	{ "GET", "/api/v1/challenge", api_public_challenge, SRV_BODY_NONE,
	    "challenge" },
	{ "GET", "/api/v1/keys", api_public_keys, SRV_BODY_NONE, "keys" },
	{ "POST", "/api/v1/reports", api_report_submit, SRV_BODY_JSON,
	    "reports" },
	{ "GET", "/api/v1/followup", api_followup_get, SRV_BODY_NONE,
	    "followup" },
	{ "POST", "/api/v1/followup/messages", api_followup_message,
	    SRV_BODY_JSON, "followup_messages" },
	{ "POST", "/api/v1/followup/rotate", api_followup_rotate,
	    SRV_BODY_NONE, "followup_rotate" },
#include "server/routes.inc"
#include "server/pages.inc"
};
#define NROUTES	(sizeof(routes) / sizeof(routes[0]))

const struct srv_router srv_routes = {
	.routes = routes,
	.n = NROUTES,
	.page_error = page_common_error,
	.done = srv_metrics_request,
};

int
srv_routes_at(size_t i, const char **method, const char **path, int *body)
{
	if (i >= NROUTES)
		return -1;
	*method = routes[i].method;
	*path = routes[i].path;
	*body = routes[i].body;
	return 0;
}
