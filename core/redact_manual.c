/*
 * redact_manual.c: the central admin's review of what the automatic
 * filter masked, before a case goes to an agency or to the public.
 *
 * A review is a list of entries:
 *
 *   {"phrase": "..."}            mask every occurrence of the phrase
 *   {"start": S, "end": E}       mask bytes S..E of the automatically
 *                                redacted body (what the reviewer saw)
 *   {"unmask": "...", "reason": R}
 *                                undo every automatic mask whose
 *                                original text is this value, for one of
 *                                the reasons in unmask_reasons[]
 *
 * Phrases and unmask values are compared on the normalised shadow
 * (redact_shadow.c) with runs of spaces made one, so that what a browser
 * copies from a selection (a no-break space turned into a space, a
 * line end into a space) finds the text as stored, and so that a phrase
 * cannot be dodged by the same tricks the filter sees through. Every
 * mask is a span of the original; the output is the original with each
 * automatic mask that stays replaced by its marker and each manual
 * stretch (with any automatic mask it touches) by "[disamarkan]".
 *
 * Knuth-Morris-Pratt keeps the phrase search linear whatever the phrase.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"
#include "core_int.h"

static const char *const unmask_reasons[] = {
	"official_contact",	/* an office's public number, address, site */
	"public_official",	/* the name of an official acting in office */
	"needed_for_followup",	/* the agency cannot act without it (the
				   plate of the official car complained of) */
	"not_personal",		/* the filter was wrong */
};

int
core_unmask_reason_ok(const char *r)
{
	size_t i;

	for (i = 0; r != NULL &&
	    i < sizeof(unmask_reasons) / sizeof(unmask_reasons[0]); i++)
		if (strcmp(r, unmask_reasons[i]) == 0)
			return 1;
	return 0;
}

/* One mask of the output being built: a span of the original. */
struct ival {
	size_t	start, end;
	int	kind;		/* CORE_RK_*; CORE_RK_MANUAL for a manual one */
	int	undone;		/* an automatic mask the review undid */
	int	automatic;	/* the filter's: even of kind CORE_RK_MANUAL
				   (a text it could not settle, redact.c),
				   not a stretch of the review's */
};

struct ivals {
	struct ival	*v;
	size_t		 n, cap;
};

static int
ivals_add(struct ivals *iv, size_t start, size_t end, int kind, int undone)
{
	struct ival	*nv;
	size_t		 cap;

	if (iv->n == iv->cap) {
		cap = iv->cap == 0 ? 16 : iv->cap * 2;
		if ((nv = reallocarray(iv->v, cap, sizeof(*nv))) == NULL)
			return -1;
		iv->v = nv;
		iv->cap = cap;
	}
	iv->v[iv->n].start = start;
	iv->v[iv->n].end = end;
	iv->v[iv->n].kind = kind;
	iv->v[iv->n].undone = undone;
	iv->v[iv->n].automatic = 0;
	iv->n++;
	return 0;
}

static int
ival_cmp(const void *a, const void *b)
{
	const struct ival *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->end != y->end)
		return x->end < y->end ? -1 : 1;
	return x->kind - y->kind;
}

/* The shadow of s with runs of spaces made one and none at either end. */
static int
phrase_shadow(const char *s, size_t len, struct core_shadow *sh)
{
	size_t k = 0;

	if (core_shadow_make(s, len, CORE_SHADOW_COLLAPSE, sh) == -1)
		return -1;
	while (k < sh->len && sh->s[k] == ' ')
		k++;
	if (k > 0) {
		memmove(sh->s, sh->s + k, sh->len - k);
		memmove(sh->map, sh->map + k, (sh->len - k + 1) *
		    sizeof(*sh->map));
		sh->len -= k;
	}
	while (sh->len > 0 && sh->s[sh->len - 1] == ' ')
		sh->len--;
	sh->s[sh->len] = '\0';
	return 0;
}

