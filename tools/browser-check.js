#!/usr/bin/env node
// browser-check.js — the book as a reader's browser shows it: Debian's headless Chromium, driven through the
// DevTools protocol over a pipe (no npm package, no browser download), loads every page of a built book from
// file:// and checks it; it also prints the one-page book to PDF.
//
//   node tools/browser-check.js check BOOK BUILD SHOTS   TAP on stdout; exit 1 when a check fails
//   node tools/browser-check.js pdf BOOK/print.html OUT.pdf
//
// BOOK is the built book (book/), BUILD the build folder holding each chapter's formulas as the weaver listed
// them (build/NN-name/math.tsv, from `weave --math-out`), SHOTS a folder for a screenshot of each chapter page at
// 390 and 1280 px, light (the whole page) and dark (its first screen). What `check` asserts, page by page:
//   - it loads with no console error, no uncaught exception and no request that failed (file:// included);
//   - KaTeX and book.js ran, every formula was rendered by KaTeX (none is a .katex-error) and the rendered
//     formulas are the chapter's formulas: as many, in the same order, with the same TeX;
//   - every image loaded (complete, with a width);
//   - every link inside the book leads to a file that exists and, when it names #id, to an element with that id;
//   - every code listing shows lines numbered as in its source file, and links to that file's page at its first line;
//   - listings and source pages are highlighted from the build: keywords, types, comments, strings and numbers
//     each carry their class (tok-kw, ...), and every token class measures at least 4.5:1 (WCAG) against its
//     code's background, in the light and the dark theme;
//   - the contents list every chapter in book order; previous/next lead to the neighbouring chapters;
//   - print.html, in print, shows no navigation and starts each chapter on a new page;
//   - at 390 px nothing scrolls sideways and the contents sit above the text; at 1280 px they sit beside it;
//     the dark theme is dark and the light one light; a figure enlarges on click and closes again.
'use strict';

const {spawn} = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const {pathToFileURL, fileURLToPath} = require('url');

const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const LOAD_TIMEOUT_MS = 30000;

function die(msg) {
  process.stderr.write(`browser-check: ${msg}\n`);
  process.exit(2);
}

// ----- the browser: Chromium with --remote-debugging-pipe (JSON messages ending in NUL on fds 3 and 4) -----

class Browser {
  constructor() {
    this.profile = fs.mkdtempSync(path.join(os.tmpdir(), 'wb-chromium-'));
    const args = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync', '--hide-scrollbars',
      '--force-color-profile=srgb', '--allow-file-access-from-files', `--user-data-dir=${this.profile}`,
      '--remote-debugging-pipe', 'about:blank'];
    this.proc = spawn(CHROMIUM, args, {stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe']});
    this.proc.on('error', (e) => die(`cannot start ${CHROMIUM}: ${e.message}`));
    this.stderr = '';
    this.proc.stderr.on('data', (d) => { this.stderr = (this.stderr + d).slice(-4000); });
    this.proc.on('exit', (code) => { if (!this.closing) die(`chromium exited (${code}): ${this.stderr.trim()}`); });
    this.nextId = 0;
    this.pending = new Map();
    this.listeners = [];
    let buf = '';
    this.proc.stdio[4].on('data', (d) => {
      buf += d;
      for (let i; (i = buf.indexOf('\0')) >= 0; buf = buf.slice(i + 1)) this.receive(JSON.parse(buf.slice(0, i)));
    });
  }

  receive(m) {
    if (m.id !== undefined && this.pending.has(m.id)) {
      const {resolve, reject, method} = this.pending.get(m.id);
      this.pending.delete(m.id);
      if (m.error) reject(new Error(`${method}: ${m.error.message}`));
      else resolve(m.result);
    } else if (m.method) {
      for (const f of this.listeners) f(m.method, m.params || {});
    }
  }

  send(method, params = {}, sessionId = this.session) {
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      this.pending.set(id, {resolve, reject, method});
      this.proc.stdio[3].write(JSON.stringify({id, method, params, sessionId}) + '\0');
    });
  }

  on(f) { this.listeners.push(f); }

  // One tab, attached, with the domains whose events we watch.
  async open() {
    const {targetId} = await this.send('Target.createTarget', {url: 'about:blank'}, undefined);
    const {sessionId} = await this.send('Target.attachToTarget', {targetId, flatten: true}, undefined);
    this.session = sessionId;
    for (const d of ['Page', 'Runtime', 'Network', 'Log']) await this.send(`${d}.enable`);
  }

  async close() {
    this.closing = true;
    // Chromium writes its profile until it has exited: only then can the folder go.
    const exited = this.proc.exitCode !== null ? Promise.resolve() : new Promise((r) => this.proc.once('exit', r));
    try { await this.send('Browser.close', {}, undefined); } catch (e) { /* already gone */ }
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
    fs.rmSync(this.profile, {recursive: true, force: true, maxRetries: 3});
  }
}

