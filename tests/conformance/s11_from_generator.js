// S11: Readable.from(generator) pulls one item per _read while the
// consumer keeps up (high-water mark 1); paused mode reads them one by
// one.
'use strict';
const { Readable } = require('stream');

function* gen() {
  for (let i = 1; i <= 3; i++) {
    console.log('yield ' + i);
    yield i * 10;
  }
  console.log('generator done');
}
const r = Readable.from(gen());
r.on('readable', () => {
  let v;
  while ((v = r.read()) !== null)
    console.log('read ' + v);
});
r.on('end', () => console.log('end'));
r.on('close', () => console.log('close'));
console.log('main: end');
