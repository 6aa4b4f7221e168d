#!/usr/bin/env node
// print-book.js — the whole book on one page, book/print.html, for printing and for `make pdf`: every chapter's
// article in book order, each opening a new printed page, without the contents sidebar or previous/next links.
//
//   node tools/print-book.js TOC_TSV BOOK OUT.html
//
// It reads the woven pages (book/index.html, book/NN-name.html) named by TOC_TSV (`weave --toc`'s output). Ids
// repeat from chapter to chapter (fig-loss, sec-1), so each chapter's ids take its folder name as a prefix
// ("01-scalar--fig-loss") and every link is rewritten to match: "#fig-loss" within the chapter,
// "02-vector.html#sec-3" to "#02-vector--sec-3", "02-vector.html" to the chapter's own "#02-vector".
// Figures and source files are referred to as on the chapter pages (OUT sits beside them). Writes OUT atomically.
'use strict';

const fs = require('fs');
const path = require('path');

function die(msg) {
  process.stderr.write(`print-book: ${msg}\n`);
  process.exit(1);
}

const writeAtomically = require('./write-atomically.js');

const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function readToc(tocPath) {
  return fs.readFileSync(tocPath, 'utf8').split('\n').filter((l) => l).map((line) => {
    const [dir, page, number, title] = line.split('\t');
    return {dir: path.basename(dir), page, number: Number(number), title};
  });
}

// The <article> of a woven page, and the book's title from its <title>.
function article(file) {
  let html;
  try { html = fs.readFileSync(file, 'utf8'); } catch (err) { die(`cannot read ${file}: ${err.message}; run make book first`); }
  const a = html.indexOf('<article>'), b = html.lastIndexOf('</article>');
  if (a < 0 || b < a) die(`${file}: no <article> ... </article>; expected a page written by the weaver`);
  return html.slice(a + '<article>'.length, b);
}

// Ids and links of one chapter's article, rewritten for the single page.
function relink(html, dir, pageToDir) {
  const target = (page, id) => (id ? `#${pageToDir.get(page)}--${id}` : `#${pageToDir.get(page)}`);
  return html
    .replace(/(\sid=")([^"]*)"/g, (_, pre, id) => `${pre}${dir}--${id}"`)
    .replace(/(\shref=")([^"]*)"/g, (whole, pre, href) => {
      if (href.startsWith('#')) return `${pre}#${dir}--${href.slice(1)}"`;
      const [page, id] = href.split('#');
      return pageToDir.has(page) ? `${pre}${target(page, id)}"` : whole;
    });
}

const chapterLabel = (n) => (n >= 90 ? `Appendix ${String.fromCharCode(65 + n - 90)}` : `Chapter ${n}`);

function printPage(toc, book) {
  const pageToDir = new Map(toc.map((e) => [e.page, e.dir]));
  // The book's title ends the front page's <title>: "Preface — Backprop workbook".
  const head = (fs.readFileSync(path.join(book, toc[0].page), 'utf8').match(/<title>([^<]*)<\/title>/) || [])[1] || '';
  const title = head.split(' — ').pop() || 'The book';
  const contents = toc.map((e) =>
    `<li><a href="#${e.dir}">${e.number > 0 ? `<span class="num">${chapterLabel(e.number)}</span> ` : ''}${esc(e.title)}</a></li>`).join('\n');
  const chapters = toc.map((e) =>
    `<section class="chapter" id="${e.dir}">\n${relink(article(path.join(book, e.page)), e.dir, pageToDir)}</section>`).join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset=utf-8>
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} — the whole book on one page</title>
<link rel="stylesheet" href="assets/katex/katex.min.css">
<link rel="stylesheet" href="assets/style.css">
<script src="assets/katex/katex.min.js" defer></script>
<script src="assets/book.js" defer></script>
</head>
<body class="print-book">
<main>
<header class="title-page">
<p class="book-title">${title}</p>
<p class="subtitle">Every number, figure and listing in it comes from the runs of this build.</p>
<nav class="print-contents" aria-label="Contents">
<ol>
${contents}
</ol>
</nav>
</header>
${chapters}
</main>
</body>
</html>
`;
}

const [toc, book, out] = process.argv.slice(2);
if (!out) die('usage: print-book.js TOC_TSV BOOK OUT.html');
const html = printPage(readToc(toc), book);
writeAtomically(out, html, die);
