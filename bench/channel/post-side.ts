// The postMessage baselines, one side per worker, over a MessagePort the two workers share:
//   clone     the producer stamps one scratch ArrayBuffer and posts it (structured clone copies it)
//   transfer  a freshly allocated ArrayBuffer per batch, transferred
//   recycle   IN_FLIGHT buffers made once; each is transferred over, and transferred back by the
//             consumer for the producer to stamp and send again
// Every batch carries its sequence number in its first 8 bytes, as in the ring case. clone and
// transfer bound the batches in flight with an acknowledgement every ACK_EVERY batches;
// recycle is bounded by its IN_FLIGHT buffers.
import type { MessagePort } from 'node:worker_threads';
import { heapAfterGc, hasGc, percentile } from './heap';
import { ACK_EVERY, IN_FLIGHT, type FlowTask, type PingTask, type TaskResult } from './protocol';

/**
 * The shared port and the one handler its messages go to. Each task installs its own with
 * listen() and removes it with stop(); messages that arrive in between (the other worker may
 * start its side of the next task first) wait in a queue for the next listen().
 */
export class Link {
	readonly port: MessagePort;
	#handler: ((message: unknown) => void) | undefined;
	readonly #pending: unknown[] = [];

	constructor(port: MessagePort) {
		this.port = port;
		port.on('message', (message) => {
			if (this.#handler) this.#handler(message);
			else this.#pending.push(message);
		});
	}

	listen(handler: (message: unknown) => void): void {
		this.#handler = handler;
		for (const message of this.#pending.splice(0)) handler(message);
	}

	stop(): void {
		this.#handler = undefined;
	}
}

const stamp = (buffer: ArrayBuffer, seq: number) => (new Float64Array(buffer, 0, 1)[0] = seq);
const seqOf = (buffer: ArrayBuffer) => new Float64Array(buffer, 0, 1)[0];

export function postProducer(link: Link, t: FlowTask): Promise<TaskResult> {
	const total = t.warmup + t.count;
	const scratch = new ArrayBuffer(t.payload);
	const free: ArrayBuffer[] = [];
	if (t.method === 'recycle')
		for (let i = 0; i < IN_FLIGHT; i++) free.push(new ArrayBuffer(t.payload));
	let sent = 0;
	let settled = 0; // acknowledged (clone, transfer) or returned (recycle)
	let heapBefore = 0;
	const send = (): void => {
		if (sent === t.warmup && t.heap) heapBefore = heapAfterGc();
		if (t.method === 'clone') {
			stamp(scratch, sent);
			link.port.postMessage(scratch);
		} else {
			const buffer = t.method === 'transfer' ? new ArrayBuffer(t.payload) : free.pop()!;
			stamp(buffer, sent);
			link.port.postMessage(buffer, [buffer]);
		}
		sent++;
	};
	const pump = (): void => {
		if (t.method === 'recycle') while (sent < total && free.length > 0) send();
		else while (sent < total && sent - settled < IN_FLIGHT) send();
	};
	return new Promise((resolve) => {
		link.listen((message) => {
			if (t.method === 'recycle') {
				free.push(message as ArrayBuffer);
				settled++;
			} else settled = message as number;
			if (settled < total) return pump();
			resolve(t.heap ? { heapBefore, heapAfter: heapAfterGc(), gc: hasGc } : {});
		});
		pump();
	});
}

export function postConsumer(link: Link, t: FlowTask): Promise<TaskResult> {
	const total = t.warmup + t.count;
	let received = 0;
	let mismatches = 0;
	let heapBefore = 0;
	let start = performance.now();
	return new Promise((resolve) => {
		link.listen((message) => {
			const buffer = message as ArrayBuffer;
			if (seqOf(buffer) !== received) mismatches++;
			received++;
			if (t.method === 'recycle') link.port.postMessage(buffer, [buffer]);
			else if (received % ACK_EVERY === 0 || received === total) link.port.postMessage(received);
			if (received === t.warmup) {
				if (t.heap) heapBefore = heapAfterGc();
				start = performance.now();
			}
			if (received < total) return;
			const seconds = (performance.now() - start) / 1000;
			resolve(
				t.heap
					? { seconds, mismatches, heapBefore, heapAfter: heapAfterGc(), gc: hasGc }
					: { seconds, mismatches }
			);
		});
	});
}

/** Pinger: transfers one buffer over and waits for it to come back; one timed round trip. */
export function postPinger(link: Link, t: PingTask): Promise<TaskResult> {
	const total = t.warmup + t.count;
	const samples = new Float64Array(t.count);
	let buffer = new ArrayBuffer(t.payload);
	let i = 0;
	let start = 0;
	let timed = 0;
	let mismatches = 0;
	const ping = (): void => {
		start = performance.now();
		stamp(buffer, i);
		link.port.postMessage(buffer, [buffer]);
	};
	return new Promise((resolve) => {
		link.listen((message) => {
			const elapsed = performance.now() - start;
			buffer = message as ArrayBuffer;
			if (seqOf(buffer) !== i) mismatches++;
			if (i >= t.warmup) {
				samples[i - t.warmup] = elapsed * 1000;
				timed += elapsed;
			}
			if (++i < total) return ping();
			link.port.postMessage('end');
			resolve({
				seconds: timed / 1000,
				mismatches,
				p50Us: percentile(samples, 0.5),
				p99Us: percentile(samples, 0.99)
			});
		});
		ping();
	});
}

/** Echoer: transfers every buffer straight back until the pinger says 'end'. */
export function postEchoer(link: Link): Promise<TaskResult> {
	return new Promise((resolve) => {
		link.listen((message) => {
			if (message === 'end') return resolve({});
			const buffer = message as ArrayBuffer;
			link.port.postMessage(buffer, [buffer]);
		});
	});
}