/*
 * Adds a manual mask for every occurrence of the phrase p (its shadow)
 * in the text t (its shadow); *found counts them. Occurrences may
 * overlap ("aa" in "aaa" masks all three).
 */
static int
mark_phrase(const char *text, size_t len, const struct core_shadow *t,
    const struct core_shadow *p, struct ivals *iv, size_t *found)
{
	size_t	*fail, i, k, a, b, s, e;
	int	 rc = 0;

	if (p->len == 0 || t->len < p->len)
		return 0;
	if ((fail = calloc(p->len, sizeof(*fail))) == NULL)
		return -1;
	for (i = 1, k = 0; i < p->len; i++) {
		while (k > 0 && p->s[i] != p->s[k])
			k = fail[k - 1];
		if (p->s[i] == p->s[k])
			k++;
		fail[i] = k;
	}
	for (i = 0, k = 0; i < t->len && rc == 0; i++) {
		while (k > 0 && t->s[i] != p->s[k])
			k = fail[k - 1];
		if (t->s[i] == p->s[k])
			k++;
		if (k == p->len) {
			a = i + 1 - p->len;
			b = i + 1;
			/* whole code points */
			while (a > 0 && t->map[a - 1] == t->map[a])
				a--;
			while (b < t->len && t->map[b] == t->map[b - 1])
				b++;
			core_shadow_span(t, text, len, a, b, &s, &e);
			rc = ivals_add(iv, s, e, CORE_RK_MANUAL, 0);
			(*found)++;
			k = fail[k - 1];
		}
	}
	free(fail);
	return rc;
}

/* Is the original text of span sp the value u (shadows compared)? */
static int
same_value(const char *text, const struct core_redact_span *sp,
    const struct core_shadow *u, int *eq)
{
	struct core_shadow v;

	*eq = 0;
	if (phrase_shadow(text + sp->start, sp->end - sp->start, &v) == -1)
		return -1;
	*eq = v.len == u->len && memcmp(v.s, u->s, v.len) == 0;
	core_shadow_free(&v);
	return 0;
}

static int
utf8_boundary(const char *s, size_t len, size_t pos)
{
	return pos == len || ((unsigned char)s[pos] & 0xc0) != 0x80;
}

/*
 * The original offset of position x of the automatically redacted text
 * (the text with every automatic mask a marker). A position inside a
 * marker gives its span's start (end: its span's end), so a span that
 * cuts into a marker takes all of it.
 */
static size_t
auto_to_orig(const struct core_redact_span *sp, size_t nsp, size_t x,
    int is_end)
{
	size_t	i, apos = 0, opos = 0, plain, ml;

	for (i = 0; i < nsp; i++) {
		plain = sp[i].start - opos;
		if (x < apos + plain || (is_end && x == apos + plain))
			return opos + (x - apos);
		apos += plain;
		ml = strlen(core_redact_marker(sp[i].kind));
		if (x < apos + ml || (is_end && x == apos + ml))
			return is_end ? sp[i].end : sp[i].start;
		apos += ml;
		opos = sp[i].end;
	}
	return opos + (x - apos);
}

/* Sets the 422 message "Redaction N: what". */
static void
entry_error(struct core_errors *errs, size_t i, const char *reason,
    const char *what)
{
	core_errors_add(errs, "redactions", reason);
	snprintf(errs->msgbuf, sizeof(errs->msgbuf), "Redaction %zu: %s",
	    i + 1, what);
	errs->message = errs->msgbuf;
}

