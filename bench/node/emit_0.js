'use strict';
// 'tick' emits with 0 listener(s): see emit.js.
require('./emit')(0);
