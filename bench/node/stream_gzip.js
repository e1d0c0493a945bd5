'use strict';
// zlib throughput: N bytes of generated text (the same generator as the C
// twin: words from a small vocabulary, a random byte now and then) in
// 64 KiB chunks from a Readable through zlib.createGzip() (level 6, Node's
// default) into a Writable that counts the compressed bytes.
const { Readable, Writable, pipeline } = require('stream');
const zlib = require('zlib');
const { arg, start, report, check } = require('./common');

const n = arg(268435456);
const CHUNK = 65536;
const words = ['event ', 'loop ', 'poll ', 'timer ', 'stream ', 'chunk ',
  'zlib ', 'pipe\n'].map((w) => Buffer.from(w));
// One 1 MiB block of text, pushed in 64 KiB slices over and over.
const block = Buffer.alloc(1 << 20);
let seed = 1;
for (let i = 0; i < block.length;) {
  seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
  const w = words[(seed >>> 16) & 7];
  for (let j = 0; j < w.length && i < block.length; j++) block[i++] = w[j];
  if ((seed & 0x3f) === 0 && i < block.length) block[i++] = (seed >>> 8) & 0xff;
}
let sent = 0;
let out = 0;
const src = new Readable({
  read() {
    if (sent >= n) { this.push(null); return; }
    const off = sent % block.length;
    this.push(Buffer.from(block.subarray(off, off + CHUNK)));
    sent += CHUNK;
  },
});
const sink = new Writable({
  write(c, e, cb) { out += c.length; cb(); },
});
const b = start();
pipeline(src, zlib.createGzip(), sink, (err) => {
  check(!err, `pipeline: ${err}`);
  report(b, n, `out_bytes=${out}`);
});
