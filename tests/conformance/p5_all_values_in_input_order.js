// P5: Promise.all fulfils with the values in input order, whatever order
// the inputs settle in, once the last one fulfils.
'use strict';

const resolvers = [];
const inputs = [0, 1, 2].map(() => new Promise((r) => resolvers.push(r)));
Promise.all(inputs).then((values) => {
  console.log('all: ' + values.join(', '));
});
setTimeout(() => { console.log('resolve third'); resolvers[2](30); }, 1);
setTimeout(() => { console.log('resolve first'); resolvers[0](10); }, 2);
setTimeout(() => { console.log('resolve second'); resolvers[1](20); }, 3);
