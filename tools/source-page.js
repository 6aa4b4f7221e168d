#!/usr/bin/env node
// source-page.js — a chapter program as a page of the book: every line numbered and anchored (#L12), so that a
// listing's link lands on the line it starts at, from file:// with no network. Its tokens are in colour from
// the build (no script needed): LINES is the file highlighted by `weave --highlight`, one line of HTML per line of
// the file. A solution marker's line (`// BEGIN SOLUTION`..., `// STUB:`..., `// END SOLUTION`) is not shown; the others keep
// their numbers, as in the listings (src/weave_highlight.c decides the same).
//
//   node tools/source-page.js chapters/NN-name/FILE.c LINES TOC_TSV OUT.html
//
// OUT.html sits in book/src/NN-name/, beside a copy of the file itself (the page links to it for download);
// TOC_TSV is `weave --toc`'s output, for the chapter's number and title. Writes OUT.html atomically.
'use strict';

const fs = require('fs');
const path = require('path');

function die(msg) {
  process.stderr.write(`source-page: ${msg}\n`);
  process.exit(1);
}

const writeAtomically = require('./write-atomically.js');

const esc = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

// The contents line of the chapter folder dir: {page, number, title}.
function tocEntry(tocPath, dir) {
  for (const line of fs.readFileSync(tocPath, 'utf8').split('\n')) {
    const [d, page, number, title] = line.split('\t');
    if (d && path.basename(d) === dir) return {page, number: Number(number), title};
  }
  die(`${tocPath}: no line for chapter ${dir}; expected \`weave --toc\` over every chapter`);
}

const chapterLabel = (n) => (n >= 90 ? `Appendix ${String.fromCharCode(65 + n - 90)}` : `Chapter ${n}`);

// The teaching edition's markers (weave_hidden_line in src/weave_highlight.c says the same).
const hidden = (l) => /^[ \t]*\/\/ (BEGIN SOLUTION|STUB:)/.test(l) || /^[ \t]*\/\/ END SOLUTION[ \t\r]*$/.test(l);

function page(file, linesFile, toc) {
  const dir = path.basename(path.dirname(file)), name = path.basename(file);
  const e = tocEntry(toc, dir);
  let text;
  try { text = fs.readFileSync(file, 'utf8'); } catch (err) { die(`cannot read ${file}: ${err.message}`); }
  const lines = text.replace(/\n$/, '').split('\n');
  let html;
  try { html = fs.readFileSync(linesFile, 'utf8').replace(/\n$/, '').split('\n'); } catch (err) { die(`cannot read ${linesFile}: ${err.message}`); }
  if (html.length !== lines.length)
    die(`${linesFile}: ${html.length} highlighted lines; expected one per line of ${file} (${lines.length}): rerun \`weave --highlight\``);
  const body = lines.map((l, i) => (hidden(l) ? null : `<span class="line" id="L${i + 1}" data-n="${i + 1}">${html[i]}</span>`))
    .filter((l) => l !== null).join('\n');
  const back = `${e.number > 0 ? chapterLabel(e.number) + ': ' : ''}${esc(e.title)}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset=utf-8>
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(name)} — ${back}</title>
<link rel="stylesheet" href="../../assets/style.css">
<script src="../../assets/book.js" defer></script>
</head>
<body class="source-page">
<main class="source">
<p class="source-nav"><a href="../../${esc(e.page)}">&larr; ${back}</a></p>
<h1><code>chapters/${esc(dir)}/${esc(name)}</code></h1>
<p class="source-meta">${lines.length} lines, exactly as the book ran it &middot; <a href="${esc(name)}" download>download ${esc(name)}</a></p>
<pre class="source"><code class="language-c">${body}</code></pre>
</main>
</body>
</html>
`;
}

const [file, linesFile, toc, out] = process.argv.slice(2);
if (!out) die('usage: source-page.js chapters/NN-name/FILE.c LINES TOC_TSV OUT.html');
const html = page(file, linesFile, toc);
writeAtomically(out, html, die);
