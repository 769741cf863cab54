// Node worker_thread entry for TypeScript workers: register tsx, then load the real entry.
// (`execArgv: ['--import', 'tsx']` does not work for worker_threads on Node 20.)
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
