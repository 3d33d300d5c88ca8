/*
 * lib.js: what Bisik's browser tests share (tests/browser/*.test.js, run
 * by tests/e2e/e2e_browser.sh against a bisikd it started).
 *
 *  - launch(): Debian's chromium through playwright-core, as the other
 *    tests do; watch(ctx): every console error, page error (a CSP
 *    refusal is a console error), failed request and request to another
 *    host becomes a problem that fails the run.
 *  - A page state is checked by check(page, state): no horizontal
 *    overflow at a phone's width (the document's scroll width within its
 *    client width), and axe-core (tests/browser/node_modules, pinned in
 *    package-lock.json) with 0 violations of any impact. A state whose
 *    check fails leaves a full-page screenshot in SHOTS named
 *    FLOW-STATE-LANG-WIDTH-js|nojs.png, and SHOTS_ALL=1 leaves one of
 *    every state (a third of the run's time goes to full-page
 *    screenshots, which no check reads).
 *  - axe needs script in the page. With JavaScript on it is evaluated in
 *    the page through the DevTools protocol (the page's CSP does not
 *    apply to that, and the page's own scripts are untouched). With
 *    JavaScript off a page cannot run it (chromium even drops the page),
 *    so the DOM the browser built without script is loaded into a page
 *    of a separate script-enabled context whose own scripts are served
 *    empty: the same markup, style sheet and width, none of the page's
 *    JavaScript; axe runs there.
 *  - Tests print "ok - NAME" / "not ok - NAME: DETAIL" and a count.
 *
 * Environment: SRV_URL, SHOTS (a directory), WAIT_MS (the server's
 * form_min_seconds in ms), PASSWORD (the staff password), SHOTS_ALL=1 for
 * a screenshot of every state, REDUCED=1 for
 * the short run of the sanitizer build (the phone's width only, and no
 * axe: the markup is the same as the release build's, checked in full).
 */
'use strict';

const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');

const URL_BASE = process.env.SRV_URL;
const SHOTS = process.env.SHOTS;
const WAIT_MS = parseInt(process.env.WAIT_MS || '2000', 10);
const PASSWORD = process.env.PASSWORD;
const REDUCED = process.env.REDUCED === '1';
const SHOTS_ALL = process.env.SHOTS_ALL === '1';
const HOST = new URL(URL_BASE).host;
const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/* The widths every state is seen at: a desktop and a small phone. */
const DESKTOP = 1280;
const PHONE = 390;
const HEIGHT = 900;

const counts = { passed: 0, failed: 0, checks: 0 };
/* Where the time goes (ms), printed at the end. */
const spent = { screenshot: 0, axe: 0, overflow: 0 };
const problems = [];

function ok(name) {
	counts.passed++;
	console.log('ok - ' + name);
}

function notok(name, why) {
	counts.failed++;
	console.log('not ok - ' + name + ': ' +
	    String(why).replace(/\s+/g, ' ').slice(0, 600));
}

async function step(name, fn) {
	try {
		await fn();
		ok(name);
	} catch (e) {
		notok(name, e && e.message ? e.message : e);
	}
}

function expect(cond, why) {
	if (!cond)
		throw new Error(why);
}

async function launch() {
	return chromium.launch({
		executablePath: '/usr/bin/chromium',
		headless: true,
		args: ['--headless', '--no-sandbox', '--disable-gpu',
		    '--disable-quic', '--no-first-run',
		    '--disable-background-networking',
		    '--disable-component-update', '--disable-sync'],
		/* playwright gives chromium a fresh, empty --user-data-dir
		 * of its own for every launch. */
	});
}

/* Watches a context: console errors, page errors, failed requests and
 * any request to another host. */
function watch(ctx, label) {
	ctx.on('request', (r) => {
		const u = new URL(r.url());
		if (u.protocol !== 'data:' && u.host !== HOST)
			problems.push(label + ': request to another host: ' + r.url());
	});
	ctx.on('requestfailed', (r) => {
		/* A download is handed to the browser, not a failure; and
		 * the browser's own icon fetch is cut off when a form is
		 * sent before it ends. Anything else that fails counts. */
		const f = r.failure();
		if (f && /ERR_ABORTED/.test(f.errorText) &&
		    (r.resourceType() === 'document' ||
		    new URL(r.url()).pathname === '/static/ikon.svg'))
			return;
		problems.push(label + ': request failed: ' + r.url() + ' ' + (f ? f.errorText : ''));
	});
	/* An error page is meant (a refused form answers 422, a wrong
	 * token 401): a document's status is the test's business. Anything
	 * else a page loads must load. */
	ctx.on('response', (r) => {
		if (r.status() >= 400 && r.request().resourceType() !== 'document')
			problems.push(label + ': ' + r.status() + ' for ' + r.url());
	});
	ctx.on('page', (page) => {
		page.on('console', (m) => {
			if (m.type() === 'error' &&
			    !/^Failed to load resource: the server responded/.test(m.text()))
				problems.push(label + ': console error: ' + m.text());
		});
		page.on('pageerror', (e) => problems.push(label + ': page error: ' + e.message));
	});
}

async function newContext(browser, js, locale) {
	/* An Indonesian browser unless told: the pages' default language
	 * is what it asks for. */
	const ctx = await browser.newContext({
		javaScriptEnabled: js,
		locale: locale || 'id-ID',
		viewport: { width: DESKTOP, height: HEIGHT },
	});
	watch(ctx, js ? 'js' : 'nojs');
	return ctx;
}

function shotName(s, width) {
	return [s.flow, s.state, s.lang, String(width), s.js ? 'js' : 'nojs']
	    .join('-') + '.png';
}

/* The context axe runs in for pages seen without JavaScript. */
let axeCtx = null;
let axePage = null;
let axeDoc = null;

