'use strict';
// zlib Transform: gzip piped into gunzip gives the text back; 'finish' on
// the gzip side comes before 'end' of gunzip; bad data is an error with
// zlib's code and message, then 'close'.
const zlib = require('zlib');
const gz = zlib.createGzip();
const gunz = zlib.createGunzip();
let out = '';
gz.on('finish', () => console.log('gzip finish'));
gz.on('end', () => console.log('gzip end'));
gunz.on('data', (c) => { out += c.toString(); });
gunz.on('end', () => console.log(`gunzip end ${out}`));
gunz.on('close', () => {
  console.log('gunzip close');
  const bad = zlib.createInflate();
  bad.on('error', (e) => console.log(`inflate error ${e.code} ${e.message}`));
  bad.on('close', () => console.log('inflate close'));
  bad.end(Buffer.from('not zlib data'));
});
gz.pipe(gunz);
gz.write('hello ');
gz.end('world');