// What went wrong while a page loaded: console errors, exceptions, failed requests.
function watchProblems(browser) {
  const problems = [];
  browser.on((method, p) => {
    if (method === 'Runtime.consoleAPICalled' && (p.type === 'error' || p.type === 'assert'))
      problems.push(`console.${p.type}: ${(p.args || []).map((a) => a.value ?? a.description).join(' ')}`);
    else if (method === 'Runtime.exceptionThrown')
      problems.push(`exception: ${p.exceptionDetails.exception?.description ?? p.exceptionDetails.text}`);
    else if (method === 'Log.entryAdded' && p.entry.level === 'error')
      problems.push(`log: ${p.entry.text}${p.entry.url ? ' ' + p.entry.url : ''}`);
    else if (method === 'Network.loadingFailed' && !p.canceled)
      problems.push(`request failed: ${p.errorText} (${browser.urls.get(p.requestId) || p.requestId})`);
    else if (method === 'Network.requestWillBeSent') browser.urls.set(p.requestId, p.request.url);
  });
  browser.urls = new Map();
  return problems;
}

function waitFor(browser, event, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${event} within ${ms / 1000} s`)), ms);
    browser.on((method) => { if (method === event) { clearTimeout(timer); resolve(); } });
  });
}

async function evaluate(browser, expression) {
  const r = await browser.send('Runtime.evaluate', {expression, returnByValue: true, awaitPromise: true});
  if (r.exceptionDetails) throw new Error(`in page: ${r.exceptionDetails.exception?.description ?? r.exceptionDetails.text}`);
  return r.result.value;
}

// The colour scheme the page sees; switching it restyles the page without reloading it.
async function scheme(browser, value) {
  await browser.send('Emulation.setEmulatedMedia', {features: [{name: 'prefers-color-scheme', value}]});
}

// Load a page at a viewport width, light, and wait until its fonts are in and book.js has run.
async function load(browser, url, width) {
  await browser.send('Emulation.setDeviceMetricsOverride',
    {width, height: width < 600 ? 844 : 900, deviceScaleFactor: 1, mobile: width < 600});
  await scheme(browser, 'light');
  const loaded = waitFor(browser, 'Page.loadEventFired', LOAD_TIMEOUT_MS);
  await browser.send('Page.navigate', {url});
  await loaded;
  await evaluate(browser, 'document.fonts.ready.then(() => true)');
}

// A screenshot of the whole page (capped in height: the longest chapters are long on a phone), or of its
// first screen only (a fraction of the time: the dark theme is judged by it).
async function screenshot(browser, file, whole = true) {
  const m = await browser.send('Page.getLayoutMetrics');
  const v = m.cssLayoutViewport;
  const {width, height} = whole ? m.cssContentSize : {width: v.clientWidth, height: v.clientHeight};
  const clip = {x: 0, y: 0, width, height: Math.min(height, 16000), scale: 1};
  const {data} = await browser.send('Page.captureScreenshot',
    {format: 'png', clip, captureBeyondViewport: true, optimizeForSpeed: true});
  fs.writeFileSync(file, Buffer.from(data, 'base64'));
}

// ----- what a page shows (evaluated inside it) -------------------------------------------------------

// The classes of the build's highlighting (src/weave_highlight.c), and those every page of code must show.
const TOKEN_CLASSES = ['tok-kw', 'tok-type', 'tok-com', 'tok-str', 'tok-num', 'tok-pp'];
const TOKENS_REQUIRED = ['tok-kw', 'tok-type', 'tok-com', 'tok-str', 'tok-num'];

const INSPECT = (width) => `(() => {
  const all = (sel, root = document) => Array.from(root.querySelectorAll(sel));
  const tex = (el) => { const a = el.querySelector('annotation[encoding="application/x-tex"]'); return a ? a.textContent : null; };
  const box = (el) => { if (!el) return null; const r = el.getBoundingClientRect(); return {x: r.x, y: r.y, w: r.width, h: r.height}; };
  return {
    ready: document.documentElement.dataset.ready || null,
    katex: typeof katex !== 'undefined',
    math: all('.math').map((el) => ({rendered: !!el.querySelector('.katex'), error: !!el.querySelector('.katex-error'), tex: tex(el)})),
    errors: all('.katex-error').length,
    images: all('img').map((i) => ({src: i.getAttribute('src'), ok: i.complete && i.naturalWidth > 0})),
    links: all('a[href]').map((a) => ({href: a.href, raw: a.getAttribute('href')})),
    ids: all('[id]').map((e) => e.id),
    listings: all('figure.listing').map((f) => ({href: f.querySelector('figcaption a') ? f.querySelector('figcaption a').href : null,
      lines: all('pre .line', f).map((l) => [Number(l.dataset.n), l.textContent, l.innerHTML])})),
    // A program's page: each line's HTML by its number, for the listings cut from it.
    sourceLines: Object.fromEntries(all('pre.source .line').map((l) => [l.dataset.n, l.innerHTML])),
    // Each token class: how many on the page, and the first one's colour against its pre's background.
    tokens: Object.fromEntries(${JSON.stringify(TOKEN_CLASSES)}.map((c) => {
      const els = all('pre .' + c), el = els[0];
      return [c, {n: els.length, color: el ? getComputedStyle(el).color : null,
        bg: el ? getComputedStyle(el.closest('pre')).backgroundColor : null}];
    })),
    scrollWidth: document.documentElement.scrollWidth,
    // What reaches past the window's right edge (a mobile browser widens the layout to fit it, so innerWidth
    // grows with it: the check compares with the width it asked for).
    wide: all('body *').filter((e) => e.getBoundingClientRect().right > ${width} + 1 && !e.closest('pre, .math.display, figure.table, .zoom, .katex-mathml, svg')
        && !(e.parentElement.getBoundingClientRect().right > ${width} + 1))
      .slice(0, 5).map((e) => e.tagName.toLowerCase() + (e.className ? '.' + String(e.className).split(' ').join('.') : '') + ' ' + Math.round(e.getBoundingClientRect().right)),
    // The same with a code span of one word wider than the line (a command naming a long path) added to the
    // text for a moment: it must break rather than widen the page.
    longCode: (() => {
      const p = document.createElement('p'), m = document.querySelector('main article') || document.querySelector('main');
      p.innerHTML = '<code>' + 'x'.repeat(300) + '</code>';
      if (!m) return null;
      m.appendChild(p);
      const w = document.documentElement.scrollWidth;
      p.remove();
      return w;
    })(),
    bg: getComputedStyle(document.body).backgroundColor,
    toc: box(document.querySelector('nav.toc')),
    contents: all('nav.toc ol.chapters > li > a').map((a) => a.getAttribute('href')),
    prev: document.querySelector('nav.pager a.prev') ? document.querySelector('nav.pager a.prev').getAttribute('href') : null,
    next: document.querySelector('nav.pager a.next') ? document.querySelector('nav.pager a.next').getAttribute('href') : null,
    main: box(document.querySelector('main')),
    figures: all('figure.figure img').length,
  };
})()`;

// Click the first figure: an enlarged copy must cover the window; a second click must close it.
const ZOOM = `(async () => {
  const img = document.querySelector('figure.figure img');
  const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
  img.click(); await frame();
  const box = document.querySelector('.zoom');
  const shown = box && getComputedStyle(box).display !== 'none' && box.getBoundingClientRect().width >= window.innerWidth * 0.9;
  if (box) box.click();
  await frame();
  const closed = !document.querySelector('.zoom') || getComputedStyle(document.querySelector('.zoom')).display === 'none';
  return {shown: !!shown, closed};
})()`;

// ----- checking -------------------------------------------------------------------------------------------

let count = 0, failed = 0;
function ok(good, what, details = []) {
  count++;
  if (!good) failed++;
  console.log(`${good ? 'ok' : 'not ok'} ${count} - ${what}`);
  if (!good) for (const d of details.slice(0, 12)) console.log(`# ${String(d).replace(/\n/g, '\n# ')}`);
}

