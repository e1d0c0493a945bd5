// fs.watch: close() stops the watcher at once; 'close' is emitted on the
// next tick, before ticks queued after the close() call.
'use strict';
const fs = require('fs');
const os = require('os');
const path = require('path');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evt-watch-'));
const w = fs.watch(dir);
w.on('close', () => console.log('close'));
w.close();
process.nextTick(() => console.log('tick'));
Promise.resolve().then(() => console.log('microtask'));
setImmediate(() => {
  console.log('immediate');
  fs.rmdirSync(dir);
});
console.log('main');