/* Shape of one entry. */
static int
entry_shape(const json_t *e, struct core_errors *errs)
{
	const json_t	*ph, *st, *en, *um, *re;

	if (!json_is_object(e)) {
		core_errors_field(errs, "redactions", "must hold objects.");
		return CORE_MALFORMED;
	}
	ph = json_object_get(e, "phrase");
	st = json_object_get(e, "start");
	en = json_object_get(e, "end");
	um = json_object_get(e, "unmask");
	re = json_object_get(e, "reason");
	if (ph != NULL && json_object_size(e) == 1) {
		if (json_is_string(ph))
			return CORE_OK;
		core_errors_field(errs, "redactions.phrase",
		    "must be a string.");
		return CORE_MALFORMED;
	}
	if (st != NULL && en != NULL && json_object_size(e) == 2) {
		if (json_is_integer(st) && json_is_integer(en))
			return CORE_OK;
		core_errors_field(errs, "redactions",
		    "must give start and end as integers.");
		return CORE_MALFORMED;
	}
	if (um != NULL && re != NULL && json_object_size(e) == 2) {
		if (json_is_string(um) && json_is_string(re))
			return CORE_OK;
		core_errors_field(errs, "redactions",
		    "must give unmask and reason as strings.");
		return CORE_MALFORMED;
	}
	core_errors_field(errs, "redactions", "must hold {\"phrase\"}, "
	    "{\"start\",\"end\"} or {\"unmask\",\"reason\"} objects.");
	return CORE_MALFORMED;
}

/* A phrase or value: allowed text, not blank, at most max characters,
 * something left in its shadow. */
static int
text_entry_ok(const char *p, size_t plen, long max)
{
	long n = core_utf8_len(p, plen);

	return core_text_ok(p, plen) && !core_text_blank(p, plen) &&
	    n >= 0 && n <= max;
}

/* One text under review. */
struct rtext {
	const char		*text;	/* sanitised */
	char			*clean;	/* owned copy when sanitised */
	size_t			 len;
	struct core_redact_span	*sp;	/* automatic masks */
	size_t			 nsp;
	unsigned char		*undone; /* per automatic mask */
	struct core_shadow	 sh;	/* collapsed shadow (phrases) */
	struct ivals		 iv;	/* manual masks */
};

static void
rtext_free(struct rtext *t)
{
	if (t->clean != NULL) {
		explicit_bzero(t->clean, t->len);
		free(t->clean);
	}
	free(t->sp);
	free(t->undone);
	core_shadow_free(&t->sh);
	free(t->iv.v);
	memset(t, 0, sizeof(*t));
}

static int
rtext_init(struct rtext *t, const char *text)
{
	size_t len = strlen(text);

	memset(t, 0, sizeof(*t));
	if (core_redact_sanitize(text, len, &t->clean, &len) == -1)
		return -1;
	t->text = t->clean != NULL ? t->clean : text;
	t->len = len;
	if (core_redact_find(t->text, t->len, &t->sp, &t->nsp) == -1 ||
	    (t->undone = calloc(t->nsp + 1, 1)) == NULL ||
	    core_shadow_make(t->text, t->len, CORE_SHADOW_COLLAPSE,
	    &t->sh) == -1)
		return -1;
	return 0;
}

/* The output: manual stretches merged with whatever they touch, the
 * automatic masks that stay as their markers, the undone ones as the
 * original. */
