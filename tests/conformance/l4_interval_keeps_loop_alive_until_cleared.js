// L4: a referenced interval keeps the loop alive; once it is cleared (here
// from an immediate, outside its own callback) the loop has nothing left.
'use strict';

let n = 0;
const iv = setInterval(() => {
  n++;
  console.log(`interval ${n}`);
  if (n === 3) {
    setImmediate(() => {
      console.log('immediate: clearInterval');
      clearInterval(iv);
    });
  }
}, 5);

process.on('exit', () => console.log('loop finished'));
