// S2: pause() in a 'data' listener stops the flow (the rest waits in the
// buffer, 'pause' is emitted at once); resume() restarts it on a nextTick
// with 'resume'.
'use strict';
const { Readable } = require('stream');

const r = new Readable({ read() {} });
r.on('data', (c) => {
  console.log('data ' + c);
  if (String(c) === 'a') {
    r.pause();
    console.log('paused: ' + r.isPaused() + ', length ' + r.readableLength);
    setImmediate(() => {
      console.log('resume');
      r.resume();
    });
  }
});
for (const ev of ['pause', 'resume', 'end', 'close'])
  r.on(ev, () => console.log('event ' + ev));
r.push('a');
r.push('b');
r.push('c');
r.push(null);
console.log('main: end');
