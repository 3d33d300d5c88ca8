/*
 * staff.test.js: the staff's daily pages in a real browser, kept small
 * (e2e_staff_pages.sh walks every form with curl). One server and one
 * browser; the same walk runs in each language (the browser asks for
 * Indonesian or English) with JavaScript on and off, and lib.js checks
 * each state at 1280 and 390 px: no horizontal overflow on
 * the phone, axe-core with 0 violations.
 *
 * Each walk, as the central admin: the queue (with JavaScript the
 * "select all" box; case numbers on one line), a case with a likely
 * duplicate and its merge button, the bulk forward of its two cases
 * (ticked through "select all" with JavaScript, one by one without) and
 * its result per case, the intake form; then as the agency admin, the
 * case page with the liaison list. Each walk's two cases are recorded
 * through the staff intake (POST /cases, no proof of work), with a word
 * of their own in the title that the queue's search finds.
 *
 * REDUCED=1 (the sanitizer build): the phone's width only, no axe.
 */
'use strict';

const L = require('./lib');

const { URL_BASE, PASSWORD, expect, step } = L;
const t0 = Date.now();

async function api(method, p, session, body) {
	const headers = {};
	if (session)
		headers.Authorization = 'Bearer ' + session;
	if (body !== undefined)
		headers['Content-Type'] = 'application/json';
	const r = await fetch(URL_BASE + '/api/v1' + p, { method, headers,
	    body: body !== undefined ? JSON.stringify(body) : undefined });
	const json = await r.json().catch(() => null);
	if (r.status >= 300)
		throw new Error(method + ' ' + p + ': ' + r.status + ' ' +
		    JSON.stringify(json).slice(0, 200));
	return json;
}

async function signIn(ctx, user) {
	const page = await ctx.newPage();
	await page.goto(URL_BASE + '/staf');
	await page.fill('#username', user);
	await page.fill('#password', PASSWORD);
	await Promise.all([page.waitForNavigation(), page.click('button[type=submit]')]);
	return page;
}

const TEXT = 'Lampu penerangan jalan di Jalan Asia Afrika padam sejak tiga ' +
    'minggu, jalan gelap total pada malam hari dan rawan kecelakaan.';

/* The words each language's pages use where the walk looks for them
 * (lib.js checks each state's <html lang>). */
const WORDS = {
	id: { bulk: '2 berhasil, 0 tidak diubah' },
	en: { bulk: '2 done, 0 not changed' },
};

/* One walk: lang 'id' or 'en', js true or false; tag names its cases. */
async function walk(browser, session, lang, js, tag) {
	const w = (js ? 'js' : 'nojs') + ' ' + lang + ': ';
	const locale = lang === 'en' ? 'en-US' : 'id-ID';
	const refs = [];

	await step(w + 'two identical reports by telephone (intake)', async () => {
		for (let i = 0; i < 2; i++)
			refs.push((await api('POST', '/cases', session, {
			    channel: 'phone', kind: 'complaint',
			    title: 'Lampu jalan Asia Afrika padam ' + tag,
			    body: TEXT })).case);
	});
	const q = URL_BASE + '/staf?channel=phone&q=' + tag;
	const ctx = await L.newContext(browser, js, locale);
	const ca = await signIn(ctx, 'pusat');
	await step(w + 'the queue', async () => {
		await ca.goto(q);
		expect(await ca.isVisible('input[data-check-all]') === js,
		    js ? 'no "select all" box' : 'a "select all" box without JavaScript');
		expect(await ca.locator('td.ref').count() === 2, 'the intake cases are not listed');
	});
	await L.check(ca, { flow: 'staf', state: 'antrean', lang, js });
	await step(w + 'a case with a likely duplicate', async () => {
		await ca.goto(URL_BASE + '/staf/kasus/' + refs[1]);
		const d = await ca.textContent('section.dups');
		expect(d.includes(refs[0]) && /\d+ %/.test(d), 'no duplicate with its similarity');
		expect(await ca.locator('section.dups input[name=into][value="' + refs[0] + '"]').count() === 1,
		    'no merge button');
	});
	await L.check(ca, { flow: 'staf', state: 'kasus-duplikat', lang, js });
	await step(w + 'tick both and forward in bulk', async () => {
		await ca.goto(q);
		if (js)
			await ca.check('input[data-check-all]');
		else
			for (const box of await ca.$$('input[name=case]'))
				await box.check();
		const n = await ca.$$eval('input[name=case]', (els) => els.filter((e) => e.checked).length);
		expect(n === 2, n + ' ticked, not 2');
		await ca.selectOption('#bulk-agency', 'dinas-pu');
		await Promise.all([ca.waitForNavigation(), ca.click('fieldset.bulk button[type=submit]')]);
		expect((await ca.textContent('main')).includes(WORDS[lang].bulk),
		    'no result per case');
	});
	await L.check(ca, { flow: 'staf', state: 'massal', lang, js });
	await step(w + 'the intake form', async () => {
		await ca.goto(URL_BASE + '/staf/laporan-baru');
		expect(await ca.locator('#channel option').count() === 5, 'not five channels');
	});
	await L.check(ca, { flow: 'staf', state: 'laporan-baru', lang, js });
	if (js)
		await L.waitIdle(ca);
	await ctx.close();
	/* Another person: a context of their own (cookies). */
	const ctx2 = await L.newContext(browser, js, locale);
	const aa = await signIn(ctx2, 'admin-pu');
	await step(w + 'the agency admin chooses the liaison from a list', async () => {
		await aa.goto(URL_BASE + '/staf/kasus/' + refs[0]);
		expect(await aa.locator('select#a-liaison option[value="lia-pu"]').count() === 1,
		    'no liaison list');
	});
	await L.check(aa, { flow: 'staf', state: 'kasus-instansi', lang, js });
	if (js)
		await L.waitIdle(aa);
	await ctx2.close();
}

(async () => {
	let browser;
	try {
		browser = await L.launch();
	} catch (e) {
		L.notok('chromium starts', e.message);
		console.log('0 passed, 1 failed');
		process.exit(1);
	}
	L.ok('chromium starts');
	await L.axeSetup(browser);

	let session = null;
	await step('the central admin signs in to the API', async () => {
		session = (await api('POST', '/auth/login', null,
		    { username: 'pusat', password: PASSWORD })).session;
	});
	/* A word for each walk's cases (letters: the search is on words). */
	const tags = ['cempaka', 'dahlia', 'kenanga', 'melati'];
	let k = 0;
	for (const lang of ['id', 'en'])
		for (const js of [true, false])
			await walk(browser, session, lang, js, tags[k++]);

	console.log('# staff.test.js: ' + L.counts.checks + ' page states checked in ' +
	    Math.round((Date.now() - t0) / 1000) + ' s');
	await L.finish(browser);
})().catch((e) => {
	L.notok('browser run', e && e.stack ? e.stack : e);
	console.log(L.counts.passed + ' passed, ' + L.counts.failed + ' failed');
	process.exit(1);
});
