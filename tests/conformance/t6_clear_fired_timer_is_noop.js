// T6: clearing a timer that already fired or was already cleared does
// nothing, and in particular never cancels a newer timer.
'use strict';

const b = setTimeout(() => console.log('B fired (wrong)'), 1);
clearTimeout(b);
clearTimeout(b); // cleared twice

const a = setTimeout(() => {
  console.log('A fired; starting C');
  setTimeout(() => console.log('C fired'), 5);
  setImmediate(() => {
    clearTimeout(a); // already fired
    clearTimeout(b); // already cleared
    clearTimeout(undefined); // never a timer
    console.log('cleared stale timers: no effect');
  });
}, 1);
