'use strict';
// S7 for gunzip: each write is its own chunk for zlib, and gunzip reads
// gzip members back to back whatever the split; bytes after a member that
// do not start one are an error, in the same write or a later one; zero
// bytes after a member are padding, which ends the readable side at once
// ('end' before 'finish'), and output from a later write is then a push
// after EOF. Unzip follows gunzip's rules once it has seen gzip's magic.
const zlib = require('zlib');

const a = zlib.gzipSync('ab');
const b = zlib.gzipSync('cd');
const d = zlib.deflateSync('ef');
const cat = (...parts) => Buffer.concat(parts);
const zeros = Buffer.alloc(3);
const junk = Buffer.from('xyz');

const cases = [
  ['members one write', 'gunzip', [cat(a, b)]],
  ['members split at boundary', 'gunzip', [a, b]],
  ['members split inside headers', 'gunzip',
    [a.subarray(0, 5), cat(a.subarray(5), b.subarray(0, 1)), b.subarray(1)]],
  ['junk same write', 'gunzip', [cat(a, junk)]],
  ['junk later write', 'gunzip', [a, junk]],
  ['zeros same write', 'gunzip', [cat(a, zeros)]],
  ['zeros later write', 'gunzip', [a, zeros]],
  ['zeros then member same write', 'gunzip', [cat(a, zeros, b)]],
  ['zeros then junk later write', 'gunzip', [cat(a, zeros), junk]],
  ['zeros then member later write', 'gunzip', [cat(a, zeros), b]],
  ['deflate after member', 'gunzip', [a, d]],
  ['unzip members split', 'unzip', [a.subarray(0, 1), a.subarray(1), b]],
  ['unzip deflate after member', 'unzip', [a, d]],
  ['unzip junk after deflate', 'unzip', [d, junk]],
  ['inflate junk same write', 'inflate', [cat(d, junk)]],
];

function run(i) {
  if (i === cases.length) return;
  const [label, mode, writes] = cases[i];
  const z = mode === 'gunzip' ? zlib.createGunzip()
    : mode === 'unzip' ? zlib.createUnzip() : zlib.createInflate();
  let out = '';
  z.on('data', (c) => { out += c.toString(); });
  z.on('end', () => console.log(`${label}: end`));
  z.on('finish', () => console.log(`${label}: finish`));
  z.on('error', (e) => {
    const code = e.code.startsWith('Z_') ? `${e.code} ` : '';
    console.log(`${label}: error ${code}${e.message}`);
  });
  z.on('close', () => {
    console.log(`${label}: close "${out}"`);
    run(i + 1);
  });
  for (const w of writes) z.write(w);
  z.end();
}
run(0);
