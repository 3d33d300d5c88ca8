/*
 * names.c: the wire names of kinds, visibilities, statuses and channels.
 *
 * These strings appear in the API, in stored records and in statistics, so
 * each has exactly one spelling: lower case, matched exactly (no case
 * folding, no trimming), and an unknown name is an error, never a default.
 */
#include <string.h>

#include "core.h"

static const char *const kinds[CORE_KIND_MAX] = {
	"complaint",
	"aspiration",
	"information_request",
};

static const char *const visibilities[CORE_VIS_MAX] = {
	"confidential",
	"public",
};

static const char *const statuses[CORE_ST_MAX] = {
	"submitted",
	"dispositioned",
	"in_progress",
	"resolved",
	"closed",
	"rejected",
	"merged",
};

static const char *const channels[CORE_CH_MAX] = {
	"web",
	"social_media",
	"phone",
	"letter",
	"walk_in",
	"email",
};

static const char *
name_of(const char *const *names, int n, int v)
{
	if (v < 0 || v >= n)
		return NULL;
	return names[v];
}

static int
parse_of(const char *const *names, int n, const char *s)
{
	int	 i;

	if (s == NULL)
		return -1;
	for (i = 0; i < n; i++)
		if (strcmp(names[i], s) == 0)
			return i;
	return -1;
}

const char *
core_kind_name(enum core_kind v)
{
	return name_of(kinds, CORE_KIND_MAX, (int)v);
}

int
core_kind_parse(const char *s)
{
	return parse_of(kinds, CORE_KIND_MAX, s);
}

const char *
core_visibility_name(enum core_visibility v)
{
	return name_of(visibilities, CORE_VIS_MAX, (int)v);
}

int
core_visibility_parse(const char *s)
{
	return parse_of(visibilities, CORE_VIS_MAX, s);
}

const char *
core_status_name(enum core_status v)
{
	return name_of(statuses, CORE_ST_MAX, (int)v);
}

int
core_status_parse(const char *s)
{
	return parse_of(statuses, CORE_ST_MAX, s);
}

const char *
core_channel_name(enum core_channel v)
{
	return name_of(channels, CORE_CH_MAX, (int)v);
}

int
core_channel_parse(const char *s)
{
	return parse_of(channels, CORE_CH_MAX, s);
}