static char *
rtext_render(struct rtext *t, size_t *nmanual)
{
	struct ivals		 all = { NULL, 0, 0 };
	struct core_redact_span	*out = NULL;
	size_t			 i, n = 0, gs, ge;
	int			 manual, kind, undone, count;
	char			*r = NULL;

	for (i = 0; i < t->nsp; i++) {
		if (ivals_add(&all, t->sp[i].start, t->sp[i].end,
		    t->sp[i].kind, t->undone[i]) == -1)
			goto out;
		all.v[all.n - 1].automatic = 1;
	}
	for (i = 0; i < t->iv.n; i++)
		if (ivals_add(&all, t->iv.v[i].start, t->iv.v[i].end,
		    CORE_RK_MANUAL, 0) == -1)
			goto out;
	if (all.n > 0)
		qsort(all.v, all.n, sizeof(*all.v), ival_cmp);
	if ((out = calloc(all.n + 1, sizeof(*out))) == NULL)
		goto out;
	for (i = 0; i < all.n;) {
		gs = all.v[i].start;
		ge = all.v[i].end;
		manual = !all.v[i].automatic;
		kind = all.v[i].kind;
		undone = all.v[i].undone;
		count = 1;
		for (i++; i < all.n; i++) {
			if (all.v[i].start > ge || (all.v[i].start == ge &&
			    !(manual && !all.v[i].automatic)))
				break;
			manual |= !all.v[i].automatic;
			if (all.v[i].end > ge)
				ge = all.v[i].end;
			count++;
		}
		if (manual) {
			out[n].kind = CORE_RK_MANUAL;
			(*nmanual)++;
		} else if (count == 1 && undone)
			continue;
		else
			out[n].kind = kind;
		out[n].start = gs;
		out[n].end = ge;
		n++;
	}
	r = core_redact_render(t->text, t->len, out, n, NULL);
 out:
	free(out);
	free(all.v);
	return r;
}

int
core_redact_review(const char *const *texts, size_t ntexts,
    const json_t *redactions, int flags, char **outs,
    struct core_redact_result *res, struct core_errors *errs)
{
	struct core_errors	 local;
	struct rtext		*rt = NULL;
	struct core_shadow	 ps;
	const json_t		*e, *v;
	const char		*p;
	size_t			 nr = 0, i, t, found, alen, k;
	json_int_t		 st, en;
	long			 max;
	int			 rc, eq, ok;

	if (errs == NULL)
		errs = &local;
	core_errors_reset(errs);
	memset(&ps, 0, sizeof(ps));
	if (res != NULL)
		memset(res, 0, sizeof(*res));
	for (t = 0; t < ntexts; t++)
		outs[t] = NULL;
	if (redactions != NULL) {
		if (!json_is_array(redactions)) {
			core_errors_field(errs, "redactions",
			    "must be an array.");
			return CORE_MALFORMED;
		}
		nr = json_array_size(redactions);
	}
	for (i = 0; i < nr; i++)
		if ((rc = entry_shape(json_array_get(redactions, i), errs)) !=
		    CORE_OK)
			return rc;
	if (nr > CORE_REDACTIONS_MAX) {
		core_errors_add(errs, "redactions", "too long");
		core_errors_set(errs, "There are too many redactions.");
		return CORE_INVALID;
	}

	rc = CORE_NOMEM;
	if ((rt = calloc(ntexts + 1, sizeof(*rt))) == NULL)
		goto out;
	for (t = 0; t < ntexts; t++)
		if (texts[t] != NULL && rtext_init(&rt[t], texts[t]) == -1)
			goto out;

