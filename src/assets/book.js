// book.js — renders every formula with the book's offline KaTeX, and folds the contents on narrow screens.
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

  renderMath();
  foldContents();
})();
