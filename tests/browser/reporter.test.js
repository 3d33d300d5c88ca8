/*
 * reporter.test.js: the reporter's and the public pages in a real browser,
 * every flow with JavaScript on and off, each page state at 1280 and 390
 * px and in both languages, with axe-core and the overflow check on every
 * state (lib.js). Run by tests/e2e/e2e_browser.sh against a bisikd with a
 * 1-of-1 escrow key, staff users pusat, admin-pu and lia-pu, and a
 * suppression threshold of 2.
 *
 * Flows: the home page (K of N from the escrow); the form (grouped and
 * sorted choices, every error at once, the language switch keeping what
 * was typed); filing with an identity and a photo; the receipt (its
 * language switch keeps the token; what happens next; the fingerprint),
 * its printable page and the proof of filing to read and as JSON; the
 * follow-up (agency and category by name, identity line, WIB times, the
 * photo inline without the token in its URL), Back landing on a working
 * page; a wrong token; staff acting through the API (respond, resolve
 * with a photo, publish); the resolved view (completion photo, events in
 * words, the automatic close date), rating; a form sent twice; /publik
 * (names, dates, category filter, no results, the feed) and /statistik
 * (names, total row, period, categories, small cells in words).
 *
 * REDUCED=1 (the sanitizer build): Indonesian only, at 390 px only.
 */
'use strict';

const path = require('path');
const L = require('./lib');

const { URL_BASE, WAIT_MS, PASSWORD, REDUCED, expect, step } = L;
const PHOTO = path.join(__dirname, '..', 'fixtures', 'gps.jpg');
const t0 = Date.now();

/* ---- staff through the API ---------------------------------------------- */

async function api(method, p, session, body, form) {
	const headers = {};
	if (session)
		headers.Authorization = 'Bearer ' + session;
	if (body !== undefined)
		headers['Content-Type'] = 'application/json';
	const r = await fetch(URL_BASE + '/api/v1' + p, { method, headers,
	    body: form !== undefined ? form : body !== undefined ?
	    JSON.stringify(body) : undefined });
	const text = await r.text();
	let json = null;
	try {
		json = JSON.parse(text);
	} catch (e) {
		json = null;
	}
	if (r.status >= 300)
		throw new Error(method + ' ' + p + ': ' + r.status + ' ' + text.slice(0, 200));
	return json;
}

async function login(user) {
	return (await api('POST', '/auth/login', null, { username: user,
	    password: PASSWORD })).session;
}

/* Disposes, accepts, answers and resolves a case with a photo, as the
 * three staff roles would. */
async function resolveCase(ref) {
	const ca = await login('pusat');
	await api('POST', '/cases/' + ref + '/actions', ca, { action: 'dispose',
	    agency: 'dinas-pu' });
	const aa = await login('admin-pu');
	await api('POST', '/cases/' + ref + '/actions', aa, { action: 'accept',
	    liaison: 'lia-pu' });
	const li = await login('lia-pu');
	await api('POST', '/cases/' + ref + '/actions', li, { action: 'respond',
	    note: 'Petugas sudah memeriksa lokasi.' });
	const fd = new FormData();
	fd.append('file', new Blob([require('fs').readFileSync(PHOTO)],
	    { type: 'image/jpeg' }), 'lampu-baru.jpg');
	const up = await api('POST', '/cases/' + ref + '/attachments', li,
	    undefined, fd);
	await api('POST', '/cases/' + ref + '/actions', li, { action: 'resolve',
	    resolution: 'Lampu jalan sudah diganti dan menyala lagi.',
	    attachments: [up.attachment] });
}

async function publish(ref) {
	const ca = await login('pusat');
	await api('POST', '/cases/' + ref + '/actions', ca, { action: 'publish' });
}

/* ---- the page states ----------------------------------------------------- */

async function lang(page) {
	return page.getAttribute('html', 'lang');
}

/*
 * A state in the page's language, then (full run) in the other one
 * through the page's own switch; assert(page, lang) runs in each.
 */
async function both(page, js, flow, state, assert) {
	const l0 = await lang(page);
	await L.check(page, { flow, state, lang: l0, js });
	if (assert)
		await step(flow + '-' + state + '-' + l0 + '-' + (js ? 'js' : 'nojs') +
		    ': content', () => assert(page, l0));
	if (REDUCED)
		return;
	await L.switchLang(page);
	const l1 = await lang(page);
	await step(flow + '-' + state + ': the language switch', async () =>
	    expect(l1 !== l0, 'still ' + l1));
	await L.check(page, { flow, state, lang: l1, js });
	if (assert)
		await step(flow + '-' + state + '-' + l1 + '-' + (js ? 'js' : 'nojs') +
		    ': content', () => assert(page, l1));
}

