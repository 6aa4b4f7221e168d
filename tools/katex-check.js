#!/usr/bin/env node
// katex-check.js — renders every formula of a chapter with KaTeX at build time, as the reader's browser will,
// and names each one KaTeX cannot render by its line in chapter.md, so that a TeX typo stops the build
// instead of showing up red in the book.
//
//   node tools/katex-check.js MATH_TSV chapters/NN-name/chapter.md
//
// MATH_TSV is what `weave --math-out` writes: one formula a line, "line<TAB>display(0/1)<TAB>tex", with tab,
// newline and backslash in the TeX escaped as \t, \n and \\. Exit 0 when every formula renders, 1 when
// any does not (one message a formula), 2 on a usage or input problem.
'use strict';

const fs = require('fs');
const KATEX = '/usr/share/javascript/katex/katex.min.js';  // Debian's libjs-katex, the copy the book ships

function fail(msg) {
  process.stderr.write(`katex-check: ${msg}\n`);
  process.exit(2);
}

// Undo the weaver's escapes: \t, \n, \\.
function unescape(s) {
  return s.replace(/\\(.)/g, (_, ch) => (ch === 't' ? '\t' : ch === 'n' ? '\n' : ch));
}

// The formulas of a --math-out file, each with its line in chapter.md.
function readFormulas(path) {
  let text;
  try {
    text = fs.readFileSync(path, 'utf8');
  } catch (e) {
    fail(`${path}: cannot read: ${e.message}`);
  }
  return text.split('\n').filter((l) => l !== '').map((l, i) => {
    const m = /^(\d+)\t([01])\t(.*)$/.exec(l);
    if (!m) fail(`${path}:${i + 1}: expected line<TAB>display<TAB>tex, as weave --math-out writes`);
    return {line: Number(m[1]), display: m[2] === '1', tex: unescape(m[3])};
  });
}

// A formula as it reads in a message: one line, not too long.
function shorten(tex) {
  const one = tex.replace(/\s+/g, ' ').trim();
  return one.length > 60 ? one.slice(0, 57) + '...' : one;
}

function main(argv) {
  if (argv.length !== 2) fail('usage: node tools/katex-check.js MATH_TSV chapters/NN-name/chapter.md');
  const [tsv, chapter] = argv;
  let katex;
  try {
    katex = require(KATEX);
  } catch (e) {
    fail(`cannot load ${KATEX} (apt-get install libjs-katex): ${e.message}`);
  }
  let bad = 0;
  for (const f of readFormulas(tsv)) {
    try {
      katex.renderToString(f.tex, {displayMode: f.display, throwOnError: true, strict: 'ignore'});
    } catch (e) {
      const msg = String(e.message).replace(/\u0332/g, '').replace(/\s+/g, ' ');  // KaTeX underlines with U+0332
      process.stderr.write(`${chapter}:${f.line}: KaTeX cannot render '${shorten(f.tex)}': ${msg}\n`);
      bad++;
    }
  }
  process.exit(bad ? 1 : 0);
}

main(process.argv.slice(2));
