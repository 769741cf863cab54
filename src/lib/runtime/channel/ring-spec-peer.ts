// Test-only worker_thread: the other side of a ring in the channel specs. Started through
// src/workers/node-bootstrap.mjs with `workerData.task` naming what to do; posts one result.
import { parentPort, workerData } from 'node:worker_threads';
import { RING, type RingStatus } from '../contracts';
import { mulberry32, type Prng } from '../testing/prng';
import { Doorbell } from './doorbell';
import { RingChannel, type PushStatus } from './ring';
import {
	blockOf,
	newSlot,
	type PauseProfile,
	type PeerResult,
	type PeerTask,
	type StressCase
} from './ring-spec-support';

const STALL = new Int32Array(new SharedArrayBuffer(4));

/** Maybe pauses: a busy-wait of up to 400 loads, or an Atomics.wait of up to 0.2 ms or 0.5..3 ms. */
function pause(prng: Prng, profile: PauseProfile): void {
	let roll = prng.next();
	const nap = profile.nap ?? 0;
	if (roll < nap) Atomics.wait(STALL, 0, 0, 0.5 + prng.next() * 2.5);
	else if ((roll -= nap) < profile.sleep) Atomics.wait(STALL, 0, 0, prng.next() * 0.2);
	else if (roll < profile.sleep + profile.spin) {
		for (let i = prng.int(1, 400); i > 0; i--) Atomics.load(STALL, 0);
	}
}

/** The most a blocking park asked for in the current case (see PeerResult.maxWant). */
let maxWant = 0;

function produce(c: StressCase, prng: Prng): string | undefined {
	const ring = RingChannel.attach(c.ring);
	const bell = new Doorbell(c.ring.producerBell);
	const data = mulberry32(c.dataSeed);
	for (let i = 0; i < c.count; i++) {
		const block = blockOf(data);
		pause(prng, c.producerPause);
		if (c.mode === 'blocking') {
			const status = ring.push(block, (block ^ i) & 0xfffff, i & 0xffff, 15_000);
			if (status !== RING.OK) return `push ${i} returned ${status}: ${ring.error() ?? ''}`;
			if (ring.waits.wantRoom > maxWant) maxWant = ring.waits.wantRoom;
		} else {
			// The scheduler's loop: try; announce (prepare); try again; sleep only if that failed too.
			for (let announced = false, seen = 0; ; announced = !announced) {
				if (ring.tryPush(block, (block ^ i) & 0xfffff, i & 0xffff)) {
					if (announced) bell.cancelPrepare();
					break;
				}
				if (ring.status() !== RING.OK) return `tryPush ${i}: ring stopped: ${ring.error() ?? ''}`;
				if (!announced) seen = bell.prepare();
				else if (!bell.sleep(seen, 15_000)) return `tryPush ${i}: slept 15 s without a pop`;
			}
		}
	}
	ring.close();
	return undefined;
}

function consume(c: StressCase, prng: Prng): string | undefined {
	const ring = RingChannel.attach(c.ring);
	const bell = new Doorbell(c.ring.consumerBell);
	const data = mulberry32(c.dataSeed);
	const out = newSlot();
	for (let i = 0; ; i++) {
		pause(prng, c.consumerPause);
		let status: RingStatus = RING.OK;
		if (c.mode === 'blocking') {
			status = ring.pop(out, 15_000);
			if (ring.waits.wantReady > maxWant) maxWant = ring.waits.wantReady;
		} else {
			for (let announced = false, seen = 0; ; announced = !announced) {
				if (ring.tryPop(out)) {
					if (announced) bell.cancelPrepare();
					break;
				}
				status = ring.status();
				if (status !== RING.OK) {
					if (announced) bell.cancelPrepare();
					break;
				}
				if (!announced) seen = bell.prepare();
				else if (!bell.sleep(seen, 15_000)) return `tryPop ${i}: slept 15 s without a push`;
			}
		}
		if (status === RING.END) return i === c.count ? undefined : `END after ${i} of ${c.count}`;
		if (status !== RING.OK) return `pop ${i} returned ${status}: ${ring.error() ?? ''}`;
		const block = i < c.count ? blockOf(data) : -1;
		if (
			out.seq !== (i & 0x7fffffff) ||
			out.block !== block ||
			out.byteLength !== ((block ^ i) & 0xfffff) ||
			out.rows !== (i & 0xffff)
		) {
			ring.cancel(); // unblock the producer before reporting
			return `descriptor ${i}: got seq ${out.seq} block ${out.block}, expected block ${block}`;
		}
	}
}

function stress(task: Extract<PeerTask, { task: 'produce' | 'consume' }>): PeerResult {
	const side = task.task;
	let moved = 0;
	const wants: number[] = [];
	for (let n = 0; n < task.cases.length; n++) {
		const c = task.cases[n];
		const prng = mulberry32(c.dataSeed ^ (side === 'produce' ? 0x5eed : 0xc0de));
		maxWant = 0;
		const failure = side === 'produce' ? produce(c, prng) : consume(c, prng);
		wants.push(maxWant);
		if (failure) return { failure: `${side}r, case ${n} (seed ${task.seed}): ${failure}`, moved };
		moved += c.count;
	}
	return { moved, maxWant: wants };
}

/** Pops from `fromMain` and pushes the same descriptor to `toMain` until `fromMain` ends. */
function echo(task: Extract<PeerTask, { task: 'echo' }>): PeerResult {
	const fromMain = RingChannel.attach(task.fromMain);
	const toMain = RingChannel.attach(task.toMain);
	const bell = new Doorbell(task.bell);
	const out = newSlot();
	let moved = 0;
	let holding = false;
	// One doorbell for both rings, as a worker hosting several stages does: try every move; when
	// none could, announce (prepare) and try them all again; sleep only when that pass failed too.
	let announced = false;
	let seen = 0;
	for (;;) {
		let progressed = false;
		if (!holding && fromMain.tryPop(out)) holding = progressed = true;
		if (holding && toMain.tryPush(out.block, out.byteLength, out.rows)) {
			holding = false;
			progressed = true;
			moved++;
		}
		if (!holding && fromMain.status() === RING.END) break;
		if (fromMain.status() > RING.END || toMain.status() > RING.END)
			return { failure: `echo stopped: ${fromMain.error() ?? toMain.error() ?? 'cancelled'}` };
		if (progressed && announced) bell.cancelPrepare();
		else if (!progressed && !announced) seen = bell.prepare();
		else if (!progressed && !bell.sleep(seen, 15_000))
			return { failure: `echo slept 15 s, moved ${moved}` };
		announced = !progressed && !announced;
	}
	if (announced) bell.cancelPrepare();
	toMain.close();
	return { moved };
}

function run(task: PeerTask): PeerResult {
	switch (task.task) {
		case 'pop-once': {
			const ring = RingChannel.attach(task.ring);
			const slot = newSlot();
			const status = ring.pop(slot, task.timeoutMs);
			return { status, slot, error: ring.error() };
		}
		case 'push-until-stopped': {
			const ring = RingChannel.attach(task.ring);
			let status: PushStatus = RING.OK;
			for (let i = 0; status === RING.OK; i++) status = ring.push(i, 0, 0, task.timeoutMs);
			return { status, error: ring.error() };
		}
		case 'fail': {
			RingChannel.attach(task.ring).fail(task.message);
			return {};
		}
		case 'echo':
			return echo(task);
		default:
			return stress(task);
	}
}

parentPort?.postMessage(run(workerData as PeerTask));
