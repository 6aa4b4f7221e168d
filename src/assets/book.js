// book.js — renders every formula with the book's offline KaTeX, folds the contents on narrow screens, and
// enlarges a figure on click.
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

  renderMath();
  foldContents();
  zoomFigures();
  // For the browser test and the PDF printer: every formula has been handed to KaTeX.
  document.documentElement.dataset.ready = 'yes';
})();