async function main(page) {
	return (await page.textContent('main')) || '';
}

async function submitAndWait(page, selector) {
	await Promise.all([page.waitForNavigation({ timeout: 30000 }),
	    page.click(selector)]);
}

/* The receipt page: case number and token (groups joined by "-"). */
async function readReceipt(page) {
	const ref = (await page.textContent('.caseref')).trim();
	const groups = await page.$$eval('.token .g', (els) => els.map((e) => e.textContent));
	return { ref, token: groups.join('-') };
}

async function fillReport(page, tag) {
	await page.fill('#title', 'Lampu jalan mati di Jalan Merdeka (' + tag + ')');
	await page.fill('#body', 'Lampu jalan di depan pasar mati sejak dua minggu; ' +
	    'jalan gelap dan rawan bagi pejalan kaki.');
	await page.selectOption('#category', 'infrastruktur');
	await page.selectOption('#agency', 'dinas-pu');
	await page.fill('#location', 'Jalan Merdeka 12, Bandung');
	await page.fill('#occurred_on', '2026-01-05');
	await page.check('#vis-p');
	await page.fill('#id_name', 'Siti Aminah');
	await page.setInputFiles('#file', PHOTO);
}

/* No token in any URL the page holds (links, forms, images). */
async function noTokenInUrls(page, token) {
	const canon = token.replace(/-/g, '');
	const urls = await page.$$eval('[href], [src], [action], [formaction]',
	    (els) => els.map((e) => e.getAttribute('href') || e.getAttribute('src') ||
	    e.getAttribute('action') || e.getAttribute('formaction')));
	urls.push(page.url());
	for (const u of urls)
		expect(!u.includes(token) && !u.replace(/-/g, '').includes(canon),
		    'token in a URL: ' + u);
}

