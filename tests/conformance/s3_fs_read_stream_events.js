'use strict';
// fs.createReadStream: 'open' -> 'ready' -> 'data'... -> 'end' -> 'close',
// with start/end (inclusive) and a highWaterMark that splits the range.
const fs = require('fs');
const os = require('os');
const path = require('path');
const file = path.join(os.tmpdir(), `evt_fsr_${process.pid}.txt`);
fs.writeFileSync(file, 'abcdefghijklmnopqrstuvwxyz');
const s = fs.createReadStream(file, { start: 2, end: 11, highWaterMark: 4 });
s.on('open', () => console.log('open'));
s.on('ready', () => console.log('ready'));
s.on('data', (c) => console.log(`data ${c.toString()}`));
s.on('end', () => console.log('end'));
s.on('close', () => {
  console.log('close');
  fs.unlinkSync(file);
  const m = fs.createReadStream(file + '.missing');
  m.on('open', () => console.log('missing open'));
  m.on('error', (e) => console.log(`missing error ${e.code}`));
  m.on('close', () => console.log('missing close'));
});
