// I3: clearImmediate before an immediate runs cancels it (even from the same
// check phase); after it ran, clearing is a no-op that never cancels a newer
// immediate.
'use strict';

const a = setImmediate(() => {
  console.log('A: clear B');
  clearImmediate(b);
  setImmediate(() => {
    console.log('D: start F, then clear A, B and C again');
    setImmediate(() => console.log('F ran'));
    clearImmediate(a); // already ran
    clearImmediate(b); // already cleared
    clearImmediate(c); // already cleared
  });
});
const b = setImmediate(() => console.log('B ran (wrong)'));
const c = setImmediate(() => console.log('C ran (wrong)'));
clearImmediate(c);
