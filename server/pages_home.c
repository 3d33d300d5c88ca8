/*
 * pages_home.c: "/", what Bisik is and what stays secret from whom, in
 * plain words, with the ways to file and to follow a report.
 *
 * The words about identities are exact for this server: how many central
 * admins of how many must act together is read from the installed escrow
 * key, and a server without one says that it takes no identities.
 *
 * The page also shows the fingerprint of the identity escrow key with
 * where to check it: it is served by the operator it guards against, so
 * it can only point to the places the operator does not control (the
 * agency's own site, its posters), never vouch for itself.
 */
#include <string.h>

#include "server/pages.h"

void
page_home(struct srv_ctx *ctx, const struct srv_request *rq,
    struct srv_reply *rp)
{
	struct page	 p;
	struct html	*h = &p.h;
	char		 fp[CRYPTO_ESCROW_FP_TEXT];
	unsigned	 k = 0, n = 0;
	int		 escrow;

	page_common_init(&p, ctx, rq, rp);
	escrow = page_common_escrow(&p, &k, &n, fp) == 0;
	page_common_head(&p, page_common_tr(&p, M_HOME_TITLE), NAV_HOME, 0);
	HTML(h, LIT("<h1>"), TR(M_HOME_TITLE), LIT("</h1>\n<p class=\"lead\">"),
	    TR(M_HOME_LEAD), LIT("</p>\n<p class=\"cta\"><a class=\"button\" "
	    "href=\"/lapor"), RAW(page_common_lq(&p, 1)), LIT("\">"),
	    TR(M_HOME_CTA_LAPOR), LIT("</a> <a class=\"button alt\" "
	    "href=\"/pantau"), RAW(page_common_lq(&p, 1)), LIT("\">"),
	    TR(M_HOME_CTA_PANTAU), LIT("</a></p>\n"));
	HTML(h, LIT("<h2>"), TR(M_HOME_SECRET_H), LIT("</h2>\n<ul>\n<li>"),
	    TR(M_HOME_SECRET_1), LIT("</li>\n<li id=\"kunci\">"));
	if (escrow)
		page_common_trn(&p, M_HOME_SECRET_2K, k, n);
	else
		HTML(h, TR(M_HOME_SECRET_2_NONE));
	HTML(h, LIT("</li>\n<li>"), TR(M_HOME_SECRET_3), LIT("</li>\n<li>"),
	    TR(M_HOME_SECRET_6), LIT("</li>\n<li>"), TR(M_HOME_SECRET_4),
	    LIT("</li>\n<li>"), TR(M_HOME_SECRET_5), LIT("</li>\n</ul>\n"));
	HTML(h, LIT("<h2>"), TR(M_HOME_HOW_H), LIT("</h2>\n<ol>\n<li>"),
	    TR(M_HOME_HOW_1), LIT("</li>\n<li>"), TR(M_HOME_HOW_2),
	    LIT("</li>\n<li>"), TR(M_HOME_HOW_3), LIT("</li>\n<li>"),
	    TR(M_HOME_HOW_4), LIT("</li>\n</ol>\n"));
	HTML(h, LIT("<h2>"), TR(M_HOME_SAFE_H), LIT("</h2>\n<ul>\n<li>"),
	    TR(M_HOME_SAFE_1), LIT("</li>\n<li>"), TR(M_HOME_SAFE_2),
	    LIT("</li>\n<li>"), TR(M_HOME_SAFE_3), LIT("</li>\n</ul>\n"));
	if (escrow)
		page_common_escrow_fp(&p, fp);
	page_common_foot(&p);
	page_common_send(&p, 200);
	page_common_free(&p);
}
