/*
 * pages_form.c: the fields of a web form, parsed once at the boundary.
 *
 * http.c keeps a form's body whole (SRV_BODY_FORM); here libmicrohttpd's
 * own post processor reads it, URL-encoded or multipart/form-data, as the
 * API's attachment route does. Each value is kept up to a cap given by
 * the page (text fields) or max_attachment_bytes (files), in at most
 * FORM_FIELDS_MAX fields; a field name longer than FORM_NAME_MAX, a NUL
 * byte in a text value or an encoding other than binary makes the whole
 * form malformed (400), as a browser never sends those. Files are
 * counted; page_common_form refuses a second one unless the page takes several.
 * Values are wiped when the form is freed: they hold report text,
 * identities, tokens and passwords.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <microhttpd.h>

#include "server/pages.h"

struct fstate {
	struct form	*f;
	size_t		 text_max, file_max;
	int		 last_empty;
	char		 last_key[FORM_NAME_MAX + 1];
};

static void
field_drop(struct form_field *ff)
{
	if (ff->value != NULL) {
		crypto_wipe(ff->value, ff->cap);
		free(ff->value);
	}
	memset(ff, 0, sizeof(*ff));
}

static enum MHD_Result
on_field(void *cls, enum MHD_ValueKind kind, const char *key,
    const char *filename, const char *ctype, const char *enc,
    const char *data, uint64_t off, size_t size)
{
	struct fstate		*s = cls;
	struct form		*f = s->f;
	struct form_field	*ff;
	size_t			 max, cap;
	char			*p;

	(void)kind;
	(void)ctype;
	if (key == NULL || strlen(key) > FORM_NAME_MAX ||
	    (enc != NULL && strcasecmp(enc, "binary") != 0 &&
	    strcasecmp(enc, "8bit") != 0 && strcasecmp(enc, "7bit") != 0)) {
		f->bad = 1;
		return MHD_NO;
	}
	if (off == 0 && !(s->last_empty && strcmp(s->last_key, key) == 0)) {
		if (f->n == FORM_FIELDS_MAX) {
			f->bad = 1;
			return MHD_NO;
		}
		ff = &f->f[f->n++];
		memset(ff, 0, sizeof(*ff));
		memcpy(ff->name, key, strlen(key) + 1);
		if (filename != NULL) {
			/* Non-empty files are counted at the end (f->files):
			 * the page refuses a second one unless it takes
			 * several; an empty file input is "no file". */
			ff->file = 1;
			srv_attach_name_clean(filename, ff->fname);
		}
	} else if (f->n == 0) {
		f->bad = 1;
		return MHD_NO;
	}
	ff = &f->f[f->n - 1];
	if (off != ff->len) {
		f->bad = 1;
		return MHD_NO;
	}
	s->last_empty = off == 0 && size == 0;
	memcpy(s->last_key, key, strlen(key) + 1);
	if (size == 0)
		return MHD_YES;
	max = ff->file ? s->file_max : s->text_max;
	if (size > max - ff->len) {
		f->too_large = 1;
		return MHD_NO;
	}
	if (ff->len + size + 1 > ff->cap) {
		cap = ff->cap != 0 ? ff->cap : 256;
		while (cap < ff->len + size + 1)
			cap *= 2;
		if (cap > max + 1)
			cap = max + 1;
		if ((p = malloc(cap)) == NULL) {
			f->bad = 1;
			return MHD_NO;
		}
		if (ff->value != NULL) {
			memcpy(p, ff->value, ff->len);
			crypto_wipe(ff->value, ff->cap);
			free(ff->value);
		}
		ff->value = p;
		ff->cap = cap;
	}
	memcpy(ff->value + ff->len, data, size);
	ff->len += size;
	ff->value[ff->len] = '\0';
	return MHD_YES;
}

int
page_form_parse(const struct srv_request *rq, const struct srv_config *cfg,
    size_t text_max, struct form *f)
{
	struct MHD_PostProcessor	*pp;
	struct fstate			 s;
	size_t				 i, files = 0;

	memset(f, 0, sizeof(*f));
	memset(&s, 0, sizeof(s));
	s.f = f;
	s.text_max = text_max;
	s.file_max = cfg->max_attachment_bytes;
	if (rq->conn == NULL || (pp = MHD_create_post_processor(rq->conn,
	    SRV_MULTIPART_BUFFER, on_field, &s)) == NULL) {
		f->bad = 1;
		return -1;
	}
	if (rq->len > 0 && MHD_post_process(pp, rq->body, rq->len) == MHD_NO &&
	    !f->too_large)
		f->bad = 1;
	if (MHD_destroy_post_processor(pp) == MHD_NO && !f->too_large)
		f->bad = 1;	/* cut short */
	for (i = 0; i < f->n; i++) {
		if (f->f[i].file) {
			if (f->f[i].len > 0)
				files++;
			continue;
		}
		if (f->f[i].value != NULL &&
		    memchr(f->f[i].value, '\0', f->f[i].len) != NULL)
			f->bad = 1;
	}
	f->files = files;
	return f->bad || f->too_large ? -1 : 0;
}

const char *
page_form_get(const struct form *f, const char *name)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (!f->f[i].file && strcmp(f->f[i].name, name) == 0)
			return f->f[i].value != NULL ? f->f[i].value : "";
	return NULL;
}

const char *
page_form_text(const struct form *f, const char *name)
{
	const char *v = page_form_get(f, name);

	return v != NULL && v[0] != '\0' ? v : NULL;
}

const struct form_field *
page_form_file(const struct form *f, const char *name)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		if (f->f[i].file && f->f[i].len > 0 &&
		    strcmp(f->f[i].name, name) == 0)
			return &f->f[i];
	return NULL;
}

const struct form_field *
page_form_file_next(const struct form *f, const char *name, size_t *i)
{
	while (*i < f->n) {
		const struct form_field *ff = &f->f[(*i)++];

		if (ff->file && ff->len > 0 && strcmp(ff->name, name) == 0)
			return ff;
	}
	return NULL;
}

void
page_form_free(struct form *f)
{
	size_t i;

	for (i = 0; i < f->n; i++)
		field_drop(&f->f[i]);
	f->n = 0;
}
