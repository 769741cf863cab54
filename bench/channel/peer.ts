// Worker entry of the channel bench (started through src/workers/node-bootstrap.mjs). Two of
// these run side by side; `workerData.port` is their shared MessagePort for the postMessage
// cases. Each Task from the main thread runs to the end and is answered with one TaskResult.
// Ring tasks block this worker's thread (ring.push/pop park on the doorbell); postMessage tasks
// run on its event loop.
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { Link, postConsumer, postEchoer, postPinger, postProducer } from './post-side';
import type { Task, TaskResult } from './protocol';
import { ringConsumer, ringEchoer, ringPinger, ringProducer } from './ring-side';

const link = new Link((workerData as { port: MessagePort }).port);

async function runTask(t: Task): Promise<TaskResult> {
	if (t.kind === 'flow') {
		if (t.method === 'ring') return t.role === 'producer' ? ringProducer(t) : ringConsumer(t);
		return t.role === 'producer' ? postProducer(link, t) : postConsumer(link, t);
	}
	if (t.method === 'ring') return t.role === 'pinger' ? ringPinger(t) : ringEchoer(t);
	return t.role === 'pinger' ? postPinger(link, t) : postEchoer(link);
}

parentPort!.on('message', async (t: Task) => {
	let result: TaskResult;
	try {
		result = await runTask(t);
	} catch (error) {
		result = { error: `${t.kind} ${t.method} ${t.role}: ${(error as Error).message}` };
	}
	link.stop();
	parentPort!.postMessage(result);
});
