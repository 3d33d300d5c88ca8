/*
 * fuzz_action.c: libFuzzer target for the staff action parser
 * (api_cases_action_parse, server/api_cases.c), which reads the body of POST
 * /api/v1/cases/{case}/actions before anything else of the request is
 * looked at. An accepted body must be a JSON object whose "action" names
 * the action reported and whose every other key is a field taken
 * (duplicates are refused by the JSON parser, so the count is exact); a
 * refused one must come with a sentence or a field to tell the caller
 * (400 or 422), never a bare code.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "server/server.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct core_errors	 errs, jerrs;
	json_t			*root = NULL;
	size_t			 n = 0;
	int			 rc, act = -1;

	memset(&errs, 0, sizeof(errs));
	rc = api_cases_action_parse((const char *)data, size, &act, &n, &errs);
	if (rc != CORE_OK) {
		if (rc != CORE_MALFORMED && rc != CORE_INVALID &&
		    rc != CORE_NOMEM)
			abort();
		if (rc != CORE_NOMEM && errs.message == NULL &&
		    errs.nfields == 0)
			abort();
		return 0;
	}
	memset(&jerrs, 0, sizeof(jerrs));
	if (core_json_parse((const char *)data, size, CORE_JSON_MAX_DEPTH,
	    &root, &jerrs) != CORE_OK)
		abort();
	if (!json_is_object(root) || act < 0 || act >= CORE_ACT_MAX ||
	    core_action_parse(json_string_value(json_object_get(root,
	    "action"))) != act || n + 1 != json_object_size(root))
		abort();
	json_decref(root);
	return 0;
}
