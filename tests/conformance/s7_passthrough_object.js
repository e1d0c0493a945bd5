// S7: a PassThrough in object mode hands each object on unchanged; its
// readable side ends after its writable side finished.
'use strict';
const { PassThrough } = require('stream');

const p = new PassThrough({ objectMode: true });
p.on('data', (v) => console.log('data ' + v));
for (const ev of ['prefinish', 'finish', 'end', 'close'])
  p.on(ev, () => console.log('event ' + ev));
console.log('write 1: ' + p.write(1));
console.log('write 2: ' + p.write(2));
p.end();
process.nextTick(() => console.log('tick'));
console.log('main: end');
