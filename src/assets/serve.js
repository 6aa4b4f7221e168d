// serve.js — what a page does when `make serve` sends it (serve_http.c adds this script to every page it serves;
// the book's own files never load it, so a page opened from file:// is unchanged).
//
// It listens to the server's events (/__events, Server-Sent Events):
//   status  a build runs: a small line at the bottom of the page says what it does now
//   failed  the build failed: an overlay shows its first error (the file:line message); it stays until
//   ok      a good build, which takes the overlay and the status line away
//   reload  these pages changed: if this page is one of them, it reloads itself at the same scroll position
'use strict';
(function () {
  var KEY = 'wb-serve-scroll:' + location.pathname;
  var saved = sessionStorage.getItem(KEY);
  if (saved !== null) {
    sessionStorage.removeItem(KEY);
    var y = +saved;
    var restore = function () { window.scrollTo(0, y); };
    if (document.readyState === 'complete') restore(); else window.addEventListener('load', restore);
    // KaTeX and the figures may move the page once more after load: hold the position for a moment.
    setTimeout(restore, 300);
  }

  function box(id, css) {
    var el = document.getElementById(id);
    if (!el) {
      el = document.createElement('div');
      el.id = id;
      el.setAttribute('role', id === 'wb-serve-error' ? 'alert' : 'status');
      el.style.cssText = css;
      document.body.appendChild(el);
    }
    return el;
  }
  function drop(id) { var el = document.getElementById(id); if (el) el.remove(); }

  var STATUS = 'position:fixed;right:1em;bottom:1em;z-index:1000;max-width:40em;padding:0.3em 0.7em;' +
    'font:13px/1.4 system-ui,sans-serif;background:#1f2328;color:#fff;border-radius:4px;opacity:0.9';
  var ERROR = 'position:fixed;left:0;right:0;top:0;z-index:1001;padding:1em 1.5em;font:14px/1.5 ui-monospace,' +
    'monospace;background:#9b1c1c;color:#fff;white-space:pre-wrap;box-shadow:0 2px 8px rgba(0,0,0,0.4)';

  var here = location.pathname === '/' ? '/index.html' : location.pathname;
  var events = new EventSource('/__events');
  events.addEventListener('status', function (e) { box('wb-serve-status', STATUS).textContent = e.data; });
  events.addEventListener('failed', function (e) {
    drop('wb-serve-status');
    box('wb-serve-error', ERROR).textContent = 'make book failed: ' + e.data;
  });
  events.addEventListener('ok', function () { drop('wb-serve-status'); drop('wb-serve-error'); });
  events.addEventListener('reload', function (e) {
    if (e.data.split('\n').indexOf(here) < 0) return;
    sessionStorage.setItem(KEY, String(window.scrollY));
    location.reload();
  });
})();