// The formulas the weaver found in a chapter (build/NN-name/math.tsv): their TeX in order.
function formulas(build, chapter) {
  const file = path.join(build, chapter, 'math.tsv');
  if (!fs.existsSync(file)) return null;
  const unescape = (s) => s.replace(/\\(.)/g, (_, c) => (c === 't' ? '\t' : c === 'n' ? '\n' : c));
  return fs.readFileSync(file, 'utf8').split('\n').filter((l) => l).map((l) => unescape(l.split('\t').slice(2).join('\t')));
}

function checkMath(name, info, want) {
  const got = info.math;
  const bad = got.filter((m) => !m.rendered || m.error).length;
  const details = [];
  if (want === null) details.push('no math.tsv from the weaver for this page');
  else if (got.length !== want.length) details.push(`${got.length} formulas on the page, ${want.length} in the source`);
  else want.forEach((t, i) => { if (got[i].tex !== t) details.push(`formula ${i + 1}: source ${JSON.stringify(t)}, rendered ${JSON.stringify(got[i].tex)}`); });
  if (bad) details.push(`${bad} formulas not rendered`);
  if (info.errors) details.push(`${info.errors} .katex-error`);
  ok(!details.length && info.errors === 0, `${name}: every formula rendered by KaTeX (${got.length - bad} of ${want ? want.length : '?'})`, details);
}

