/*
 * bisik.js: small conveniences for the pages when JavaScript runs; every
 * page works the same without it.
 *
 *  - A page that answers a POST (the receipt, the follow-up view) names
 *    a GET path in <meta name="bisik-get">: its history entry is turned
 *    into that GET, so that Back and Forward bring a working page
 *    instead of the browser's "resubmit the form?" (which could file a
 *    report twice). The token is never put into the URL.
 *  - A <select data-filter="Label"> gets a search box before it that
 *    hides the options not matching what is typed (the agency list).
 *  - A <button class="print" hidden> is shown and prints the page.
 *  - An <input type="checkbox" data-check-all="NAME" hidden> is shown
 *    and ticks or clears every checkbox named NAME in its form (the
 *    queue's bulk actions).
 * Nothing is loaded from anywhere, nothing is stored.
 */
(function () {
	'use strict';

	var meta = document.querySelector('meta[name="bisik-get"]');

	if (meta && window.history && window.history.replaceState)
		window.history.replaceState(null, '', meta.getAttribute('content'));

	/* Lower case, without diacritics, for matching what is typed. */
	function fold(s) {
		s = String(s).toLowerCase();
		if (s.normalize)
			s = s.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
		return s;
	}

	function filterBox(select, n) {
		var id = 'saring-' + n, helpId = id + '-help';
		var label = document.createElement('label');
		var help = document.createElement('p');
		var input = document.createElement('input');

		label.htmlFor = id;
		label.textContent = select.getAttribute('data-filter');
		help.id = helpId;
		help.className = 'help';
		help.textContent = select.getAttribute('data-filter-help') || '';
		input.id = id;
		input.type = 'search';
		input.autocomplete = 'off';
		input.setAttribute('aria-describedby', helpId);
		input.setAttribute('aria-controls', select.id);
		select.parentNode.insertBefore(label, select);
		select.parentNode.insertBefore(help, select);
		select.parentNode.insertBefore(input, select);

		input.addEventListener('input', function () {
			var q = fold(input.value.trim());
			var groups = select.getElementsByTagName('optgroup');
			var opts = select.options, i, k, shown;

			for (i = 0; i < opts.length; i++)
				opts[i].hidden = q !== '' && opts[i].value !== '' &&
				    !opts[i].selected &&
				    fold(opts[i].textContent).indexOf(q) < 0;
			for (i = 0; i < groups.length; i++) {
				shown = false;
				for (k = 0; k < groups[i].children.length; k++)
					if (!groups[i].children[k].hidden)
						shown = true;
				groups[i].hidden = !shown;
			}
		});
	}

	var selects = document.querySelectorAll('select[data-filter]');
	var i;

	for (i = 0; i < selects.length; i++)
		filterBox(selects[i], i);

	var prints = document.querySelectorAll('button.print');

	for (i = 0; i < prints.length; i++) {
		prints[i].hidden = false;
		prints[i].addEventListener('click', function () {
			window.print();
		});
	}

	var alls = document.querySelectorAll('input[data-check-all]');

	function checkAll(box) {
		box.hidden = false;
		box.addEventListener('change', function () {
			var name = box.getAttribute('data-check-all');
			var els = box.form ? box.form.elements : [], k;

			for (k = 0; k < els.length; k++)
				if (els[k].type === 'checkbox' && els[k].name === name)
					els[k].checked = box.checked;
		});
	}
	for (i = 0; i < alls.length; i++)
		checkAll(alls[i]);
}());
