// write-atomically.js — how the book's node tools write a file: by way of OUT.tmp, renamed into place. When the
// disk is full or the folder read-only, the temporary goes and die() gets one line that says why
// ("book/print.html: no space left on device"), not Node's stack trace.
//
//   const writeAtomically = require('./write-atomically.js');
//   writeAtomically(out, text, die);      // die(message) reports and exits
'use strict';
const fs = require('fs');
const path = require('path');

module.exports = function writeAtomically(out, text, die) {
  const tmp = `${out}.tmp`;
  try {
    fs.mkdirSync(path.dirname(out), {recursive: true});
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, out);
  } catch (err) {
    try { fs.unlinkSync(tmp); } catch (_) { /* never written */ }
    // err.message is "ENOSPC: no space left on device, write": its middle part.
    die(`${out}: ${err.code ? err.message.replace(/^[A-Z0-9_]+: /, '').replace(/, [a-z]+( '.*')?$/, '') : err.message}`);
  }
};
