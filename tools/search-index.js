#!/usr/bin/env node
// search-index.js TOC BOOK OUT — the book's search index, built by `make book` and loaded by every page as a
// script (book.js), so that the search works from file:// as over HTTP (a fetched index would not).
//
// A document is a section of a chapter page: the text from one heading (#, ##, ###, with its anchor) to the next,
// its prose, captions and listings. The index is Debian's lunr (libjs-lunr), built here and serialised; OUT is
//   window.WB_SEARCH = {index: <lunr index as JSON>, docs: [{ref, page, chapter, section, text}, ...]};
// written atomically. Pages are read in the contents' order (TOC, from `weave --toc`).
'use strict';
const fs = require('fs');
const path = require('path');

const LUNR = process.env.LUNR || '/usr/share/javascript/lunr/lunr.js';
const [tocPath, book, out] = process.argv.slice(2);
function die(msg) { process.stderr.write(`search-index: ${msg}\n`); process.exit(1); }
if (!out) die('usage: search-index.js TOC BOOK OUT');
let lunr;
try { lunr = require(LUNR); } catch (e) { die(`${LUNR}: ${e.message} (Debian's libjs-lunr, installed by make book)`); }

const ENTITIES = {amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'", nbsp: ' '};
// A formula stays a formula: its TeX between MATH_OPEN and MATH_CLOSE, which book.js renders with KaTeX in a
// result's snippet (the index reads the same text with the two marks as spaces, so its positions still match).
const MATH_OPEN = '\u0002', MATH_CLOSE = '\u0003';
function text(html) {
  return html.replace(/<(span|div) class="math (inline|display)">([^<]*)<\/\1>/g,
                      (m, tag, kind, tex) => `${MATH_OPEN}${tex.trim()}${MATH_CLOSE}`)
    .replace(/<span class="ln">[^<]*<\/span>/g, '')                 // a listing's line numbers
    .replace(/<[^>]*>/g, ' ')
    .replace(/&(amp|lt|gt|quot|#39|nbsp);/g, (m, e) => ENTITIES[e])
    .replace(/&#x?[0-9a-f]+;/gi, ' ')
    .replace(/\s+/g, ' ').trim();
}

// The sections of one page: [{id, title, html}], the first from the page's start (its # heading).
function sections(html) {
  const a = html.indexOf('<article>'), b = html.lastIndexOf('</article>');
  if (a < 0 || b < a) return [];
  const body = html.slice(a + 9, b).replace(/<div class="verdict[\s\S]*?<\/div>/g, '');
  const heads = /<h([123])>([\s\S]*?)<\/h\1>/g;
  const out = [];
  let m, last = null;
  while ((m = heads.exec(body))) {
    if (last) last.html = body.slice(last.end, m.index);
    const id = (m[2].match(/id="(sec-[0-9-]+)"/) || [])[1] || '';
    const title = text(m[2].replace(/<span class="(chapnum|secnum)"[^>]*>[^<]*<\/span>/, ''));
    const num = (m[2].match(/<span class="secnum"[^>]*>([^<]*)<\/span>/) || [])[1] || '';
    last = {id, title: num ? `${num} ${title}` : title, end: heads.lastIndex, html: ''};
    out.push(last);
  }
  if (last) last.html = body.slice(last.end);
  return out;
}

const docs = [];
for (const line of fs.readFileSync(tocPath, 'utf8').split('\n')) {
  if (!line.trim()) continue;
  const [, page, , chapterTitle] = line.split('\t');
  const file = path.join(book, page);
  if (!fs.existsSync(file)) continue;  // a page this build could not make: nothing to index yet
  const html = fs.readFileSync(file, 'utf8');
  for (const s of sections(html)) {
    docs.push({ref: String(docs.length), page: s.id ? `${page}#${s.id}` : page, chapter: chapterTitle,
      section: s.title, text: text(s.html)});
  }
}

const index = lunr(function () {
  this.ref('ref');
  this.field('section', {boost: 10});
  this.field('text');
  this.metadataWhitelist = ['position'];
  for (const d of docs) this.add({...d, text: d.text.replace(/[\u0002\u0003]/g, ' ')});
});

const js = `// The book's search index (tools/search-index.js), loaded by book.js.\nwindow.WB_SEARCH = ${JSON.stringify({index, docs})};\n`;
require('./write-atomically.js')(out, js, die);