async function flows(browser, js) {
	const ctx = await L.newContext(browser, js);
	const page = await ctx.newPage();
	const tag = js ? 'js' : 'tanpa js';
	let rc = null;
	let usedChallenge = null;

	await step((js ? 'js' : 'nojs') + ': home page', async () => {
		await page.goto(URL_BASE + '/');
	});
	await both(page, js, 'beranda', 'awal', async (p, l) => {
		const k = await p.textContent('#kunci');
		expect(k.includes(l === 'id' ? '1 dari 1 admin pusat' :
		    '1 of the 1 central admins'), 'no K of N: ' + k);
		expect(!/beberapa admin pusat|several central admins/.test(await main(p)),
		    'still "several central admins"');
		expect(/admin pusat dapat melihat lampiran|central admins can see attachments/i
		    .test(await main(p)), 'original uploads not mentioned');
	});

	await step((js ? 'js' : 'nojs') + ': the form', async () => {
		await page.goto(URL_BASE + '/lapor');
	});
	await both(page, js, 'lapor', 'kosong', async (p) => {
		const cats = await p.$$eval('#category option', (o) => o.map((e) => e.value));
		expect(cats[cats.length - 1] === 'lainnya', 'Lainnya not last: ' + cats.slice(-2));
		const names = await p.$$eval('#category option', (o) => o.slice(1, -1)
		    .map((e) => e.textContent));
		const sorted = names.slice().sort((a, b) => a.localeCompare(b, 'id',
		    { sensitivity: 'base' }));
		expect(names.join('|') === sorted.join('|'), 'categories not sorted');
		expect(await p.$$eval('#agency optgroup', (g) => g.length) >= 2,
		    'agencies not grouped');
		expect(await p.locator('#kind-help').count() === 1, 'no kind help');
		expect(/hari kerja|working days/.test(await main(p)),
		    'no handling time');
		expect(await p.locator('input[type=search][aria-controls=agency]').count() ===
		    (js ? 1 : 0), 'agency filter box ' + (js ? 'missing' : 'without JS'));
	});
	if (js)
		await step('js: the agency filter hides what does not match', async () => {
			await page.fill('input[aria-controls=agency]', 'pekerjaan');
			const shown = await page.$$eval('#agency option', (o) =>
			    o.filter((e) => !e.hidden && e.value !== '').map((e) => e.value));
			expect(shown.length >= 1 && shown.includes('dinas-pu'),
			    'shown: ' + shown.join(','));
			expect(shown.length < await page.$$eval('#agency option',
			    (o) => o.length - 1), 'nothing hidden');
			await page.fill('input[aria-controls=agency]', '');
		});

	/* Every error at once; the switch keeps what was typed. (The
	 * waiting time among them: e2e_pages.sh, where nothing is slow.) */
	await step((js ? 'js' : 'nojs') + ': a form with errors', async () => {
		await page.goto(URL_BASE + '/lapor');
		await page.fill('#title', 'abc');
		await page.fill('#body', 'terlalu pendek');
		await submitAndWait(page, '#lapor button[type=submit]');
	});
	await both(page, js, 'lapor', 'galat', async (p) => {
		const items = await p.$$eval('.alert li a', (a) => a.map((e) =>
		    e.getAttribute('href')));
		expect(items.includes('#title') && items.includes('#body'),
		    'not every error listed: ' + items.join(','));
		expect(await p.inputValue('#title') === 'abc', 'typed title lost');
		expect(await p.inputValue('#body') === 'terlalu pendek', 'typed body lost');
	});

	/* Filing: an identity and a photo. */
	await step((js ? 'js' : 'nojs') + ': filing with an identity and a photo', async () => {
		await fillReport(page, tag);
		usedChallenge = await page.$eval('input[name=challenge]', (e) => e.value);
		if (!js)
			await page.waitForTimeout(WAIT_MS + 300);
		/* With JavaScript a double click sends the form once. */
		let posts = 0;
		const count = (r) => {
			if (r.method() === 'POST' && new URL(r.url()).pathname === '/lapor')
				posts++;
		};
		page.on('request', count);
		if (js)
			await Promise.all([page.waitForNavigation({ timeout: 30000 }),
			    page.dblclick('#lapor button[type=submit]')]);
		else
			await submitAndWait(page, '#lapor button[type=submit]');
		page.off('request', count);
		expect(posts === 1, posts + ' submissions');
		expect(await page.locator('.caseref').count() === 1,
		    'no receipt: ' + (await main(page)).slice(0, 300));
		rc = await readReceipt(page);
		expect(/^BSK-\d{4}-\d{6,}$/.test(rc.ref), rc.ref);
		expect(rc.token.length === 39, 'token ' + rc.token);
	});
	if (rc === null) {
		await ctx.close();
		return;
	}
	await both(page, js, 'lapor', 'tanda-terima', async (p) => {
		const again = await readReceipt(p);
		expect(again.ref === rc.ref && again.token === rc.token,
		    'the receipt lost its content');
		const next = await p.textContent('.next');
		expect(/WIB/.test(next) && /\d+ (hari kerja|working day)/.test(next),
		    'no deadline in working days and WIB: ' + next);
		expect(/Tenggat|Due/.test(next), 'no Tenggat');
		expect((await p.textContent('.fp')).trim().length === 64,
		    'no fingerprint');
		await noTokenInUrls(p, rc.token);
	});

	await step((js ? 'js' : 'nojs') + ': the printable page opens in a new tab', async () => {
		const [pop] = await Promise.all([ctx.waitForEvent('page'),
		    page.click('main form[action="/lapor/tanda-terima"] button')]);
		await pop.waitForLoadState();
		await both(pop, js, 'lapor', 'cetak', async (p) => {
			const r = await readReceipt(p);
			expect(r.token === rc.token, 'no token on the printable page');
			expect(await p.isVisible('button.print') === js,
			    'a Print button ' + (js ? 'missing' : 'that cannot work'));
			expect((await p.textContent('.fp')).trim().length === 64,
			    'no fingerprint');
			expect(/WIB/.test(await p.textContent('.next')), 'no next step');
		});
		await L.waitIdle(pop);
		await pop.close();
	});
	await step((js ? 'js' : 'nojs') + ': the proof of filing to read', async () => {
		const [pop] = await Promise.all([ctx.waitForEvent('page'),
		    page.click('button[name=format][value=html]')]);
		await pop.waitForLoadState();
		await both(pop, js, 'lapor', 'bukti', async (p) => {
			expect((await main(p)).includes(rc.ref), 'no case number');
			expect(!(await main(p)).includes(rc.token), 'the token on the proof');
			/* Filed with an identity: content hash, sealed
			 * identity's hash, audit head, signature, key. */
			const codes = p.locator('dl.proof code');
			expect(await codes.count() === 5,
			    'hashes, audit head, signature and key not all shown');
			expect(/^\d+:[0-9a-f]{64}$/.test(
			    (await codes.nth(2).textContent()).trim()),
			    'no audit head at filing');
		});
		await L.waitIdle(pop);
		await pop.close();
	});
	await step((js ? 'js' : 'nojs') + ': the proof of filing as JSON', async () => {
		const [dl] = await Promise.all([page.waitForEvent('download'),
		    page.click('button[name=format][value=json]')]);
		expect(dl.suggestedFilename() === 'bukti-' + rc.ref + '.json',
		    dl.suggestedFilename());
	});

	await step((js ? 'js' : 'nojs') + ': follow the case from the receipt', async () => {
		await submitAndWait(page, 'form[action="/pantau"] button');
		expect((await page.textContent('h1')).includes(rc.ref), 'case not shown');
	});
	await both(page, js, 'pantau', 'diterima', async (p, l) => {
		const m = await main(p);
		expect(m.includes('Dinas Pekerjaan Umum') && !/\bdinas-pu\b/.test(m),
		    'agency not by name');
		expect(m.includes('Pembangunan Infrastruktur'), 'category not by name');
		expect(m.includes('Jalan Merdeka 12, Bandung'), 'no location');
		expect(m.includes(l === 'id' ? '5 Januari 2026' : '5 January 2026'),
		    'no date of the event');
		expect(m.includes(l === 'id' ? 'diberikan dan dikunci' : 'given and sealed'),
		    'no identity line');
		expect(/\b\d+(,\d|\.\d)? (B|kB|MB)\b/.test(m) && !/KiB/.test(m),
		    'sizes not in B, kB or MB');
		expect(/WIB/.test(await p.textContent('.next')), 'no WIB deadline');
		const img = p.locator('img[src^="/pantau/foto/"]');
		expect(await img.count() === 1, 'the photo is not inline');
		await img.first().scrollIntoViewIfNeeded();
		expect(await img.first().evaluate((e) => e.complete && e.naturalWidth > 0),
		    'the photo did not load');
		await noTokenInUrls(p, rc.token);
	});
	if (js)
		await step('js: Back lands on a working page, not a dead POST', async () => {
			const r = await page.goBack();
			expect(r !== null && r.status() === 200, 'status ' + (r && r.status()));
			expect(await page.locator('main form').count() > 0, 'no page');
			await page.goForward();
		});

	await step((js ? 'js' : 'nojs') + ': the token entry', async () => {
		await page.goto(URL_BASE + '/pantau');
	});
	await both(page, js, 'pantau', 'masuk');
	await step((js ? 'js' : 'nojs') + ': a wrong token', async () => {
		await page.fill('#token', 'AAAA-BBBB-CCCC-DDDD');
		await submitAndWait(page, 'main button[type=submit]');
	});
	await both(page, js, 'pantau', 'salah', async (p) => {
		const a = await p.textContent('.alert');
		expect(/token/i.test(a), 'no word of the token: ' + a);
		expect(!/sesi|session|masuk kembali|sign in/i.test(a),
		    'speaks of sessions: ' + a);
	});

	/* Staff act; the reporter sees the result. */
	await step((js ? 'js' : 'nojs') + ': staff respond and resolve with a photo', async () => {
		await resolveCase(rc.ref);
		await page.fill('#token', rc.token);
		await submitAndWait(page, 'main button[type=submit]');
		expect((await page.textContent('h1')).includes(rc.ref), 'case not shown');
	});
	await both(page, js, 'pantau', 'selesai', async (p, l) => {
		const m = await main(p);
		expect(m.includes('Lampu jalan sudah diganti'), 'no resolution');
		expect(m.includes(l === 'id' ? 'Tanggapan' : 'Response'),
		    'the response event is not in words');
		expect(!/\bresponse\b/.test(m.replace(/Response/g, '')), 'a raw event name');
		expect(m.includes(l === 'id' ? 'Ditutup otomatis pada' :
		    'Closes automatically on'), 'no automatic close date');
		expect(m.includes(l === 'id' ? 'dari petugas' : 'from staff'),
		    'no completion photo');
		const n = await p.$$eval('img[src^="/pantau/foto/"]', (i) =>
		    i.filter((e) => e.complete && e.naturalWidth > 0).length);
		expect(n === 2, n + ' photos loaded, not 2');
		await noTokenInUrls(p, rc.token);
	});
	await step((js ? 'js' : 'nojs') + ': the reporter rates', async () => {
		await page.check('#rating-4');
		await submitAndWait(page, 'form:has(#rating-4) button[type=submit]');
		expect(await page.locator('.st-closed').count() > 0, 'not closed');
	});
	await both(page, js, 'pantau', 'ditutup', async (p, l) => {
		const m = await main(p);
		expect(m.includes(l === 'id' ? '4 – puas' : '4 – satisfied'),
		    'the rating is not shown');
		expect(m.includes(l === 'id' ? 'setelah Anda memberi nilai' :
		    'when you rated it'), 'how it closed is not said');
	});
	await step((js ? 'js' : 'nojs') + ': central admin publishes', async () => {
		await publish(rc.ref);
	});

	/* A form sent again after it was accepted (Back and Reload). */
	if (!js && usedChallenge !== null) {
		await step('nojs: a form sent again after it was filed', async () => {
			await page.goto(URL_BASE + '/lapor');
			await page.$eval('input[name=challenge]', (e, c) => {
				e.value = c;
			}, usedChallenge);
			await page.fill('#title', 'Laporan yang sama lagi');
			await page.fill('#body', 'Formulir yang sama dikirim untuk kedua kalinya.');
			await submitAndWait(page, '#lapor button[type=submit]');
			expect(await page.locator('#lapor').count() === 0,
			    'the filled form is offered again');
		});
		await both(page, js, 'lapor', 'sudah-terkirim', async (p) => {
			expect(await p.locator('.alert').count() === 1, 'no explanation');
		});
	}

	/* The public pages. */
	await step((js ? 'js' : 'nojs') + ': /publik', async () => {
		await page.goto(URL_BASE + '/publik');
	});
	await both(page, js, 'publik', 'daftar', async (p) => {
		const m = await main(p);
		expect(m.includes(rc.ref), 'the published case is not listed');
		expect(m.includes('Dinas Pekerjaan Umum') && !/\bdinas-pu\b/.test(m),
		    'agency not by name');
		expect(/\d{1,2} \p{L}+ \d{4}/u.test(m), 'no dates');
		expect(await p.locator('a[href="/api/v1/public/feed.atom"]').count() === 1,
		    'no feed link');
	});
	await step((js ? 'js' : 'nojs') + ': /publik with a search that finds nothing', async () => {
		await page.goto(URL_BASE + '/publik?q=tidakadayangcocok');
	});
	await both(page, js, 'publik', 'kosong', async (p) => {
		expect(await p.locator('main .notice').count() === 1, 'no "no results"');
		expect(p.url().includes('q=tidakadayangcocok'), 'the switch lost the search');
	});
	await step((js ? 'js' : 'nojs') + ': /publik by category', async () => {
		await page.goto(URL_BASE + '/publik?kategori=infrastruktur');
	});
	await both(page, js, 'publik', 'kategori', async (p) => {
		expect((await main(p)).includes(rc.ref), 'the case is not in its category');
		expect(await p.inputValue('#kategori') === 'infrastruktur', 'filter not kept');
	});

	await step((js ? 'js' : 'nojs') + ': /statistik', async () => {
		await page.goto(URL_BASE + '/statistik');
	});
	await both(page, js, 'statistik', 'semua', async (p) => {
		const m = await main(p);
		expect(!m.includes('< '), 'a figure shown as "< N"');
		expect(m.includes('Dinas Pekerjaan Umum'), 'agency not by name');
		expect(await p.locator('tfoot tr.total').count() === 1, 'no total row');
		expect(await p.locator('div.table[tabindex="0"][role=region][aria-label]')
		    .count() >= 2, 'scrolling tables not reachable by keyboard');
		expect(m.includes('Pembangunan Infrastruktur'), 'no categories');
		expect(/Kepuasan|Satisfaction/.test(m), 'no satisfaction');
	});
	await step((js ? 'js' : 'nojs') + ': /statistik for one year', async () => {
		const y = String(new Date().getUTCFullYear());
		await page.goto(URL_BASE + '/statistik?periode=' + y);
		expect(await page.inputValue('#periode') === y, 'period not chosen');
	});
	await both(page, js, 'statistik', 'periode');

	await L.waitIdle(page);
	await ctx.close();
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
	/* The two runs share nothing but the server: side by side they
	 * use both cores of a small machine. */
	await Promise.all([flows(browser, true), flows(browser, false)]);
	console.log('# reporter.test.js: ' + L.counts.checks + ' page states checked in ' +
	    Math.round((Date.now() - t0) / 1000) + ' s');
	await L.finish(browser);
})().catch((e) => {
	L.notok('browser run', e && e.stack ? e.stack : e);
	console.log(L.counts.passed + ' passed, ' + L.counts.failed + ' failed');
	process.exit(1);
});
