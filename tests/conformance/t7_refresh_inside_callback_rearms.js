// T7: refresh() on a timeout that already fired re-arms it, even from inside
// its own callback.
'use strict';

let n = 0;
const t = setTimeout(() => {
  n++;
  console.log(`timeout run ${n}`);
  if (n < 3)
    t.refresh();
}, 5);

process.on('exit', () => console.log('loop finished'));
