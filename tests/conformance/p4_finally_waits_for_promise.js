// P4: a finally callback that returns a promise delays the pass-through
// until that promise settles; the original value still comes out.
'use strict';

let release;
const gate = new Promise((r) => { release = r; });
Promise.resolve('kept')
  .finally(() => { console.log('finally: waiting'); return gate; })
  .then((v) => console.log('value: ' + v));
setTimeout(() => {
  console.log('timeout: releasing gate');
  release('gate value');
}, 1);
