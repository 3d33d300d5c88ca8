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

	page_init(&p, ctx, rq, rp);
	escrow = page_escrow(&p, &k, &n, fp) == 0;
	page_head(&p, page_tr(&p, M_HOME_TITLE), NAV_HOME, 0);
	html_put(h, "<h1>%t</h1>\n<p class=\"lead\">%t</p>\n"
	    "<p class=\"cta\"><a class=\"button\" href=\"/lapor%r\">%t</a> "
	    "<a class=\"button alt\" href=\"/pantau%r\">%t</a></p>\n",
	    M_HOME_TITLE, M_HOME_LEAD, page_lq(&p, 1), M_HOME_CTA_LAPOR,
	    page_lq(&p, 1), M_HOME_CTA_PANTAU);
	html_put(h, "<h2>%t</h2>\n<ul>\n<li>%t</li>\n<li id=\"kunci\">",
	    M_HOME_SECRET_H, M_HOME_SECRET_1);
	if (escrow)
		page_trn(&p, M_HOME_SECRET_2K, k, n);
	else
		html_put(h, "%t", M_HOME_SECRET_2_NONE);
	html_put(h, "</li>\n<li>%t</li>\n<li>%t</li>\n<li>%t</li>\n"
	    "<li>%t</li>\n</ul>\n", M_HOME_SECRET_3, M_HOME_SECRET_6,
	    M_HOME_SECRET_4, M_HOME_SECRET_5);
	html_put(h, "<h2>%t</h2>\n<ol>\n<li>%t</li>\n<li>%t</li>\n<li>%t</li>\n"
	    "<li>%t</li>\n</ol>\n", M_HOME_HOW_H, M_HOME_HOW_1, M_HOME_HOW_2,
	    M_HOME_HOW_3, M_HOME_HOW_4);
	html_put(h, "<h2>%t</h2>\n<ul>\n<li>%t</li>\n<li>%t</li>\n<li>%t</li>\n"
	    "</ul>\n", M_HOME_SAFE_H, M_HOME_SAFE_1, M_HOME_SAFE_2,
	    M_HOME_SAFE_3);
	if (escrow)
		page_escrow_fp(&p, fp);
	page_foot(&p);
	page_send(&p, 200);
	page_free(&p);
}
