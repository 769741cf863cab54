// Test support, run as its own Node process with --expose-gc (see steady-state.spec.ts):
// measures how many heap bytes 100k acquire/release pairs allocate after warm-up, beside a
// control loop that allocates one small object per pair (proof that the measurement sees
// allocations). Prints one JSON line.
import { MemoryPool } from '../pool';

const gc = (globalThis as { gc?: () => void }).gc;
const PAIRS = 100_000;

function heapGrowth(loop: () => void): number {
	gc!();
	gc!();
	const before = process.memoryUsage().heapUsed;
	loop();
	return process.memoryUsage().heapUsed - before;
}

if (typeof gc !== 'function') {
	console.log(JSON.stringify({ gc: false }));
} else {
	const pool = MemoryPool.create({ budgetBytes: 64 << 20 });
	const pairs = (n: number) => {
		for (let i = 0; i < n; i++) pool.release(pool.tryAcquire(30_000));
	};
	// The control keeps every object it makes alive, so a scavenge in the middle of the loop
	// cannot hide its allocations (100k small objects: a few MB that must show up).
	let sink: unknown[] = [];
	const allocating = (n: number) => {
		sink = [];
		for (let i = 0; i < n; i++) {
			const h = pool.tryAcquire(30_000);
			sink.push({ h });
			pool.release(h);
		}
	};
	pairs(20_000); // warm-up: let the JIT settle
	allocating(20_000);
	const pool0 = heapGrowth(() => pairs(PAIRS));
	const control = heapGrowth(() => allocating(PAIRS));
	console.log(JSON.stringify({ gc: true, pool: pool0, control, stats: pool.stats() }));
}
