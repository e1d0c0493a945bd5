// L5: ref() and unref() are idempotent switches, not counters. unref twice +
// ref once leaves A referenced (it fires); ref twice + unref once leaves B
// unreferenced: B (1000 ms) is started by A, the last referenced work, so
// the loop ends without waiting for it.
'use strict';

const a = setTimeout(() => {
  console.log('A fired');
  const b = setTimeout(() => console.log('B fired (wrong)'), 1000);
  b.ref();
  b.ref();
  b.unref();
  console.log('B hasRef after ref, ref, unref: ' + b.hasRef());
}, 20);
a.unref();
a.unref();
a.ref();
console.log('A hasRef after unref, unref, ref: ' + a.hasRef());

process.on('exit', () => console.log('loop finished'));