function checkListings(name, info) {
  const details = [];
  info.listings.forEach((l, k) => {
    if (!l.href || !l.href.startsWith('file:')) return details.push(`listing ${k + 1}: no link to its source file`);
    const page = fileURLToPath(l.href.split('#')[0]);
    const raw = page.replace(/\.html$/, '');
    if (!fs.existsSync(raw)) return details.push(`listing ${k + 1}: ${raw} missing`);
    const src = fs.readFileSync(raw, 'utf8').split('\n');
    if (!l.lines.length) return details.push(`listing ${k + 1}: no numbered lines`);
    if (l.href.split('#')[1] !== `L${l.lines[0][0]}`) details.push(`listing ${k + 1}: links to ${l.href}, starts at line ${l.lines[0][0]}`);
    for (const [n, text] of l.lines)
      if (src[n - 1] !== text) { details.push(`listing ${k + 1}: line ${n} is ${JSON.stringify(text)}, the file has ${JSON.stringify(src[n - 1])}`); break; }
  });
  ok(!details.length, `${name}: ${info.listings.length} code listings numbered as their source files and linked to them`, details);
}

// Every link into the book: the file exists, and so does the #id on that page.
function checkLinks(name, info, idsOf) {
  const details = [];
  let n = 0;
  for (const {href, raw} of info.links) {
    if (!href.startsWith('file:')) continue;
    n++;
    const [file, id] = [fileURLToPath(href.split('#')[0]), decodeURIComponent(href.split('#')[1] || '')];
    if (!fs.existsSync(file)) { details.push(`${raw}: no file ${file}`); continue; }
    if (!id) continue;
    let ids = idsOf.get(file);
    if (!ids) ids = new Set([...fs.readFileSync(file, 'utf8').matchAll(/\sid="([^"]*)"/g)].map((m) => m[1]));
    if (!ids.has(id)) details.push(`${raw}: no id "${id}" in ${path.basename(file)}`);
  }
  ok(!details.length, `${name}: every one of ${n} links inside the book resolves`, details);
}

// The chapters' listings are highlighted as the source pages they link to are, line for line (so a listing's
// strings are coloured wherever the file's are), and together they show every required token class that
// their code holds.
function checkListingTokens(infos, chapters, listed) {
  const pages = new Map(infos.map(([, file, info]) => [file, info.sourceLines]));
  const details = [], held = new Set();
  let lines = 0;
  for (const [page, , info] of infos) {
    if (!chapters.includes(page)) continue;
    info.listings.forEach((l, k) => {
      const src = l.href && pages.get(fileURLToPath(l.href.split('#')[0]));
      if (!src) return details.push(`${page}: listing ${k + 1}: its source page was not loaded`);
      for (const [n, , html] of l.lines) {
        lines++;
        TOKENS_REQUIRED.filter((c) => (src[n] || '').includes(`"${c}"`)).forEach((c) => held.add(c));
        if (src[n] !== html) { details.push(`${page}: listing ${k + 1}: line ${n} is ${JSON.stringify(html)}, its source page has ${JSON.stringify(src[n])}`); break; }
      }
    });
  }
  const unlisted = [...held].filter((c) => !listed.has(c));
  if (unlisted.length) details.push(`the listed code holds ${unlisted.join(', ')}, no listing shows it`);
  if (listed.size < 4) details.push(`the listings show only ${[...listed].join(' ') || 'no token class'}`);
  ok(!details.length, `the chapters' listings (${lines} lines) are highlighted as their source pages, showing ${[...listed].join(' ')}`, details);
}

// WCAG 2 contrast ratio of two CSS colours as getComputedStyle gives them (rgb(...) or rgba(...), opaque).
function contrast(a, b) {
  const rel = (css) => {
    const [r, g, b2] = (css.match(/[\d.]+/g) || [0, 0, 0]).map(Number).map((c) => {
      c /= 255;
      return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b2;
  };
  const [x, y] = [rel(a), rel(b)];
  return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05);
}

// A page's code in colour: every token class measured against its code's background in each theme (>= 4.5:1),
// and on a source page (a whole program) every required class present. Returns the classes seen, for the book.
function checkHighlight(name, views, required) {
  const details = [], seen = new Set(), least = new Map();  // "kw light" -> the lowest ratio measured
  for (const [key, v] of Object.entries(views)) {
    const theme = key.split(' ')[1];
    for (const [cls, t] of Object.entries(v.tokens)) {
      if (!t.n) continue;
      seen.add(cls);
      const r = contrast(t.color, t.bg), k = `${cls.slice(4)} ${theme}`;
      least.set(k, Math.min(least.get(k) ?? Infinity, r));
      if (!(r >= 4.5)) details.push(`${key}: .${cls} is ${t.color} on ${t.bg}, contrast ${r.toFixed(2)}:1; expected at least 4.5:1`);
    }
  }
  const missing = required ? TOKENS_REQUIRED.filter((c) => !seen.has(c)) : [];
  if (missing.length) details.push(`no token of class ${missing.join(', ')}; expected the build's highlighting`);
  const measured = [...seen].map((c) => `${c.slice(4)} ${(least.get(`${c.slice(4)} light`) || 0).toFixed(1)}` +
    (least.has(`${c.slice(4)} dark`) ? `/${least.get(`${c.slice(4)} dark`).toFixed(1)}` : '')).join(', ');
  if (seen.size || required)
    ok(!details.length, `${name}: code highlighted, every token class at least 4.5:1 on its background, light/dark (${measured})`, details);
  return seen;
}

const luminance = (css) => { const [r, g, b] = (css.match(/\d+/g) || [0, 0, 0]).map(Number); return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255; };

function checkLayout(name, views) {
  const details = [];
  for (const [key, v] of Object.entries(views)) {
    const [width, scheme] = key.split(' ');
    if (v.scrollWidth > Number(width) + 1)
      details.push(`${key}: the page is ${v.scrollWidth} px wide, it scrolls sideways; reaching out: ${v.wide.join(', ')}`);
    if (v.longCode > Number(width) + 1)
      details.push(`${key}: a code span of one 300-character word makes the page ${v.longCode} px wide; inline code must break`);
    const lum = luminance(v.bg);
    if (scheme === 'dark' ? lum > 0.3 : lum < 0.7) details.push(`${key}: background ${v.bg} in the ${scheme} theme`);
    if (!v.toc || !v.main) { details.push(`${key}: no contents or no main`); continue; }
    if (width === '390' && !(v.toc.y + v.toc.h <= v.main.y + 1)) details.push(`${key}: the contents are not above the text`);
    if (width === '1280' && !(v.toc.x + v.toc.w <= v.main.x + 1 && v.toc.h > 0)) details.push(`${key}: the contents are not beside the text`);
  }
  ok(!details.length, `${name}: at 390 and 1280 px, light and dark: no sideways scroll, contents placed, theme applied`, details);
}

// The sidebar lists every chapter page in book order, and previous/next lead to the neighbours in that order.
function checkNavigation(name, info, order) {
  const details = [];
  if (JSON.stringify(info.contents) !== JSON.stringify(order))
    details.push(`the contents list ${JSON.stringify(info.contents)}, the book has ${JSON.stringify(order)}`);
  const k = order.indexOf(name);
  const want = {prev: k > 0 ? order[k - 1] : null, next: k + 1 < order.length ? order[k + 1] : null};
  for (const d of ['prev', 'next']) if (info[d] !== want[d]) details.push(`${d} leads to ${info[d]}, expected ${want[d]}`);
  ok(!details.length, `${name}: the contents list every chapter; previous and next lead to its neighbours`, details);
}

// In print, book/print.html shows no navigation and starts every chapter on a new page.
const PRINT = `(() => {
  const nav = Array.from(document.querySelectorAll('nav.toc, nav.pager')).filter((n) => getComputedStyle(n).display !== 'none').length;
  const chapters = Array.from(document.querySelectorAll('section.chapter'));
  return {nav, chapters: chapters.length, breaks: chapters.filter((c) => getComputedStyle(c).breakBefore === 'page').length};
})()`;

// The chapter a page belongs to, for its math.tsv: index.html is the preface.
function chapterOf(build, page) {
  const base = path.basename(page, '.html');
  if (base !== 'index') return base;
  const pre = fs.readdirSync(build).find((d) => /^00-/.test(d));
  return pre || '00-preface';
}

async function check(book, build, shots) {
  book = path.resolve(book);
  const chapters = fs.readdirSync(book).filter((f) => /^(index|\d\d-.*)\.html$/.test(f)).sort()
    .sort((a, b) => (b === 'index.html') - (a === 'index.html'));  // the front page first
  const sources = fs.existsSync(path.join(book, 'src'))
    ? fs.readdirSync(path.join(book, 'src'), {recursive: true}).filter((f) => f.endsWith('.html')).map((f) => path.join('src', f)).sort()
    : [];
  const extra = fs.existsSync(path.join(book, 'print.html')) ? ['print.html'] : [];
  if (!chapters.length) die(`no pages in ${book}`);
  fs.mkdirSync(shots, {recursive: true});

  const browser = new Browser();
  const problems = watchProblems(browser);
  await browser.open();
  const idsOf = new Map(), infos = [];
  for (const page of [...chapters, ...extra, ...sources]) {
    const file = path.join(book, page), url = pathToFileURL(file).href;
    problems.length = 0;
    const views = {};
    let info;
    const isChapter = chapters.includes(page);
    try {
      for (const width of isChapter ? [1280, 390] : [1280]) {
        await load(browser, url, width);
        // Both themes are inspected before any screenshot: a whole-page screenshot lays the page out at its
        // full height for a moment, and what is measured must be the page as the reader's window shows it.
        const schemes = isChapter || page.startsWith('src') ? ['light', 'dark'] : ['light'];
        for (const s of schemes) {
          await scheme(browser, s);
          const v = await evaluate(browser, INSPECT(width));
          views[`${width} ${s}`] = v;
          if (!info) info = v;
        }
        if (isChapter)
          for (const s of [...schemes].reverse()) {
            await scheme(browser, s);
            await screenshot(browser, path.join(shots, `${path.basename(page, '.html')}-${width}-${s}.png`), s === 'light');
          }
      }
      if (info.figures) info.zoom = await evaluate(browser, ZOOM);
      if (page === 'print.html') {
        await browser.send('Emulation.setEmulatedMedia', {media: 'print'});
        info.print = await evaluate(browser, PRINT);
        await browser.send('Emulation.setEmulatedMedia', {media: ''});
      }
    } catch (e) {
      ok(false, `${page}: loads`, [e.message]);
      continue;
    }
    const needsKatex = !page.startsWith('src');  // a program's page has no math
    ok(!problems.length && info.ready === 'yes' && (info.katex || !needsKatex),
      `${page}: loads${needsKatex ? ' with KaTeX' : ''} and book.js, no console error, no failed request`,
      [...problems, ...(info.ready === 'yes' ? [] : ['book.js did not finish']), ...(info.katex || !needsKatex ? [] : ['KaTeX did not load'])]);
    idsOf.set(file, new Set(info.ids));
    infos.push([page, file, info, views]);
  }

  const listed = new Set();  // the token classes the chapters' listings show, all pages together
  for (const [page, , info, views] of infos) {
    if (chapters.includes(page)) checkMath(page, info, formulas(build, chapterOf(build, page)));
    if (page === 'print.html') {
      const all = chapters.map((p) => formulas(build, chapterOf(build, p)) || []).flat();
      checkMath(page, info, all);
    }
    const broken = info.images.filter((i) => !i.ok).map((i) => `not loaded: ${i.src}`);
    ok(!broken.length, `${page}: every one of ${info.images.length} images loaded`, broken);
    checkLinks(page, info, idsOf);
    if (info.listings.length) checkListings(page, info);
    if (chapters.includes(page) || page.startsWith('src'))
      checkHighlight(page, views, page.startsWith('src')).forEach((c) => chapters.includes(page) && listed.add(c));
    if (chapters.includes(page)) checkLayout(page, views);
    if (chapters.includes(page)) checkNavigation(page, info, chapters);
    if (info.print) ok(info.print.nav === 0 && info.print.chapters === chapters.length && info.print.breaks === info.print.chapters,
      `${page}: in print, no navigation and each of the ${chapters.length} chapters starts a page`, [JSON.stringify(info.print)]);
    if (info.zoom) ok(info.zoom.shown && info.zoom.closed, `${page}: a figure enlarges on click and closes on a second click`,
      [JSON.stringify(info.zoom)]);
  }
  checkListingTokens(infos, chapters, listed);
  await checkSearch(browser, book, idsOf, problems);
  await checkReaderAids(browser, book, chapters);
  await browser.close();
  console.log(`1..${count}`);
  process.exit(failed ? 1 : 0);
}

// The search box, from file:// in both themes: "/" focuses it, "Jacobian" lists the softmax Jacobian section
// of chapter 1 first (its link leads to that heading), a word that is nowhere says so.
const SEARCH = (q) => `(async () => {
  const input = document.querySelector('nav.toc .search input');
  if (!input) return {missing: true};
  document.body.focus();
  document.dispatchEvent(new KeyboardEvent('keydown', {key: '/', bubbles: true}));
  const focused = document.activeElement === input;
  input.value = ${JSON.stringify(q)};
  input.dispatchEvent(new Event('input', {bubbles: true}));
  for (let i = 0; i < 100 && !document.querySelector('nav.toc .results li'); i++) await new Promise((r) => setTimeout(r, 50));
  const items = Array.from(document.querySelectorAll('nav.toc .results li'));
  const first = items[0];
  const a = first && first.querySelector('a');
  const style = first && getComputedStyle(first);
  return {focused, n: items.length, none: first && first.classList.contains('none') ? first.textContent : null,
    href: a ? a.getAttribute('href') : null, section: a ? a.querySelector('strong').textContent : null,
    marked: first ? Array.from(first.querySelectorAll('mark')).map((m) => m.textContent) : [],
    formulas: first ? first.querySelectorAll('p .katex').length : 0,
    // TeX left as source: a command (\\frac, \\partial) in the snippet's text once its rendered formulas are taken out.
    rawTex: (() => {
      const p = first && first.querySelector('p');
      if (!p) return 0;
      const c = p.cloneNode(true);
      c.querySelectorAll('.katex').forEach((k) => k.remove());
      return (c.textContent.match(/\\[a-zA-Z]+/g) || []).length;
    })(),
    color: style ? style.color : null, background: getComputedStyle(document.body).backgroundColor};
})()`;

// What a reader uses besides the text, on every chapter page: each heading's and figure's anchor link leads back
// to it; each listing's copy button copies its code as the source file has it (line numbers left out); the
// skip link comes first and leads to the text; each figure's alt text says what its caption says.
const AIDS = `(async () => {
  const heads = Array.from(document.querySelectorAll('article h2, article h3, article figure[id]'));
  const badAnchors = heads.filter((h) => {
    const a = h.querySelector('a.anchor');
    const id = a && a.getAttribute('href').slice(1);
    const target = id && document.getElementById(id);
    return !target || !(target === h || h.contains(target));
  }).map((h) => h.textContent.slice(0, 40));
  const copied = [];
  navigator.clipboard.writeText = (t) => { copied.push(t); return Promise.resolve(); };
  const listings = Array.from(document.querySelectorAll('figure.listing'));
  const withButton = listings.filter((f) => f.querySelector('button.copy')).length;
  for (const f of listings) { const b = f.querySelector('button.copy'); if (b) b.click(); }
  await new Promise((r) => setTimeout(r, 50));
  const sources = listings.map((f) => ({href: f.querySelector('figcaption a') && f.querySelector('figcaption a').href,
    lines: Array.from(f.querySelectorAll('.line')).map((l) => +l.dataset.n)}));
  const first = document.querySelector('body a, body button, body input');
  const alts = Array.from(document.querySelectorAll('figure.figure img')).map((i) => i.alt);
  return {badAnchors, heads: heads.length, listings: listings.length, withButton, copied, sources,
    skip: first && first.classList.contains('skip') && first.getAttribute('href') === '#main' && !!document.getElementById('main'),
    alts};
})()`;

async function checkReaderAids(browser, book, chapters) {
  const details = [];
  let heads = 0, listings = 0, figures = 0;
  for (const page of chapters) {
    await load(browser, pathToFileURL(path.join(book, page)).href, 1280);
    const r = await evaluate(browser, AIDS);
    heads += r.heads, listings += r.listings, figures += r.alts.length;
    r.badAnchors.forEach((h) => details.push(`${page}: the anchor of "${h}" does not lead back to it`));
    if (r.withButton !== r.listings) details.push(`${page}: ${r.listings - r.withButton} listings without a copy button`);
    r.sources.forEach((src, k) => {
      const file = src.href && fileURLToPath(src.href.split('#')[0]).replace(/\.html$/, '');
      // The lines shown, by their numbers in the file (a solution marker's line is not shown, nor copied).
      const text = file && fs.existsSync(file) ? fs.readFileSync(file, 'utf8').split('\n') : null;
      const want = text ? src.lines.map((n) => text[n - 1]).join('\n') : null;
      if (r.copied[k] !== want) details.push(`${page}: listing ${k + 1} copies ${JSON.stringify((r.copied[k] || '').slice(0, 60))}..., not its source's lines`);
    });
    if (!r.skip) details.push(`${page}: the first link is not a skip link to #main`);
    r.alts.filter((a) => !/^Figure [0-9A-Z]+\.[0-9]+: \S/.test(a)).forEach((a) => details.push(`${page}: alt text "${a}" says nothing of the figure`));
  }
  ok(!details.length, `every page: ${heads} headings and figures link to themselves, ${listings} listings copy their code as the source has it, a skip link, ${figures} figures with alt text from their caption`, details);
}

async function checkSearch(browser, book, idsOf, problems) {
  const url = pathToFileURL(path.join(book, 'index.html')).href;
  for (const s of ['light', 'dark']) {
    problems.length = 0;
    await load(browser, url, 1280);
    await scheme(browser, s);
    const hit = await evaluate(browser, SEARCH('Jacobian'));
    const [page, id] = path.basename(hit.href ? new URL(hit.href).pathname + new URL(hit.href).hash : '').split('#');
    const target = idsOf.get(path.join(book, page || 'none'));
    const details = [JSON.stringify(hit), ...problems];
    ok(!hit.missing && hit.focused && /01-scalar\.html$/.test(page || '') && /Jacobian/.test(hit.section || '') &&
       hit.marked.some((m) => /jacobian/i.test(m)) && target && target.has(id) && !problems.length &&
       hit.formulas > 0 && hit.rawTex === 0,
      `search (${s}, file://): "/" focuses the box; "Jacobian" lists chapter 1's softmax Jacobian section first, its link ` +
      'leads there, its snippet shows its formulas rendered (no TeX source)',
      details);
    await load(browser, url, 1280);
    await scheme(browser, s);
    const none = await evaluate(browser, SEARCH('xyzzyq'));
    ok(none.n === 1 && /No section of the book mentions/.test(none.none || ''),
      `search (${s}): a word that is nowhere says so`, [JSON.stringify(none)]);
  }
}

// ----- the PDF ----------------------------------------------------------------------------------------------

async function pdf(page, out) {
  const browser = new Browser();
  const problems = watchProblems(browser);
  await browser.open();
  await load(browser, pathToFileURL(path.resolve(page)).href, 1280);
  const info = await evaluate(browser, INSPECT(1280));
  if (info.ready !== 'yes' || info.errors || problems.length)
    die(`${page} is not ready to print: ${[...problems, info.ready === 'yes' ? '' : 'book.js did not finish', info.errors ? `${info.errors} .katex-error` : ''].filter((s) => s).join('; ')}`);
  const footer = '<div style="width:100%; font: 8px sans-serif; color: #777; text-align: center;">' +
    '<span class="pageNumber"></span> / <span class="totalPages"></span></div>';
  const {data} = await browser.send('Page.printToPDF', {printBackground: true, preferCSSPageSize: true,
    displayHeaderFooter: true, headerTemplate: '<span></span>', footerTemplate: footer});
  const tmp = `${out}.tmp`;
  fs.writeFileSync(tmp, Buffer.from(data, 'base64'));
  fs.renameSync(tmp, out);
  await browser.close();
}

module.exports = {Browser, load, scheme, evaluate, screenshot};
if (require.main !== module) return;
const [mode, ...args] = process.argv.slice(2);
const run = mode === 'check' && args.length === 3 ? check(...args) : mode === 'pdf' && args.length === 2 ? pdf(...args)
  : die('usage: browser-check.js check BOOK BUILD SHOTS | pdf PRINT.html OUT.pdf');
run.catch((e) => die(e.stack || e.message));
