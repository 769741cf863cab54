// `npm run bench -- channel [--seconds=1.2] [--rounds=3]`: batches between two Node worker_threads through
// the engine's shared-memory pool + SPSC ring (blocking push/pop that park on doorbells),
// beside postMessage with structured clone, with transfer of a fresh buffer, and with transfer
// and recycling (the best postMessage can do), at 1 KiB, 64 KiB and 1 MiB; then round-trip
// latency at 1 KiB, and heap growth and pool hit rate over 1M batches. See bench/channel/.
//
// Each throughput case runs a short pilot (which also warms the JIT), then a stream sized from
// the pilot's rate to take about `--seconds`, timed by the consumer after a warm-up. On a machine
// shared with other work a single stream is at the mercy of whatever else runs, so every method
// streams once per round, in turn, for `--rounds` rounds; the table shows each method's median,
// and stderr every round (best, median, and the per-round ratio to transfer+recycle).
// Ring payloads are not copied (the block is the batch), so GB/s counts payload bytes handed
// over, as it does for transfer.
import { RingChannel } from '../src/lib/runtime/channel/ring';
import { HEADER_BYTES } from '../src/lib/runtime/memory/layout';
import { MemoryPool } from '../src/lib/runtime/memory/pool';
import { Peers } from './channel/peers';
import { IN_FLIGHT, type FlowTask, type Method, type TaskResult } from './channel/protocol';
import { row, type BenchRow } from './row';

const KiB = 1024;
const MiB = 1024 * KiB;
const PAYLOADS = [KiB, 64 * KiB, MiB];
const METHODS: readonly Method[] = ['ring', 'clone', 'transfer', 'recycle'];
const NAMES: Record<Method, string> = {
	ring: 'pool + ring (parking)',
	clone: 'postMessage clone',
	transfer: 'postMessage transfer (fresh buffer)',
	recycle: 'postMessage transfer+recycle'
};
const STEADY_BATCHES = 1_000_000;
const ROUND_TRIPS = 100_000;
const POST_ROUND_TRIPS = 50_000;
/** Heap growth below this is within heapUsed's noise after gc(); the ratio stops there. */
const HEAP_FLOOR_MB = 0.01;

const sizeName = (bytes: number) => (bytes >= MiB ? `${bytes / MiB} MiB` : `${bytes / KiB} KiB`);
const log = (line: string) => process.stderr.write(`${line}\n`);

/** A pool that holds a full ring of `payload` blocks plus the few each side holds. */
function poolFor(payload: number): MemoryPool {
	let block = 4096;
	while (block < payload + HEADER_BYTES) block *= 2;
	return MemoryPool.create({ budgetBytes: (IN_FLIGHT + 8) * block, maxBlockBytes: block });
}

interface Flow {
	rate: number;
	producer: TaskResult;
	consumer: TaskResult;
}

async function flow(
	peers: Peers,
	method: Method,
	payload: number,
	warmup: number,
	count: number,
	pool: MemoryPool | undefined,
	heap = false
): Promise<Flow> {
	const base = { kind: 'flow', method, payload, warmup, count, heap } as const;
	const shared =
		method === 'ring'
			? {
					pool: pool!.descriptor,
					ring: RingChannel.create({ capacity: IN_FLIGHT, name: `bench ${sizeName(payload)}` })
						.descriptor
				}
			: {};
	const producer: FlowTask = { ...base, ...shared, role: 'producer' };
	const consumer: FlowTask = { ...base, ...shared, role: 'consumer' };
	const [p, c] = await peers.both(producer, consumer);
	if (c.mismatches) throw new Error(`${method} ${sizeName(payload)}: ${c.mismatches} bad headers`);
	return { rate: count / c.seconds!, producer: p, consumer: c };
}

interface Sized {
	warmup: number;
	count: number;
}

/** A pilot (which also warms the JIT), then the stream length that takes about `seconds`. */
async function sizeStream(
	peers: Peers,
	method: Method,
	payload: number,
	seconds: number,
	pool?: MemoryPool
): Promise<Sized> {
	// Copying 1 MiB per batch (clone, zeroing a fresh buffer) is slow: a shorter pilot there.
	const copies = payload >= MiB && method !== 'ring' && method !== 'recycle';
	const pilot = method === 'ring' ? 40_000 : copies ? 400 : 4_000;
	const guess = (await flow(peers, method, payload, pilot / 2, pilot / 2, pool)).rate;
	const count = Math.max(200, Math.min(20_000_000, Math.round(guess * seconds)));
	return { warmup: Math.max(16, Math.round(guess * 0.1)), count };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];

/**
 * Batches per second of every method at `payload`: `rounds` rounds, each running every method
 * once in turn, so a burst of load from other processes hits all methods alike; the median.
 */
async function throughputs(
	peers: Peers,
	payload: number,
	seconds: number,
	rounds: number
): Promise<Record<Method, number>> {
	const pool = poolFor(payload);
	const sized = {} as Record<Method, Sized>;
	const rates = {} as Record<Method, number[]>;
	for (const method of METHODS) {
		sized[method] = await sizeStream(peers, method, payload, seconds, pool);
		rates[method] = [];
	}
	for (let round = 0; round < rounds; round++) {
		for (const method of METHODS) {
			const { warmup, count } = sized[method];
			rates[method].push((await flow(peers, method, payload, warmup, count, pool)).rate);
		}
	}
	const result = {} as Record<Method, number>;
	for (const method of METHODS) {
		const all = rates[method];
		result[method] = median(all);
		const list = all.map((r) => Math.round(r)).join(', ');
		log(
			`  ${NAMES[method]} ${sizeName(payload)}: ${sized[method].count} batches; batches/s median ${Math.round(result[method])}, best ${Math.round(Math.max(...all))} (${list})`
		);
	}
	const ratios = rates.ring.map((r, i) => r / rates.recycle[i]);
	log(
		`  ratio to ${NAMES.recycle} per round: ${ratios.map((r) => r.toFixed(2)).join(', ')} (median ${median(ratios).toFixed(2)}, best ${Math.max(...ratios).toFixed(2)})`
	);
	return result;
}

