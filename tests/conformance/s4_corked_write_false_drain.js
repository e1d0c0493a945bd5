// S4: write() returns false once the buffered length reaches the
// high-water mark (3 bytes; cork() keeps the writes buffered); after the
// synchronous _writes that uncork() starts, the callbacks and 'drain'
// come on a nextTick, 'drain' first.
'use strict';
const { Writable } = require('stream');

const w = new Writable({
  highWaterMark: 3,
  write(chunk, enc, cb) {
    console.log('_write ' + chunk);
    cb();
  },
});
w.on('drain', () => console.log('drain'));
w.cork();
console.log('write ab: ' + w.write('ab', () => console.log('cb ab')));
console.log('write cd: ' + w.write('cd', () => console.log('cb cd')));
console.log('needDrain ' + w.writableNeedDrain + ', length ' +
            w.writableLength);
w.uncork();
console.log('uncorked, length ' + w.writableLength);
process.nextTick(() => console.log('tick'));
console.log('main: end');
