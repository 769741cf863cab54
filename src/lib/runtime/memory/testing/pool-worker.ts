// Test support: a worker_thread entry (started through src/workers/node-bootstrap.mjs) that
// attaches to a pool and does one job named in workerData, then posts its result.
//   acquire: acquire(bytes, timeoutMs) and post the handle (NO_BLOCK on timeout or cancel)
//   release: release(handle) and post whether it was accepted
//   stress:  runStress(...) and post the report

import { parentPort, workerData } from 'node:worker_threads';
import { MemoryPool, type PoolDescriptor } from '../pool';
import { runStress, type StressOptions } from './stress';

export type PoolJob =
	| { job: 'acquire'; bytes: number; timeoutMs: number }
	| { job: 'release'; handle: number }
	| ({ job: 'stress' } & StressOptions);

const data = workerData as { descriptor: PoolDescriptor } & PoolJob;
const pool = MemoryPool.attach(data.descriptor);
switch (data.job) {
	case 'acquire':
		parentPort!.postMessage(pool.acquire(data.bytes, data.timeoutMs));
		break;
	case 'release':
		parentPort!.postMessage(pool.release(data.handle));
		break;
	case 'stress':
		parentPort!.postMessage(runStress(pool, data));
		break;
}
