// S5: stream errors carry Node's codes and messages: each case makes the
// stream machinery produce one and prints err.code | err.message (in C:
// evt_err_name and the error's message, or evt_strerror of a returned
// code). The cases run one after another, each from a setImmediate.
'use strict';
const { Writable, Readable, finished } = require('stream');

function show(label, e) {
  console.log(label + ': ' + e.code + ' | ' + e.message);
}
const sink = () => new Writable({ write(c, e, cb) { cb(); } });

const cases = [
  (next) => {
    const w = sink();
    w.on('error', () => {});
    w.end();
    w.write('x', (e) => { show('write after end', e); next(); });
  },
  (next) => {
    const w = sink();
    w.destroy();
    w.write('x', (e) => { show('write after destroy', e); next(); });
  },
  (next) => {
    const w = sink();
    w.end();
    w.on('finish', () => w.end((e) => { show('end after finish', e); next(); }));
  },
  (next) => {
    const r = new Readable({ read() {} });
    r.on('error', (e) => { show('push after EOF', e); next(); });
    r.push(null);
    r.push('x');
  },
  (next) => {
    const r = new Readable({ read() {} });
    r.on('error', (e) => { show('unshift after end', e); next(); });
    r.on('end', () => r.unshift('x'));
    r.push(null);
    r.resume();
  },
  (next) => {
    const r = new Readable({ read() {} });
    finished(r, (e) => { show('premature close', e); next(); });
    r.destroy();
  },
  (next) => {
    const w = new Writable({ write(c, e, cb) { cb(); cb(); } });
    w.on('error', (e) => { show('callback twice', e); next(); });
    w.write('x');
  },
  (next) => {
    const w = new Writable({ objectMode: true, write(c, e, cb) { cb(); } });
    try {
      w.write(null);
    } catch (e) {
      show('write null', e);
    }
    next();
  },
  (next) => {
    const r = Readable.from([1, null]);
    r.on('data', (d) => console.log('from data ' + d));
    r.on('error', (e) => { show('from null item', e); next(); });
  },
];

function run(i) {
  if (i < cases.length) cases[i](() => setImmediate(run, i + 1));
}
run(0);
