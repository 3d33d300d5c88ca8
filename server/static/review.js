/*
 * review.js: select-to-mask on the staff case page (pages_staf.c).
 *
 * The central admin selects words in the text as written (#review-text)
 * and presses "Mask the selection": the selected text becomes one more
 * line of the phrase field of the disposition (or publication) form, and
 * the form is sent with its preview button, so the server shows at once
 * exactly what the agency will read. Nothing is masked here: the server
 * does the masking, and without this script the phrase field does the
 * same by hand. Same-origin file, no inline script (the page's CSP).
 */
(function () {
	'use strict';

	var text = document.getElementById('review-text');
	var tools = document.getElementById('review-tools');
	var button = document.getElementById('mask-selection');
	var note = document.getElementById('mask-note');
	var last = '';

	if (!text || !tools || !button)
		return;

	/* The form that takes phrases: disposition first, else publication. */
	function target() {
		var areas = document.querySelectorAll('textarea[name="phrases"]');
		return areas.length > 0 ? areas[0] : null;
	}

	function inside(node) {
		while (node) {
			if (node === text)
				return true;
			node = node.parentNode;
		}
		return false;
	}

	/* The selection, if it lies in the text, with its white space made
	 * single spaces (what the server compares). */
	function selected() {
		var sel = window.getSelection();

		if (!sel || sel.rangeCount === 0 || sel.isCollapsed)
			return '';
		if (!inside(sel.anchorNode) || !inside(sel.focusNode))
			return '';
		return sel.toString().replace(/\s+/g, ' ').trim();
	}

	/* A click on the button may take the selection away first: keep
	 * the last one made in the text. */
	document.addEventListener('selectionchange', function () {
		var s = selected();

		if (s !== '')
			last = s;
	});

	button.addEventListener('click', function () {
		var phrase = selected() || last;
		var area = target();
		var lines, form, preview;

		if (phrase === '' || !area) {
			if (note)
				note.hidden = false;
			return;
		}
		if (note)
			note.hidden = true;
		lines = area.value.split(/\r?\n/).filter(function (l) {
			return l.trim() !== '';
		});
		if (lines.indexOf(phrase) < 0)
			lines.push(phrase);
		area.value = lines.join('\n');
		form = area.form;
		preview = form ? form.querySelector('button[name="preview"]') : null;
		if (!form || !preview)
			return;
		if (typeof form.requestSubmit === 'function')
			form.requestSubmit(preview);
		else
			preview.click();
	});

	tools.hidden = false;
})();
