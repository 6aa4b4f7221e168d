// book.js — renders every formula with the book's offline KaTeX, folds the contents on narrow screens,
// enlarges a figure on click, links each heading, figure and table to itself, puts a copy button on each code
// listing, and searches the book (the box atop the contents; "/" focuses it).
// The weaver writes each formula as <span class="math inline">TeX</span> or <div class="math display">TeX</div>;
// without JavaScript (or KaTeX) the TeX stays on the page as text, still readable.
(function () {
  'use strict';

  function renderMath() {
    if (!window.katex) return;
    var els = document.querySelectorAll('.math');
    for (var i = 0; i < els.length; i++) {
      var el = els[i];
      // throwOnError: false turns a bad formula into a red .katex-error instead of stopping the page;
      // the build's katex-check.js catches those before a reader does.
      katex.render(el.textContent, el, {displayMode: el.classList.contains('display'), throwOnError: false});
    }
  }

  // Above the text on a phone, the full contents would push the chapter off the first screen.
  function foldContents() {
    var details = document.querySelector('nav.toc details');
    if (details && window.matchMedia && window.matchMedia('(max-width: 60rem)').matches) details.open = false;
  }

  // A figure enlarges on click into a copy that fills the window; a click anywhere or Escape closes it.
  // The copy is an <img> of the same file: SVG stays sharp at any size.
  function zoomFigures() {
    var box = null;
    function close() {
      if (box) box.remove();
      box = null;
    }
    function open(img) {
      close();
      box = document.createElement('div');
      box.className = 'zoom';
      box.setAttribute('role', 'dialog');
      box.setAttribute('aria-label', img.alt + ' (click to close)');
      var big = document.createElement('img');
      big.src = img.getAttribute('src');
      big.alt = img.alt;
      box.appendChild(big);
      box.addEventListener('click', close);
      document.body.appendChild(box);
    }
    var imgs = document.querySelectorAll('figure.figure img');
    for (var i = 0; i < imgs.length; i++) {
      imgs[i].title = 'Click to enlarge';
      imgs[i].addEventListener('click', function (ev) { open(ev.currentTarget); });
    }
    document.addEventListener('keydown', function (ev) { if (ev.key === 'Escape') close(); });
  }

  // The search: Debian's lunr over the index make book built (search.js, tools/search-index.js), both loaded
  // as scripts on first use, which works from file:// too. The book's folder is where this script came from.
  var BASE = (document.currentScript && document.currentScript.src || '').replace(/assets\/book\.js(\?.*)?$/, '');
  function loadScript(src, done) {
    var el = document.createElement('script');
    el.src = BASE + src;
    el.onload = function () { done(null); };
    el.onerror = function () { done(new Error(src)); };
    document.head.appendChild(el);
  }
  function search() {
    var nav = document.querySelector('nav.toc');
    if (!nav || !BASE) return;
    var box = document.createElement('div');
    box.className = 'search';
    box.setAttribute('role', 'search');
    var input = document.createElement('input');
    input.type = 'search';
    input.placeholder = 'Search the book (press /)';
    input.setAttribute('aria-label', 'Search the book');
    var list = document.createElement('ol');
    list.className = 'results';
    list.hidden = true;
    list.setAttribute('aria-live', 'polite');
    box.appendChild(input);
    box.appendChild(list);
    var title = nav.querySelector('.book-title');
    nav.insertBefore(box, title ? title.nextSibling : nav.firstChild);
    var index = null, loading = false, pending = false;
    function ready() {
      if (index || loading) return;
      loading = true;
      loadScript('assets/lunr.min.js', function (err) {
        if (err || !window.lunr) return;
        loadScript('search.js', function (err2) {
          if (err2 || !window.WB_SEARCH) return;
          index = window.lunr.Index.load(window.WB_SEARCH.index);
          if (pending) show();
        });
      });
    }
    // Where a hit's terms are in one field of its document: [start, length] pairs, in order.
    function spansOf(hit, field) {
      var spans = [];
      Object.keys(hit.matchData.metadata).forEach(function (term) {
        var m = hit.matchData.metadata[term][field];
        if (m && m.position) spans = spans.concat(m.position);
      });
      return spans.sort(function (a, b) { return a[0] - b[0]; });
    }
    // Text t from..to into el, the spans marked.
    function marked(el, t, spans, from, to) {
      var at = from;
      spans.forEach(function (s) {
        if (s[0] < at || s[0] + s[1] > to) return;
        el.appendChild(document.createTextNode(t.slice(at, s[0])));
        var mark = document.createElement('mark');
        mark.textContent = t.slice(s[0], s[0] + s[1]);
        el.appendChild(mark);
        at = s[0] + s[1];
      });
      el.appendChild(document.createTextNode(t.slice(at, to)));
    }
    // A snippet of a section's text around its first match, the matched words marked. A formula (its TeX
    // between \u0002 and \u0003, tools/search-index.js) is shown whole, rendered by KaTeX where the page has it.
    function snippet(doc, hit) {
      var spans = spansOf(hit, 'text');
      var p = document.createElement('p');
      var t = doc.text, from = spans.length ? Math.max(0, spans[0][0] - 60) : 0, to = Math.min(t.length, from + 180);
      var open = t.lastIndexOf('\u0002', from), close = t.lastIndexOf('\u0003', from);
      if (open > close) from = open;                                // the window began inside a formula
      open = t.lastIndexOf('\u0002', to - 1), close = t.indexOf('\u0003', open);
      if (open >= from && close >= to) to = close + 1;              // or ended inside one
      if (from > 0) p.appendChild(document.createTextNode('…'));
      for (var at = from; at < to;) {
        var m = t.indexOf('\u0002', at);
        if (m < 0 || m >= to) { marked(p, t, spans, at, to); break; }
        marked(p, t, spans, at, m);
        var end = t.indexOf('\u0003', m), math = document.createElement('span');
        if (end < 0) end = t.length;
        math.className = 'math inline';
        if (window.katex) katex.render(t.slice(m + 1, end), math, {throwOnError: false});
        else math.textContent = t.slice(m + 1, end);
        p.appendChild(math);
        at = end + 1;
      }
      if (to < t.length) p.appendChild(document.createTextNode('…'));
      return p;
    }
    function show() {
      var q = input.value.trim().toLowerCase(), terms = q.split(/[^a-z0-9_]+/).filter(Boolean);
      list.textContent = '';
      list.hidden = !q;
      if (!q) return;
      if (!index) { pending = true; ready(); return; }
      var hits = index.query(function (query) {
        terms.forEach(function (t, i) {
          query.term(t, {boost: 10});
          if (i === terms.length - 1) query.term(t, {wildcard: window.lunr.Query.wildcard.TRAILING});
        });
      }).slice(0, 10);
      if (!hits.length) {
        var none = document.createElement('li');
        none.className = 'none';
        none.textContent = 'No section of the book mentions “' + input.value.trim() + '”.';
        list.appendChild(none);
        return;
      }
      hits.forEach(function (hit) {
        var doc = window.WB_SEARCH.docs[+hit.ref];
        var li = document.createElement('li'), a = document.createElement('a');
        a.href = BASE + doc.page;
        var chap = document.createElement('span');
        chap.className = 'chapter';
        chap.textContent = doc.chapter;
        var sec = document.createElement('strong');
        marked(sec, doc.section, spansOf(hit, 'section'), 0, doc.section.length);
        a.appendChild(chap);
        a.appendChild(sec);
        li.appendChild(a);
        li.appendChild(snippet(doc, hit));
        list.appendChild(li);
      });
    }
    input.addEventListener('focus', ready);
    input.addEventListener('input', show);
    input.addEventListener('keydown', function (ev) {
      if (ev.key === 'Escape') { input.value = ''; show(); input.blur(); }
    });
    document.addEventListener('keydown', function (ev) {
      var t = ev.target && ev.target.tagName;
      if (ev.key === '/' && t !== 'INPUT' && t !== 'TEXTAREA') { ev.preventDefault(); input.focus(); }
    });
  }

  // Every heading, figure and table of the text shows a link to itself on hover or focus (its id is the weaver's).
  function anchors() {
    var els = document.querySelectorAll('article h2, article h3, article figure[id]');
    for (var i = 0; i < els.length; i++) {
      var el = els[i], id = el.id || (el.querySelector('[id]') || {}).id;
      if (!id) continue;
      var a = document.createElement('a');
      a.className = 'anchor';
      a.href = '#' + id;
      a.setAttribute('aria-label', 'Link to this ' + (el.tagName === 'FIGURE' ? 'figure' : 'section'));
      a.textContent = '#';
      (el.tagName === 'FIGURE' ? el.querySelector('figcaption') || el : el).appendChild(a);
    }
  }

  // Each code listing gets a button that copies its code, without the line numbers (they are CSS, not text).
  function copyButtons() {
    var codes = document.querySelectorAll('figure.listing pre code');
    for (var i = 0; i < codes.length; i++) {
      var b = document.createElement('button');
      b.type = 'button';
      b.className = 'copy';
      b.textContent = 'Copy';
      b.setAttribute('aria-label', 'Copy this code');
      b.addEventListener('click', (function (code, button) {
        return function () {
          var text = code.textContent.replace(/\n$/, '');
          var done = function () { button.textContent = 'Copied'; setTimeout(function () { button.textContent = 'Copy'; }, 1500); };
          if (navigator.clipboard && navigator.clipboard.writeText) {
            navigator.clipboard.writeText(text).then(done, function () { button.textContent = 'Copy failed'; });
          } else {
            var t = document.createElement('textarea');
            t.value = text;
            document.body.appendChild(t);
            t.select();
            try { document.execCommand('copy'); done(); } catch (e) { button.textContent = 'Copy failed'; }
            t.remove();
          }
        };
      })(codes[i], b));
      codes[i].parentNode.parentNode.insertBefore(b, codes[i].parentNode);
    }
  }

  renderMath();
  foldContents();
  zoomFigures();
  anchors();
  copyButtons();
  search();
  // For the browser test and the PDF printer: every formula has been handed to KaTeX.
  document.documentElement.dataset.ready = 'yes';
})();
