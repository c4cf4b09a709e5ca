import { buildDemoPack } from '../models/demo/build.js';
const t0 = performance.now();
await buildDemoPack('.tmpwt/pack');
console.log(performance.now() - t0);