async function axeSetup(browser) {
	axeCtx = await browser.newContext({ javaScriptEnabled: true });
	await axeCtx.route('**/*', (route) => {
		const r = route.request();
		if (axeDoc !== null && r.isNavigationRequest() &&
		    r.url() === axeDoc.url)
			return route.fulfill({ status: 200, body: axeDoc.html,
			    contentType: 'text/html; charset=utf-8' });
		if (r.resourceType() === 'script')
			return route.fulfill({ status: 200, body: '',
			    contentType: 'text/javascript' });
		return route.continue();
	});
	axePage = await axeCtx.newPage();
	/* A check that cannot fail proves nothing: axe must find a
	 * known violation in both ways it is run. */
	await step('axe-core finds a known violation', async () => {
		axeDoc = { url: URL_BASE + '/axe-self-test', html: '<!DOCTYPE html>' +
		    '<html lang="id"><head><title>uji</title></head><body><main>' +
		    '<img src="/static/ikon.svg"><input type="text"></main></body></html>' };
		await axePage.goto(axeDoc.url);
		await axePage.evaluate(AXE);
		const v = (await axePage.evaluate(axeRun)).join(' ');
		expect(/image-alt/.test(v) && /label/.test(v), 'found: ' + v);
		axeDoc = null;
	});
}

function axeRun() {
	/* global axe */
	/* No iframes on these pages; preloading style sheets only serves
	 * a rule about orientation locks, which the style sheet has none of. */
	return axe.run(document, { resultTypes: ['violations'], iframes: false,
	    preload: false }).then((r) =>
	    r.violations.map((v) => v.id + ' (' + v.impact + '): ' +
	    v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')));
}

/*
 * check() sees each state at both widths without leaving the page, so
 * axe (half a megabyte of script) is put into a document once and run
 * again after the resize; a page seen without JavaScript is loaded into
 * axePage again only when its markup changed.
 */
async function axeCheck(page, js) {
	let target = page;

	if (!js) {
		const doc = { url: page.url(), html: await page.content() };

		await axePage.setViewportSize(page.viewportSize());
		if (axeDoc === null || doc.url !== axeDoc.url ||
		    doc.html !== axeDoc.html) {
			axeDoc = doc;
			await axePage.goto(axeDoc.url);
		}
		target = axePage;
	}
	if (!await target.evaluate(() => typeof window.axe === 'object'))
		await target.evaluate(AXE);
	return target.evaluate(axeRun);
}

async function snap(page, name) {
	const t = Date.now();

	await page.screenshot({ path: path.join(SHOTS, name), fullPage: true });
	spent.screenshot += Date.now() - t;
}

/*
 * One page state at one width: no overflow at the phone's width, and axe.
 * s: { flow, state, lang, js }. Each check is one "ok" line; a failure
 * names the state and leaves its screenshot (SHOTS_ALL=1: every state's).
 */
async function checkAt(page, s, width) {
	const name = shotName(s, width);

	counts.checks++;
	await step('state ' + name.replace(/\.png$/, ''), async () => {
		await page.setViewportSize({ width, height: HEIGHT });
		if (SHOTS_ALL)
			await snap(page, name);
		try {
			await checkState(page, s, width);
		} catch (e) {
			if (!SHOTS_ALL)
				await snap(page, name).catch(() => {});
			throw e;
		}
	});
}

async function checkState(page, s, width) {
	let t;

	const lang = await page.getAttribute('html', 'lang');
	expect(lang === s.lang, 'page language ' + lang + ', not ' + s.lang);
	if (width === PHONE) {
		t = Date.now();
		const o = await page.evaluate(() => [
		    document.documentElement.scrollWidth,
		    document.documentElement.clientWidth]);
		spent.overflow += Date.now() - t;
		expect(o[0] <= o[1], 'overflows: scroll width ' + o[0] +
		    ' > ' + o[1]);
	}
	/* The reduced run is the sanitizer build's: it is there for the
	 * server under sanitizers; the markup is the release build's, which
	 * axe checks in full. */
	if (REDUCED)
		return;
	t = Date.now();
	const v = await axeCheck(page, s.js);
	spent.axe += Date.now() - t;
	expect(v.length === 0, 'axe: ' + v.join('; '));
}

/* Every width of the matrix (the reduced run: the phone only). */
function widths() {
	return REDUCED ? [PHONE] : [DESKTOP, PHONE];
}

async function check(page, s) {
	for (const w of widths())
		await checkAt(page, s, w);
	await page.setViewportSize({ width: DESKTOP, height: HEIGHT });
}

/* The page's language switch (a link, or a form that posts the page's
 * fields again), followed. */
async function switchLang(page) {
	const sel = 'header .lang, header form.lang button';
	await Promise.all([page.waitForNavigation(), page.click(sel)]);
}

async function waitIdle(page) {
	await page.waitForLoadState('networkidle');
}

module.exports = {
	URL_BASE, SHOTS, WAIT_MS, PASSWORD, REDUCED, DESKTOP, PHONE,
	counts, problems, ok, notok, step, expect, launch, watch, newContext,
	axeSetup, check, checkAt, shotName, switchLang, waitIdle,
	finish: async (browser) => {
		await step('no console error, failed request or other host', async () => {
			expect(problems.length === 0, problems.join('; '));
		});
		if (axeCtx !== null)
			await axeCtx.close();
		console.log('# time in checks (ms): screenshots ' + spent.screenshot +
		    ', axe ' + spent.axe + ', overflow ' + spent.overflow);
		await browser.close();
		console.log(counts.passed + ' passed, ' + counts.failed + ' failed');
		process.exit(counts.failed ? 1 : 0);
	},
};
