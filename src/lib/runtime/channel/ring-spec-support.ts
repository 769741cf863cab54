// Test-only helpers shared by the channel specs and their worker (ring-spec-peer.ts).
import { Worker } from 'node:worker_threads';
import type { BatchSlot, DoorbellDescriptor } from '../contracts';
import type { Prng } from '../testing/prng';
import type { PushStatus, RingDescriptor } from './ring';

/** One stress case: `count` descriptors through `ring`; each side draws its pauses from `dataSeed`. */
export interface StressCase {
	ring: RingDescriptor;
	count: number;
	/** Seed of the block values both sides derive. */
	dataSeed: number;
	/** blocking: push()/pop(); try: tryPush()/tryPop() with the scheduler's value-then-park loop. */
	mode: 'blocking' | 'try';
	producerPause: PauseProfile;
	consumerPause: PauseProfile;
}

/**
 * Chances per operation of a short busy-wait, of an Atomics.wait sleep of up to 0.2 ms, and of
 * a nap of 0.5..3 ms (longer than HYSTERESIS_MS, so the other side's hysteresis times out).
 */
export interface PauseProfile {
	spin: number;
	sleep: number;
	nap?: number;
}

export type PeerTask =
	| { task: 'pop-once'; ring: RingDescriptor; timeoutMs: number }
	| { task: 'push-until-stopped'; ring: RingDescriptor; timeoutMs: number }
	| { task: 'fail'; ring: RingDescriptor; message: string }
	| { task: 'produce' | 'consume'; cases: StressCase[]; seed: number }
	| { task: 'echo'; toMain: RingDescriptor; fromMain: RingDescriptor; bell: DoorbellDescriptor };

export interface PeerResult {
	status?: PushStatus;
	slot?: BatchSlot;
	error?: string;
	/** Set when a stress or echo check failed: what went wrong, with the seed. */
	failure?: string;
	/** Descriptors moved. */
	moved?: number;
	/** Stress: per case, the most batches (consumer) or slots (producer) a blocking park asked for. */
	maxWant?: number[];
}

export const newSlot = (): BatchSlot => ({ block: 0, byteLength: 0, rows: 0, seq: 0, checksum: 0 });

/** Block value `i` of a stress case: both sides derive it from the case's data PRNG. */
export function blockOf(data: Prng): number {
	return Math.floor(data.next() * 0x80000000);
}

const BOOTSTRAP = new URL('../../../workers/node-bootstrap.mjs', import.meta.url);
const PEER = new URL('./ring-spec-peer.ts', import.meta.url).href;

/** Starts a peer worker on `task`; `result` settles with its one reply (or its crash). */
export function startPeer(task: PeerTask): { worker: Worker; result: Promise<PeerResult> } {
	const worker = new Worker(BOOTSTRAP, { workerData: { entry: PEER, ...task } });
	const result = new Promise<PeerResult>((resolve, reject) => {
		worker.once('message', resolve);
		worker.once('error', reject);
		worker.once('exit', (code) =>
			reject(new Error(`peer exited with code ${code} before replying`))
		);
	});
	return { worker, result };
}

/** Resolves once `check` is true, polling every millisecond; rejects after `limitMs`. */
export async function until(check: () => boolean, what: string, limitMs = 10_000): Promise<void> {
	const start = Date.now();
	while (!check()) {
		if (Date.now() - start > limitMs) throw new Error(`gave up waiting: ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 1));
	}
}
