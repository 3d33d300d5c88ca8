/*
 * pages.test.js: Bisik's pages in a real browser (Debian's chromium driven
 * by playwright-core), as tests/e2e/e2e_browser.sh runs it against a
 * bisikd it started. Prints "ok - ..." / "not ok - ..." lines.
 *
 * A reporter files with JavaScript on (the form's proof of work is
 * solved by /static/pow.js and accepted by the server's
 * crypto_pow_verify: sent to POW_URL, a server whose waiting time, 600 s,
 * outlasts the whole run, nothing else can let it through) and with
 * JavaScript off (the signed challenge and the wait), follows the
 * case with the token, replies; staff sign in, dispose, accept and
 * resolve; the reporter sees the resolution and rates it. The central
 * admin reviews a report's redaction: with JavaScript by selecting text
 * (review.js) and the preview; without, by the phrase field, a refused
 * phrase kept as typed, and undoing an automatic mask. Every page is
 * screenshot into SHOTS; any console error, page error, failed request or
 * request to another host fails the run.
 *
 * Environment: SRV_URL, POW_URL (the proof-of-work-only server), SHOTS
 * (a directory), WAIT_MS (SRV_URL's form_min_seconds in ms), PASSWORD (the
 * staff password), REDUCED=1 for the short run of the sanitizer build.
 * No check here judges how long anything took: waits only bound the run.
 */
'use strict';

const fs = require('fs');
const path = require('path');
const { chromium } = require('playwright-core');

const URL_BASE = process.env.SRV_URL;
const POW_URL = process.env.POW_URL;
const SHOTS = process.env.SHOTS;
const WAIT_MS = parseInt(process.env.WAIT_MS || '2000', 10);
const PASSWORD = process.env.PASSWORD;
const REDUCED = process.env.REDUCED === '1';
const HOSTS = [new URL(URL_BASE).host, new URL(POW_URL).host];

let passed = 0;
let failed = 0;
const problems = [];
/* Console errors a step provokes on purpose (a page answered 422), each
 * allowed once. */
const expected = [];

function ok(name) {
	passed++;
	console.log('ok - ' + name);
}

