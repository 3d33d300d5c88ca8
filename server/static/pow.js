/*
 * pow.js: solves the submission form's proof of work in the browser, so
 * that a reporter with JavaScript does not have to wait.
 *
 * The server (crypto/pow.c) accepts a nonce when BLAKE2b-256 of the
 * challenge text followed by the nonce starts with `difficulty` zero bits.
 * BLAKE2b (RFC 7693) is written out below with 64-bit words as pairs of
 * 32-bit halves (low at even index, high at odd); no library, nothing
 * from another host. Work runs in slices so that the page stays usable;
 * without this script the form still works (the server then asks for a
 * short wait instead).
 */
(function () {
	'use strict';

	var IV = [
		0xf3bcc908, 0x6a09e667, 0x84caa73b, 0xbb67ae85,
		0xfe94f82b, 0x3c6ef372, 0x5f1d36f1, 0xa54ff53a,
		0xade682d1, 0x510e527f, 0x2b3e6c1f, 0x9b05688c,
		0xfb41bd6b, 0x1f83d9ab, 0x137e2179, 0x5be0cd19
	];
	var SIGMA = [
		[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15],
		[14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3],
		[11, 8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4],
		[7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8],
		[9, 0, 5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13],
		[2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9],
		[12, 5, 1, 15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11],
		[13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10],
		[6, 15, 14, 9, 11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5],
		[10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0]
	];
	var v = new Uint32Array(32);
	var m = new Uint32Array(32);

	/* v[a] += v[b] (64-bit words at indexes a and b, in halves). */
	function add(a, b) {
		var lo = v[a] + v[b];
		var hi = v[a + 1] + v[b + 1];

		if (lo >= 0x100000000)
			hi++;
		v[a] = lo;
		v[a + 1] = hi;
	}

	/* v[a] += m[x]. */
	function addm(a, x) {
		var lo = v[a] + m[x];
		var hi = v[a + 1] + m[x + 1];

		if (lo >= 0x100000000)
			hi++;
		v[a] = lo;
		v[a + 1] = hi;
	}

	/* v[d] = (v[d] ^ v[a]) rotated right by r (32, 24, 16 or 63). */
	function xorrot(d, a, r) {
		var lo = v[d] ^ v[a];
		var hi = v[d + 1] ^ v[a + 1];

		if (r === 32) {
			v[d] = hi;
			v[d + 1] = lo;
		} else if (r === 63) {
			v[d] = (lo << 1) | (hi >>> 31);
			v[d + 1] = (hi << 1) | (lo >>> 31);
		} else {
			v[d] = (lo >>> r) | (hi << (32 - r));
			v[d + 1] = (hi >>> r) | (lo << (32 - r));
		}
	}

	/* The mixing function G on words a, b, c, d with message words x, y
	 * (all given as word numbers). */
	function g(a, b, c, d, x, y) {
		a *= 2; b *= 2; c *= 2; d *= 2;
		add(a, b); addm(a, 2 * x);
		xorrot(d, a, 32);
		add(c, d);
		xorrot(b, c, 24);
		add(a, b); addm(a, 2 * y);
		xorrot(d, a, 16);
		add(c, d);
		xorrot(b, c, 63);
	}

	function compress(h, block, off, t, last) {
		var i, s;

		for (i = 0; i < 32; i++) {
			m[i] = block[off + 4 * i] | (block[off + 4 * i + 1] << 8) |
			    (block[off + 4 * i + 2] << 16) |
			    (block[off + 4 * i + 3] << 24);
			v[i] = i < 16 ? h[i] : IV[i - 16];
		}
		v[24] ^= t;		/* byte counter, low word (messages < 4 GiB) */
		if (last) {
			v[28] = ~v[28];
			v[29] = ~v[29];
		}
		for (i = 0; i < 12; i++) {
			s = SIGMA[i % 10];
			g(0, 4, 8, 12, s[0], s[1]);
			g(1, 5, 9, 13, s[2], s[3]);
			g(2, 6, 10, 14, s[4], s[5]);
			g(3, 7, 11, 15, s[6], s[7]);
			g(0, 5, 10, 15, s[8], s[9]);
			g(1, 6, 11, 12, s[10], s[11]);
			g(2, 7, 8, 13, s[12], s[13]);
			g(3, 4, 9, 14, s[14], s[15]);
		}
		for (i = 0; i < 16; i++)
			h[i] ^= v[i] ^ v[i + 16];
	}

	/* BLAKE2b with a 32-byte output and no key over bytes (Uint8Array). */
	function blake2b256(bytes) {
		var h = new Uint32Array(IV);
		var n = bytes.length, off = 0, blocks, block, out, i;

		h[0] ^= 0x01010020;	/* depth 1, fanout 1, no key, 32 bytes */
		blocks = n === 0 ? 1 : Math.ceil(n / 128);
		block = new Uint8Array(blocks * 128);
		block.set(bytes);
		for (i = 0; i < blocks - 1; i++, off += 128)
			compress(h, block, off, off + 128, false);
		compress(h, block, off, n, true);
		out = new Uint8Array(32);
		for (i = 0; i < 32; i++)
			out[i] = (h[i >> 2] >>> (8 * (i & 3))) & 0xff;
		return out;
	}

	function zeroBits(hash, d) {
		var i;

		for (i = 0; i < (d >> 3); i++)
			if (hash[i] !== 0)
				return false;
		return (d & 7) === 0 || (hash[d >> 3] >> (8 - (d & 7))) === 0;
	}

	function ascii(s) {
		var b = new Uint8Array(s.length), i;

		for (i = 0; i < s.length; i++)
			b[i] = s.charCodeAt(i) & 0xff;
		return b;
	}

	/* For the browser test: the hash as hex. */
	window.bisikBlake2b256Hex = function (s) {
		var h = blake2b256(ascii(s)), out = '', i;

		for (i = 0; i < h.length; i++)
			out += (h[i] < 16 ? '0' : '') + h[i].toString(16);
		return out;
	};

	var form = document.getElementById('lapor');

	if (!form || !form.elements.challenge || !form.elements.nonce)
		return;

	var challenge = form.elements.challenge.value;
	var difficulty = parseInt(form.elements.difficulty.value, 10) || 0;
	var status = document.getElementById('pow-status');
	var prefix = ascii(challenge);
	var buf = new Uint8Array(prefix.length + 20);
	var nonce = 0, solved = false, waiting = false, sent = false;

	buf.set(prefix);

	function tries(count) {
		var s, i, k;

		for (k = 0; k < count; k++, nonce++) {
			s = String(nonce);
			for (i = 0; i < s.length; i++)
				buf[prefix.length + i] = s.charCodeAt(i);
			if (zeroBits(blake2b256(buf.subarray(0,
			    prefix.length + s.length)), difficulty))
				return s;
		}
		return null;
	}

	function step() {
		var found = tries(2000);

		if (found === null) {
			setTimeout(step, 0);
			return;
		}
		form.elements.nonce.value = found;
		solved = true;
		if (status)
			status.textContent = form.getAttribute('data-done') || '';
		if (waiting && !sent) {
			sent = true;
			form.submit();
		}
	}

	/* Sent once only: a second click would file a second report and
	 * show its answer instead of the first one's token. */
	form.addEventListener('submit', function (e) {
		/* The language switch posts the form elsewhere to show it
		 * again; that files nothing and needs no proof of work. */
		if (e.submitter && e.submitter.hasAttribute('formaction'))
			return;
		if (sent) {
			e.preventDefault();
			return;
		}
		if (solved) {
			sent = true;
			return;
		}
		e.preventDefault();
		waiting = true;
		if (status)
			status.textContent = form.getAttribute('data-working') || '';
	});
	setTimeout(step, 0);
}());
