// Starts the engine worker from TypeScript sources (development, tests, `node --import tsx`).
// tsx registers its loader only on the main thread on this Node line, so a worker started
// directly on engine-worker.ts fails with "Unknown file extension .ts"; registering here,
// inside the worker, first makes the .ts import work. The bundled app never uses this file:
// it passes the built worker's path to createEngine({ workerPath }).
import { register } from 'tsx/esm/api';

register();
await import('./engine-worker.ts');
