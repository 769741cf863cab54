// Test worker (Node worker_thread, started through src/workers/node-bootstrap.mjs): attaches to
// a metrics block and writes `batches` rounds of counters as a producer and stage host would,
// parking 1 ms every PARK_EVERY rounds so the main thread gets to sample mid-run. Posts 'done'.
import { parentPort, workerData } from 'node:worker_threads';
import { MetricsBlock, type MetricsDescriptor } from './block';

export interface CounterWriterData {
	metrics: MetricsDescriptor;
	batches: number;
	rowsPerBatch: number;
	bytesPerBatch: number;
	/** ns added to producer-blocked and to each of busy / idle / backpressured per round. */
	nsPerRound: number;
}

const PARK_EVERY = 50;

const data = workerData as CounterWriterData;
const block = MetricsBlock.attach(data.metrics);
const sleeper = new Int32Array(new SharedArrayBuffer(4));
for (let i = 1; i <= data.batches; i++) {
	block.edgeBatch(0, data.rowsPerBatch, data.bytesPerBatch);
	block.edgeProducerBlocked(0, data.nsPerRound);
	block.edgeOccupancy(0, i % 8, 8);
	block.stageTime(0, data.nsPerRound, data.nsPerRound, data.nsPerRound);
	block.stageRows(0, i, i * data.rowsPerBatch, i, i * data.rowsPerBatch);
	// A source reading a file of `batches × bytesPerBatch` bytes, one batch's bytes at a time.
	block.stageBytes(0, i * data.bytesPerBatch, data.batches * data.bytesPerBatch);
	block.workerHeap(0, 1e6 + (i % 1000), i, i * 10, i >> 4);
	block.workerAllocations(0, i, i - (i >> 3), i >> 3);
	if (i % PARK_EVERY === 0) Atomics.wait(sleeper, 0, 0, 1);
}
parentPort?.postMessage('done');
