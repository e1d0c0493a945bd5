// T7: refresh() of a setTimeout from inside its own callback arms it again;
// after its last run the loop ends.
'use strict';

let n = 0;
const t = setTimeout((what) => {
  n++;
  console.log(`${what} run ${n}`);
  if (n < 3)
    t.refresh();
}, 5, 'timeout');

process.on('exit', () => console.log('loop finished'));