async function roundTrips(peers: Peers, pool: MemoryPool) {
	const payload = KiB;
	const ring = () => RingChannel.create({ capacity: IN_FLIGHT, name: 'ping' }).descriptor;
	const [there, back] = [ring(), ring()];
	const shared = { kind: 'ping', payload, warmup: 10_000, count: ROUND_TRIPS } as const;
	const ringTask = { ...shared, method: 'ring', pool: pool.descriptor, there, back } as const;
	const [ours] = await peers.both({ ...ringTask, role: 'pinger' }, { ...ringTask, role: 'echoer' });
	const postTask = { ...shared, count: POST_ROUND_TRIPS, method: 'post' } as const;
	const [post] = await peers.both({ ...postTask, role: 'pinger' }, { ...postTask, role: 'echoer' });
	if (ours.mismatches || post.mismatches) throw new Error('round trip: bad headers');
	log(
		`  round trip p50/p99 µs: ring ${ours.p50Us}/${ours.p99Us}, post ${post.p50Us}/${post.p99Us}`
	);
	return { ours, post };
}

export async function run(args: string[]): Promise<BenchRow[]> {
	const secondsArg = args.find((a) => a.startsWith('--seconds='));
	const seconds = secondsArg ? Number(secondsArg.slice('--seconds='.length)) : 1.2;
	if (!(seconds > 0))
		throw new RangeError(`--seconds must be a positive number, got ${secondsArg}`);
	const roundsArg = args.find((a) => a.startsWith('--rounds='));
	const rounds = roundsArg ? Number(roundsArg.slice('--rounds='.length)) : 3;
	if (!(Number.isInteger(rounds) && rounds >= 1))
		throw new RangeError(`--rounds must be a positive integer, got ${roundsArg}`);
	const peers = new Peers();
	const rows: BenchRow[] = [];
	try {
		for (const payload of PAYLOADS) {
			log(`throughput ${sizeName(payload)}, median of ${rounds} rounds`);
			const rate = await throughputs(peers, payload, seconds, rounds);
			const cse = `throughput ${sizeName(payload)}`;
			const gb = (r: number) => (r * payload) / 1e9;
			const higherIsBetter = true;
			const vs = (m: Method, metric: string, unit: string, f: (r: number) => number) =>
				row({
					case: cse,
					metric,
					unit,
					ours: f(rate.ring),
					baseline: f(rate[m]),
					baselineName: NAMES[m],
					higherIsBetter
				});
			rows.push(vs('recycle', 'batches/s', 'batches/s', (r) => r));
			rows.push(vs('recycle', 'payload', 'GB/s', gb));
			rows.push(vs('clone', 'batches/s', 'batches/s', (r) => r));
			rows.push(vs('transfer', 'batches/s', 'batches/s', (r) => r));
		}

		log('round trip 1 KiB');
		const { ours, post } = await roundTrips(peers, poolFor(KiB));
		for (const [metric, key] of [
			['p50', 'p50Us'],
			['p99', 'p99Us']
		] as const)
			rows.push(
				row({
					case: 'round trip 1 KiB',
					metric,
					unit: 'µs',
					ours: ours[key]!,
					baseline: post[key]!,
					baselineName: 'postMessage ping-pong (transfer)',
					higherIsBetter: false
				})
			);

		log(`steady state: ${STEADY_BATCHES} batches of 64 KiB, fresh pool`);
		const pool = poolFor(64 * KiB);
		const steady = await flow(peers, 'ring', 64 * KiB, 20_000, STEADY_BATCHES, pool, true);
		const stats = pool.stats();
		const hitRate = stats.freeListHits / (stats.freeListHits + stats.freshCarves);
		log(
			`  ${Math.round(steady.rate)} batches/s, ${stats.freshCarves} carves, gc: ${steady.consumer.gc}`
		);
		for (const [side, r] of [
			['producer', steady.producer],
			['consumer', steady.consumer]
		] as const) {
			const growth = (r.heapAfter! - r.heapBefore!) / 1e6;
			const heapRow = row({
				case: `steady 1M × 64 KiB`,
				metric: `heap growth, ${side} thread${r.gc ? '' : ' (no gc)'}`,
				unit: 'MB',
				ours: growth,
				baseline: 1,
				baselineName: `target (< 1 MB; ratio floors growth at ${HEAP_FLOOR_MB} MB)`,
				higherIsBetter: false
			});
			// heapUsed after gc() wobbles by a few kB either way: below that, growth is noise.
			heapRow.ratio = 1 / Math.max(growth, HEAP_FLOOR_MB);
			rows.push(heapRow);
		}
		rows.push(
			row({
				case: `steady 1M × 64 KiB`,
				metric: 'pool free-list hit rate (all acquires, cold pool)',
				unit: 'ratio',
				ours: hitRate,
				baseline: 0.99,
				baselineName: 'target (≥ 0.99)',
				higherIsBetter: true
			})
		);
	} finally {
		await peers.close();
	}
	return rows;
}
