// L4: a handle that is still closing keeps the loop alive until its close
// callback has run, even when nothing else is active.
'use strict';
const { MessageChannel } = require('worker_threads');

const { port2 } = new MessageChannel();
port2.on('message', () => {});
port2.on('close', () => console.log('close callback ran'));
port2.close();

process.on('exit', () => console.log('loop finished'));
console.log('main: handle closed, nothing else scheduled');