function notok(name, why) {
	failed++;
	console.log('not ok - ' + name + ': ' + String(why).replace(/\s+/g, ' ').slice(0, 400));
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

/* Watches a context: console errors, page errors, failed requests and
 * any request to another host. */
function watch(ctx, label) {
	ctx.on('request', (r) => {
		const u = new URL(r.url());
		if (u.protocol !== 'data:' && !HOSTS.includes(u.host))
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
	ctx.on('page', (page) => {
		page.on('console', (m) => {
			const i = expected.findIndex((x) => m.text().includes(x));
			if (m.type() === 'error' && i >= 0)
				expected.splice(i, 1);	/* a refusal the test asked for */
			else if (m.type() === 'error')
				problems.push(label + ': console error: ' + m.text());
		});
		page.on('pageerror', (e) => problems.push(label + ': page error: ' + e.message));
	});
}

async function shot(page, name) {
	await page.screenshot({ path: path.join(SHOTS, name + '.png'), fullPage: true });
}

async function fillReport(page, title) {
	await page.fill('#title', title);
	await page.fill('#body', 'Lampu jalan di depan pasar mati sejak dua minggu, jalan gelap dan rawan.');
	await page.selectOption('#agency', 'dinas-pu');
}

/* The receipt page: case number and token (groups joined by "-"). */
async function readReceipt(page) {
	const ref = (await page.textContent('.caseref')).trim();
	const groups = await page.$$eval('.token .g', (els) => els.map((e) => e.textContent));
	return { ref, token: groups.join('-') };
}

async function staffLogin(browser, user) {
	const ctx = await browser.newContext();
	watch(ctx, 'staff ' + user);
	const page = await ctx.newPage();
	await page.goto(URL_BASE + '/staf');
	await page.fill('#username', user);
	await page.fill('#password', PASSWORD);
	await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
	return { ctx, page };
}

async function act(page, action, fill) {
	const form = page.locator('form:has(input[name=action][value=' + action + '])');
	if (fill)
		await fill(form);
	await Promise.all([page.waitForNavigation(),
	    form.locator('button[type=submit]:not([name=preview])').click()]);
}

/* Files a report through /lapor in ctx (with JavaScript the proof of
 * work lets it through at once; without, after the wait). */
async function fileReport(ctx, title, body, withJs) {
	const page = await ctx.newPage();
	await page.goto(URL_BASE + '/lapor');
	await page.fill('#title', title);
	await page.fill('#body', body);
	await page.selectOption('#agency', 'dinas-pu');
	if (!withJs)
		await page.waitForTimeout(WAIT_MS + 300);
	await Promise.all([page.waitForNavigation({ timeout: 30000 }),
	    page.click('#lapor button[type=submit]')]);
	const r = await readReceipt(page);
	await page.close();
	return r;
}

/* Selects the first occurrence of word in #review-text. */
async function selectInReview(page, word) {
	return page.evaluate((w) => {
		const root = document.getElementById('review-text');
		const walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
		let n;
		while ((n = walk.nextNode())) {
			const i = n.data.indexOf(w);
			if (i < 0)
				continue;
			const r = document.createRange();
			r.setStart(n, i);
			r.setEnd(n, i + w.length);
			const s = window.getSelection();
			s.removeAllRanges();
			s.addRange(r);
			return true;
		}
		return false;
	}, word);
}

/* A complaint with personal data of several kinds (a no-break space in
 * the phone number) and an official's name only a person can judge. */
const REVIEW_BODY = 'Nama saya Budi Santoso, warga RT 03. Pak Darmawan di loket ' +
    'minta uang Rp 50.000. Hubungi 0812\u00a03456\u00a07890.';

(async () => {
	let browser;
	try {
		browser = await chromium.launch({
			executablePath: '/usr/bin/chromium',
			headless: true,
			args: ['--headless', '--no-sandbox', '--disable-gpu',
			    '--disable-quic', '--no-first-run',
			    '--disable-background-networking',
			    '--disable-component-update', '--disable-sync'],
			/* playwright gives chromium a fresh, empty
			 * --user-data-dir of its own for every launch. */
		});
	} catch (e) {
		notok('chromium starts', e.message);
		console.log(passed + ' passed, ' + failed + ' failed');
		process.exit(1);
	}
	ok('chromium starts');
	const js = await browser.newContext();
	watch(js, 'js');
	const nojs = await browser.newContext({ javaScriptEnabled: false });
	watch(nojs, 'nojs');

	let jsCase = null, noCase = null;

	await step('BLAKE2b-256 of pow.js matches the RFC 7693 vector', async () => {
		const page = await js.newPage();
		await page.goto(URL_BASE + '/lapor');
		const h = await page.evaluate(() => window.bisikBlake2b256Hex('abc'));
		expect(h === 'bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319', h);
		await page.waitForLoadState('networkidle');
		await page.close();
	});

	await step('with JavaScript: the proof of work is solved and accepted', async () => {
		/* POW_URL waits 600 s for a form without a proof of work:
		 * only the proof of work can let this one through. */
		const page = await js.newPage();
		await page.goto(POW_URL + '/lapor');
		await shot(page, '01-lapor');
		await fillReport(page, 'Lampu jalan mati (JS)');
		await Promise.all([page.waitForNavigation({ timeout: 30000 }),
		    page.click('#lapor button[type=submit]')]);
		expect(await page.locator('.caseref').count() === 1,
		    'no receipt: ' + (await page.textContent('main')).slice(0, 300));
		jsCase = await readReceipt(page);
		await shot(page, '02-receipt');
		await page.waitForLoadState('networkidle');
		await page.close();
	});

	await step('without JavaScript: the form is accepted after the wait', async () => {
		const page = await nojs.newPage();
		await page.goto(URL_BASE + '/lapor');
		await fillReport(page, 'Lampu jalan mati (tanpa JS)');
		await page.waitForTimeout(WAIT_MS + 300);
		await Promise.all([page.waitForNavigation(), page.click('#lapor button[type=submit]')]);
		expect(await page.locator('.caseref').count() === 1,
		    'no receipt: ' + (await page.textContent('main')).slice(0, 300));
		noCase = await readReceipt(page);
		expect(/^BSK-\d{4}-\d{6,}$/.test(noCase.ref), noCase.ref);
		expect(noCase.token.length === 39, 'token ' + noCase.token.length);
		await shot(page, '03-receipt-nojs');
		expect(!page.url().includes(noCase.token.slice(0, 9)), 'token in URL');
		await page.waitForLoadState('networkidle');
		await page.close();
	});

	async function follow(ctx, tok) {
		const page = await ctx.newPage();
		await page.goto(URL_BASE + '/pantau');
		await page.fill('#token', tok);
		await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
		return page;
	}

	await step('without JavaScript: follow the case with the token and reply', async () => {
		expect(noCase, 'no case');
		const page = await follow(nojs, noCase.token);
		expect((await page.textContent('h1')).includes(noCase.ref), 'case not shown');
		await page.fill('#reply', 'Tambahan: lampu di tiang nomor 12 juga mati.');
		await Promise.all([page.waitForNavigation(), page.click('form:has(#reply) button')]);
		expect((await page.textContent('main')).includes('tiang nomor 12'), 'reply not shown');
		expect(!page.url().includes(noCase.token.slice(0, 9)), 'token in URL');
		await shot(page, '04-pantau-reply');
		await page.waitForLoadState('networkidle');
		await page.close();
	});

	if (!REDUCED) {
		await step('staff: central admin disposes', async () => {
			const { ctx, page } = await staffLogin(browser, 'pusat');
			expect((await page.textContent('main')).includes(noCase.ref), 'case not in queue');
			await shot(page, '05-staf-queue');
			await Promise.all([page.waitForNavigation(), page.click('a:text("' + noCase.ref + '")')]);
			await shot(page, '06-staf-case');
			await act(page, 'dispose', (f) => f.locator('select[name=agency]').selectOption('dinas-pu'));
			expect(await page.locator('.notice').count() === 1, 'no confirmation');
			await page.waitForLoadState('networkidle');
			await ctx.close();
		});
		await step('staff: agency admin accepts', async () => {
			const { ctx, page } = await staffLogin(browser, 'admin-pu');
			await page.goto(URL_BASE + '/staf/kasus/' + noCase.ref);
			await act(page, 'accept', (f) => f.locator('select[name=liaison]').selectOption('lia-pu'));
			expect(await page.locator('.notice').count() === 1, 'no confirmation');
			await page.waitForLoadState('networkidle');
			await ctx.close();
		});
		await step('staff: liaison resolves', async () => {
			const { ctx, page } = await staffLogin(browser, 'lia-pu');
			await page.goto(URL_BASE + '/staf/kasus/' + noCase.ref);
			await act(page, 'resolve', (f) => f.locator('textarea[name=resolution]')
			    .fill('Lampu sudah diganti pada hari Senin.'));
			await shot(page, '07-staf-resolved');
			await page.waitForLoadState('networkidle');
			await ctx.close();
		});
		await step('staff, JavaScript on: select text, mask it, see the preview, dispose', async () => {
			const rc = await fileReport(js, 'Pungli di loket (tinjau JS)', REVIEW_BODY, true);
			const { ctx, page } = await staffLogin(browser, 'pusat');
			await page.goto(URL_BASE + '/staf/kasus/' + rc.ref);
			const kinds = await page.$$eval('#review-text mark.auto', (els) =>
			    els.map((e) => e.dataset.kind));
			expect(kinds.includes('phone') && kinds.includes('name'),
			    'automatic masks not marked: ' + kinds.join(','));
			expect(await page.locator('#review-tools').isVisible(), 'no select-to-mask button');
			expect(await selectInReview(page, 'Darmawan'), 'no text to select');
			await Promise.all([page.waitForNavigation(), page.click('#mask-selection')]);
			const pv = await page.textContent('#pratinjau');
			expect(pv.includes('[disamarkan]') && !pv.includes('Darmawan') &&
			    pv.includes('[telepon disamarkan]') && pv.includes('[nama disamarkan]') &&
			    pv.includes('Rp 50.000'), 'preview: ' + pv.slice(0, 300));
			expect((await page.inputValue('#d-phrases')).trim() === 'Darmawan',
			    'phrase field: ' + await page.inputValue('#d-phrases'));
			await shot(page, '10-staf-review-js');
			await act(page, 'dispose', (f) => f.locator('select[name=agency]').selectOption('dinas-pu'));
			expect(await page.locator('.notice').count() === 1, 'no confirmation');
			const seen = await page.textContent('.cols section');
			expect(!seen.includes('Darmawan') && !seen.includes('3456') && seen.includes('[disamarkan]'),
			    'the agency copy: ' + seen.slice(0, 300));
			await page.waitForLoadState('networkidle');
			await ctx.close();
		});
		await step('staff, JavaScript off: a phrase that is not there is refused and kept; unmask and preview', async () => {
			const rc = await fileReport(nojs, 'Pungli di loket (tinjau tanpa JS)', REVIEW_BODY, false);
			const ctx = await browser.newContext({ javaScriptEnabled: false });
			watch(ctx, 'staff nojs');
			const page = await ctx.newPage();
			await page.goto(URL_BASE + '/staf');
			await page.fill('#username', 'pusat');
			await page.fill('#password', PASSWORD);
			await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
			await page.goto(URL_BASE + '/staf/kasus/' + rc.ref);
			expect(!(await page.locator('#review-tools').isVisible()), 'the script button shows without script');
			await page.fill('#d-phrases', 'Kosambi Lama');
			expected.push('status of 422');
			await Promise.all([page.waitForNavigation(),
			    page.click('form:has(input[name=action][value=dispose]) button[name=preview]')]);
			const main = await page.textContent('main');
			expect(main.includes('Redaction 1') || main.includes('Redaksi 1') || main.includes('tidak'),
			    'no reason: ' + main.slice(0, 300));
			expect((await page.inputValue('#d-phrases')) === 'Kosambi Lama', 'what was typed is lost');
			await page.fill('#d-phrases', 'Darmawan');
			const phone = page.locator('input[name=unmask][value^="0812"]');
			expect(await phone.count() === 1, 'no unmask box for the phone');
			await phone.check();
			await page.selectOption('#d-reason', 'official_contact');
			await Promise.all([page.waitForNavigation(),
			    page.click('form:has(input[name=action][value=dispose]) button[name=preview]')]);
			const pv = await page.textContent('#pratinjau');
			expect(pv.includes('3456') && !pv.includes('Darmawan') && pv.includes('[nama disamarkan]'),
			    'preview: ' + pv.slice(0, 300));
			expect(await page.locator('input[name=unmask][value^="0812"]').isChecked(), 'the box is not kept');
			await shot(page, '11-staf-review-nojs');
			await page.waitForLoadState('networkidle');
			await ctx.close();
		});
		await step('reporter sees the result and rates it', async () => {
			const page = await follow(nojs, noCase.token);
			expect((await page.textContent('main')).includes('Lampu sudah diganti'), 'no resolution');
			await page.check('#rating-5');
			await Promise.all([page.waitForNavigation(), page.click('form:has(#rating-5) button')]);
			expect(await page.locator('.st-closed').count() > 0, 'not closed');
			await shot(page, '08-pantau-closed');
			await page.waitForLoadState('networkidle');
		await page.close();
		});
		await step('the other pages render', async () => {
			const page = await js.newPage();
			for (const p of ['/', '/?lang=en', '/publik', '/statistik']) {
				await page.goto(URL_BASE + p);
				await shot(page, '09-page' + p.replace(/[^a-z]/g, '_'));
			}
			await page.waitForLoadState('networkidle');
		await page.close();
		});
	}

	await step('no console error, failed request or other host', async () => {
		expect(problems.length === 0, problems.join('; '));
	});
	await browser.close();
	console.log(passed + ' passed, ' + failed + ' failed');
	process.exit(failed ? 1 : 0);
})().catch((e) => {
	notok('browser run', e && e.stack ? e.stack : e);
	console.log(passed + ' passed, ' + failed + ' failed');
	process.exit(1);
});
