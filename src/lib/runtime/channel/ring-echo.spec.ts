import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Worker } from 'node:worker_threads';
import { RING } from '../contracts';
import { createDoorbells } from './doorbell';
import { RingChannel } from './ring';
import { newSlot, startPeer } from './ring-spec-support';

const COUNT = 100_000;

describe('one worker on two rings with one doorbell, the main thread on async waits', () => {
	let worker: Worker | undefined;
	afterEach(async () => {
		vi.restoreAllMocks();
		await worker?.terminate();
	});

	it(`echoes ${COUNT} descriptors in order and finishes (no lost wake-up, main never blocks)`, async () => {
		const bells = createDoorbells(2);
		const workerBell = { sab: bells, index: 0 };
		const mainBell = { sab: bells, index: 1 };
		// The worker consumes `toWorker` and produces `toMain`, parking on its ONE doorbell for both.
		const toWorker = RingChannel.create({
			capacity: 8,
			name: 'main->worker',
			producerBell: mainBell,
			consumerBell: workerBell
		});
		const toMain = RingChannel.create({
			capacity: 16,
			name: 'worker->main',
			producerBell: workerBell,
			consumerBell: mainBell
		});
		const wait = vi.spyOn(Atomics, 'wait');
		let turns = 0;
		let counting = true;
		const countTurns = () => {
			turns++;
			if (counting) setImmediate(countTurns);
		};
		setImmediate(countTurns);

		const peer = startPeer({
			task: 'echo',
			fromMain: toWorker.descriptor,
			toMain: toMain.descriptor,
			bell: workerBell
		});
		worker = peer.worker;
		const send = async () => {
			for (let i = 0; i < COUNT; i++) {
				const status = await toWorker.pushAsync(i, (i * 3) & 0xffff, i & 1023, 10_000);
				if (status !== RING.OK) throw new Error(`pushAsync ${i} returned ${status}`);
			}
			toWorker.close();
		};
		const receive = async () => {
			const out = newSlot();
			let n = 0;
			for (;;) {
				const status = await toMain.popAsync(out, 10_000);
				if (status === RING.END) return n;
				if (status !== RING.OK) throw new Error(`popAsync ${n} returned ${status}`);
				if (out.block !== n || out.seq !== n || out.rows !== (n & 1023))
					throw new Error(`descriptor ${n}: got block ${out.block} seq ${out.seq}`);
				n++;
			}
		};
		const [, received, echoed] = await Promise.all([send(), receive(), peer.result]);
		counting = false;
		expect(echoed).toEqual({ moved: COUNT });
		expect(received).toBe(COUNT);
		expect(wait).not.toHaveBeenCalled();
		expect(turns).toBeGreaterThan(0);
	});
});
