/*
 * staff.test.js: the staff's daily pages in a real browser, kept small
 * (e2e_staff_pages.sh walks every form with curl). Each state is checked
 * by lib.js at 1280 and 390 px: screenshot, no horizontal overflow on
 * the phone, axe-core with 0 violations.
 *
 * With JavaScript on, as the central admin: the queue (the "select all"
 * box shown, case numbers on one line), a case with a likely duplicate
 * and its merge button, the bulk forward of every case on the page
 * through "select all", and its result per case. With JavaScript off:
 * the intake form, and the agency admin's case page with the liaison
 * list. The two cases are recorded through the staff intake
 * (POST /cases), which needs no proof of work.
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

	const refs = [];
	await step('two identical reports by telephone (intake)', async () => {
		const s = (await api('POST', '/auth/login', null,
		    { username: 'pusat', password: PASSWORD })).session;
		for (let i = 0; i < 2; i++)
			refs.push((await api('POST', '/cases', s, { channel: 'phone',
			    kind: 'complaint', title: 'Lampu jalan Asia Afrika padam',
			    body: TEXT })).case);
	});

	const js = await L.newContext(browser, true);
	const ca = await signIn(js, 'pusat');
	await step('js: the queue', async () => {
		await ca.goto(URL_BASE + '/staf?channel=phone');
		expect(await ca.isVisible('input[data-check-all]'), 'no "select all" box');
		expect(await ca.locator('td.ref').count() === 2, 'the intake cases are not listed');
	});
	await L.check(ca, { flow: 'staf', state: 'antrean', lang: 'id', js: true });
	await step('js: a case with a likely duplicate', async () => {
		await ca.goto(URL_BASE + '/staf/kasus/' + refs[1]);
		const d = await ca.textContent('section.dups');
		expect(d.includes(refs[0]) && /\d+ %/.test(d), 'no duplicate with its similarity');
		expect(await ca.locator('section.dups input[name=into][value="' + refs[0] + '"]').count() === 1,
		    'no merge button');
	});
	await L.check(ca, { flow: 'staf', state: 'kasus-duplikat', lang: 'id', js: true });
	await step('js: "select all" and forward in bulk', async () => {
		await ca.goto(URL_BASE + '/staf?channel=phone');
		await ca.check('input[data-check-all]');
		const n = await ca.$$eval('input[name=case]', (els) => els.filter((e) => e.checked).length);
		expect(n === 2, n + ' ticked, not 2');
		await ca.selectOption('#bulk-agency', 'dinas-pu');
		await Promise.all([ca.waitForNavigation(), ca.click('fieldset.bulk button[type=submit]')]);
		expect((await ca.textContent('main')).includes('2 berhasil, 0 tidak diubah'),
		    'no result per case');
	});
	await L.check(ca, { flow: 'staf', state: 'massal', lang: 'id', js: true });
	await L.waitIdle(ca);
	await js.close();

	const nojs = await L.newContext(browser, false);
	const ca2 = await signIn(nojs, 'pusat');
	await step('nojs: the intake form', async () => {
		await ca2.goto(URL_BASE + '/staf/laporan-baru');
		expect(await ca2.locator('#channel option').count() === 5, 'not five channels');
	});
	await L.check(ca2, { flow: 'staf', state: 'laporan-baru', lang: 'id', js: false });
	await nojs.close();
	/* Another person: a context of their own (cookies). */
	const nojs2 = await L.newContext(browser, false);
	const aa = await signIn(nojs2, 'admin-pu');
	await step('nojs: the agency admin chooses the liaison from a list', async () => {
		await aa.goto(URL_BASE + '/staf/kasus/' + refs[0]);
		expect(await aa.locator('select#a-liaison option[value="lia-pu"]').count() === 1,
		    'no liaison list');
	});
	await L.check(aa, { flow: 'staf', state: 'kasus-instansi', lang: 'id', js: false });
	await nojs2.close();

	console.log('# staff.test.js: ' + L.counts.checks + ' page states checked in ' +
	    Math.round((Date.now() - t0) / 1000) + ' s');
	await L.finish(browser);
})().catch((e) => {
	L.notok('browser run', e && e.stack ? e.stack : e);
	console.log(L.counts.passed + ' passed, ' + L.counts.failed + ' failed');
	process.exit(1);
});
