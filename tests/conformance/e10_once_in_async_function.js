// E10 with P7: an async function awaiting events.once in a loop gets each
// emission's arguments (emitted here from timers and immediates) and an
// 'error' as a thrown error (C: an error value from evt_await).
'use strict';
const EventEmitter = require('events');

const e = new EventEmitter();

async function consumer() {
  for (let i = 0; i < 3; i++) {
    console.log('consumer: waiting');
    try {
      const [v, w] = await EventEmitter.once(e, 'data');
      console.log('consumer: got ' + v + ' ' + w);
    } catch (err) {
      console.log('consumer: caught ' + err.message);
    }
  }
  return 'done';
}

consumer().then((v) => console.log('consumer: ' + v));
console.log('main: end');
setTimeout(() => {
  console.log('timeout: emit data');
  e.emit('data', 1, 'one');
  console.log('timeout: emitted');
  setImmediate(() => {
    console.log('immediate: emit error');
    e.emit('error', new Error('broken'));
    setImmediate(() => {
      console.log('immediate: emit data');
      e.emit('data', 2, 'two');
    });
  });
}, 1);