	for (i = 0; i < nr; i++) {
		e = json_array_get(redactions, i);
		if ((v = json_object_get(e, "start")) != NULL) {
			st = json_integer_value(v);
			en = json_integer_value(json_object_get(e, "end"));
			/* Offsets into what the reviewer saw: the body
			 * with the automatic markers, on character edges. */
			if (ntexts == 0 || texts[0] == NULL) {
				entry_error(errs, i, "invalid",
				    "there is no text for a span.");
				rc = CORE_INVALID;
				goto out;
			}
			alen = rt[0].len;
			for (k = 0; k < rt[0].nsp; k++)
				alen += strlen(core_redact_marker(
				    rt[0].sp[k].kind)) - (rt[0].sp[k].end -
				    rt[0].sp[k].start);
			ok = st >= 0 && en > st && (unsigned long long)en <=
			    alen;
			if (ok) {
				char *a = core_redact_render(rt[0].text,
				    rt[0].len, rt[0].sp, rt[0].nsp, NULL);

				if (a == NULL)
					goto out;
				ok = utf8_boundary(a, alen, (size_t)st) &&
				    utf8_boundary(a, alen, (size_t)en);
				explicit_bzero(a, alen);
				free(a);
			}
			if (!ok) {
				entry_error(errs, i, "invalid", "the span is "
				    "not a range of characters of the text.");
				rc = CORE_INVALID;
				goto out;
			}
			if (ivals_add(&rt[0].iv, auto_to_orig(rt[0].sp,
			    rt[0].nsp, (size_t)st, 0), auto_to_orig(rt[0].sp,
			    rt[0].nsp, (size_t)en, 1), CORE_RK_MANUAL, 0) == -1)
				goto out;
			continue;
		}
		v = json_object_get(e, "phrase");
		max = CORE_REDACTION_PHRASE_MAX;
		if (v == NULL) {
			v = json_object_get(e, "unmask");
			max = CORE_UNMASK_VALUE_MAX;
			if (!core_unmask_reason_ok(json_string_value(
			    json_object_get(e, "reason")))) {
				entry_error(errs, i, "invalid", "the reason "
				    "must be official_contact, "
				    "public_official, needed_for_followup or "
				    "not_personal.");
				rc = CORE_INVALID;
				goto out;
			}
		}
		p = json_string_value(v);
		if (!text_entry_ok(p, json_string_length(v), max)) {
			entry_error(errs, i, "invalid", "the text is empty, "
			    "too long or not allowed.");
			rc = CORE_INVALID;
			goto out;
		}
		if (phrase_shadow(p, json_string_length(v), &ps) == -1)
			goto out;
		if (ps.len == 0) {
			entry_error(errs, i, "invalid", "the text is empty, "
			    "too long or not allowed.");
			rc = CORE_INVALID;
			goto out;
		}
		found = 0;
		for (t = 0; t < ntexts; t++) {
			if (texts[t] == NULL)
				continue;
			if (json_object_get(e, "phrase") != NULL) {
				if (mark_phrase(rt[t].text, rt[t].len,
				    &rt[t].sh, &ps, &rt[t].iv, &found) == -1)
					goto out;
				continue;
			}
			for (k = 0; k < rt[t].nsp; k++) {
				if (same_value(rt[t].text, &rt[t].sp[k], &ps,
				    &eq) == -1)
					goto out;
				if (eq && !rt[t].undone[k]) {
					rt[t].undone[k] = 1;
					if (res != NULL)
						res->unmasked[rt[t].sp[k].kind]++;
				}
				found += eq;
			}
		}
		core_shadow_free(&ps);
		if (found == 0 && (flags & CORE_REVIEW_FOUND)) {
			entry_error(errs, i, "not found",
			    json_object_get(e, "phrase") != NULL ?
			    "the phrase does not occur in the text." :
			    "no automatic mask hides this value.");
			rc = CORE_INVALID;
			goto out;
		}
	}

	for (t = 0; t < ntexts; t++) {
		if (texts[t] == NULL)
			continue;
		k = 0;
		if ((outs[t] = rtext_render(&rt[t], &k)) == NULL)
			goto out;
		if (res != NULL)
			res->manual += k;
	}
	rc = CORE_OK;
 out:
	core_shadow_free(&ps);
	for (t = 0; rt != NULL && t < ntexts; t++)
		rtext_free(&rt[t]);
	free(rt);
	if (rc != CORE_OK) {
		for (t = 0; t < ntexts; t++) {
			if (outs[t] != NULL) {
				explicit_bzero(outs[t], strlen(outs[t]));
				free(outs[t]);
			}
			outs[t] = NULL;
		}
		if (res != NULL)
			memset(res, 0, sizeof(*res));
	}
	if (rc == CORE_NOMEM)
		core_errors_set(errs, "Out of memory.");
	return rc;
}

int
core_redact_manual(const char *text, const json_t *redactions, char **out,
    struct core_errors *errs)
{
	const char *texts[1];

	texts[0] = text != NULL ? text : "";
	return core_redact_review(texts, 1, redactions, 0, out, NULL, errs);
}
