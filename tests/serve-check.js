#!/usr/bin/env node
// serve-check.js URL CHAPTER_MD — what a reader sees while `make serve` runs (tests/test_serve.sh starts it):
// in headless Chromium over HTTP, a page of chapter 1 follows edits of its chapter.md without a manual reload.
// TAP lines on stdout, numbered from the first argument after the two (the shell test's count so far).
//   - a sentence appended to chapter.md appears on the open page, which keeps its scroll position;
//   - a broken placeholder brings up the overlay with the chapter.md:LINE message; fixing it takes it away;
//   - the page has no console error or failed request the whole time.
'use strict';
const fs = require('fs');
const path = require('path');
const {Browser, load, evaluate} = require(path.join(__dirname, '..', 'tools', 'browser-check.js'));

const [url, md, first] = process.argv.slice(2);
let n = +(first || 0), failed = 0;
function ok(good, what, detail) {
  n++;
  console.log(`${good ? 'ok' : 'not ok'} ${n} - ${what}`);
  if (!good) { failed++; if (detail) console.log(`# ${detail}`); }
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// Poll the page until expr (evaluated in it) is true, or ms pass; a page that is reloading answers nothing.
async function until(browser, expr, ms) {
  for (const end = Date.now() + ms; Date.now() < end; await sleep(200)) {
    try { if (await evaluate(browser, expr)) return true; } catch (e) { /* between two pages */ }
  }
  return false;
}

(async () => {
  const browser = new Browser();
  const problems = [];
  browser.on((method, p) => {
    if (method === 'Runtime.exceptionThrown') problems.push(p.exceptionDetails.text);
    if (method === 'Runtime.consoleAPICalled' && p.type === 'error') problems.push((p.args || []).map((a) => a.value).join(' '));
  });
  await browser.open();
  await load(browser, url, 1280);
  const original = fs.readFileSync(md, 'utf8');
  try {
    await evaluate(browser, 'window.scrollTo(0, 900), window.scrollY');
    await sleep(500);  // the event stream is open
    const sentence = `A sentence the reader just wrote, ${process.pid}.`;
    fs.writeFileSync(md, original + `\n${sentence}\n`);
    const shown = await until(browser, `document.body.innerText.includes(${JSON.stringify(sentence)})`, 90000);
    ok(shown, 'an edit of chapter.md shows on the open page, without a manual reload');
    await sleep(600);  // the position is restored after load
    const y = await evaluate(browser, 'window.scrollY');
    ok(Math.abs(y - 900) < 60, 'the page keeps its scroll position', `scrollY ${y}, was 900`);

    fs.writeFileSync(md, original + '\nThe loss was {{no_such_key %.3f}}.\n');
    const overlay = await until(browser,
      `(document.getElementById('wb-serve-error') || {}).textContent?.match(/chapter\\.md:[0-9]+:.*no_such_key/) != null`, 90000);
    ok(overlay, 'a broken placeholder shows the chapter.md:LINE message in an overlay');

    fs.writeFileSync(md, original);
    const gone = await until(browser, `!document.getElementById('wb-serve-error')`, 90000);
    ok(gone, 'the fix takes the overlay away');
    ok(problems.length === 0, 'no script error on the page', problems.join('; '));
  } finally {
    fs.writeFileSync(md, original);
    await browser.close();
  }
  process.exit(failed ? 1 : 0);
})().catch((e) => { console.log(`not ok ${n + 1} - serve-check: ${e.message}`); process.exit(1); });
