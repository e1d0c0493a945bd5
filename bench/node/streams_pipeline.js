'use strict';
// Readable -> Transform -> Writable in byte mode: 16 KiB chunks (a fresh
// Buffer each, as a file or socket source makes them), passed through the
// Transform unchanged, counted and dropped by the Writable. argv[1]: the
// number of chunks (131072 = 2 GiB).
const { Readable, Transform, Writable, pipeline } = require('stream');
const { arg, start, report, check } = require('./common');

const n = arg(131072);
const SIZE = 16384;
let pushed = 0;
let bytes = 0;
const src = new Readable({
  read() {
    while (pushed < n) {
      pushed++;
      if (!this.push(Buffer.allocUnsafe(SIZE))) return;
    }
    this.push(null);
  },
});
const pass = new Transform({
  transform(chunk, enc, cb) { cb(null, chunk); },
});
const dst = new Writable({
  write(chunk, enc, cb) { bytes += chunk.length; cb(); },
});
const b = start();
pipeline(src, pass, dst, (err) => {
  check(!err, 'pipeline failed');
  check(bytes === n * SIZE, 'every byte arrived');
  report(b, n, `bytes=${bytes}`);
});
