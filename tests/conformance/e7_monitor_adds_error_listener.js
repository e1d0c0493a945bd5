// E7: Node decides whether an 'error' is unhandled after the errorMonitor
// listeners ran, and calls the 'error' listeners registered at that point:
// an 'error' listener added by a monitor handles that very error. (With a
// once(errorMonitor) that was the emitter's only listener Node says
// "unhandled" instead, an artefact of it replacing its listener table when
// the last listener goes; this pair avoids that case.)
'use strict';
const EventEmitter = require('events');
const { errorMonitor } = EventEmitter;

const e = new EventEmitter();
const late = (err) => console.log('late error listener: ' + err.message);
let added = false;
e.on(errorMonitor, (err) => {
  console.log('monitor: ' + err.message);
  if (!added) {
    added = true;
    console.log('monitor: adding an error listener');
    e.on('error', late);
  }
});
for (const msg of ['boom', 'again']) {
  let r;
  try {
    r = e.emit('error', new Error(msg));
  } catch (x) {
    console.log('uncaught: ' + x.message);
    r = false;
  }
  console.log('emit returned ' + r);
}
