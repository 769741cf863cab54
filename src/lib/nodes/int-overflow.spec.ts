// Integer overflow through the real engine: a derive past int64 and a group-by sum past int64
// or uint64 fail the run naming the node, the column and the values, on 1 and 2 workers;
// exact sums right up to the limit still come out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNodeWorkerPool } from '../runtime/scheduler/node-pool';
import type { WorkerPool } from '../runtime/scheduler/worker-pool';
import { collected, line, run, type NodeSpec } from './pipeline-fixtures.spec-support';

const gen = (rows: number): NodeSpec => ({
	id: 'gen',
	kind: 'generator',
	params: { rows, columns: [{ name: 'id', type: 'int', cardinality: 0 }] }
});
const derive = (expression: string): NodeSpec => ({
	id: 'calc',
	kind: 'derive',
	params: { column: 'big', expression }
});
const sum: NodeSpec = {
	id: 'sums',
	kind: 'group-by',
	params: { keys: [], aggregates: [{ op: 'sum', column: 'big', as: 'total' }] }
};
const out: NodeSpec = { id: 'out', kind: 'collect' };

describe('integer overflow in a run', () => {
	let pool: WorkerPool;
	beforeAll(() => {
		pool = createNodeWorkerPool(2);
	});
	afterAll(async () => pool.shutdown());

	async function failure(nodes: NodeSpec[], workers: number): Promise<string> {
		const outcome = await run(line(...nodes), pool, { workers, batchRows: 1000 });
		if (outcome.status !== 'failed') throw new Error(`run ${outcome.status}, not failed`);
		return `${outcome.failure.stage}: ${outcome.failure.message}`;
	}

	for (const workers of [1, 2]) {
		it(`a derive past int64 fails naming the node, the column and the row (${workers} worker(s))`, async () => {
			const message = await failure(
				[gen(5000), derive('(id + 1) * 3037000500 * 3037000500'), out],
				workers
			);
			expect(message).toMatch(/calc/);
			expect(message).toMatch(
				/column 'big': integer overflow: 3037000500 \* 3037000500 is outside int64.*in the row where id = 0/
			);
		});

		it(`a group-by sum past int64 fails naming the aggregate, never wrapping (${workers} worker(s))`, async () => {
			const message = await failure(
				[gen(5000), derive('4611686018427387904 + id'), sum, out],
				workers
			);
			expect(message).toMatch(/sums/);
			expect(message).toMatch(
				/sum '.*' overflows int64 \(-9223372036854775808 to 9223372036854775807\)/
			);
		});
	}

	it('sums exactly up to the limit: 2 rows of 2^62 - 1 and one of 1 give 2^63 - 1', async () => {
		const outcome = await run(
			line(gen(3), derive('if(id < 2, 4611686018427387903, 1)'), sum, out),
			pool,
			{ workers: 2, batchRows: 1 }
		);
		if (outcome.status !== 'done') throw new Error(JSON.stringify(outcome).slice(0, 300));
		const table = collected(outcome.results.get('out'));
		expect(table.schema.fields.map((f) => String(f.type))).toEqual(['Int64']);
		expect(table.getChildAt(0)!.get(0)).toBe(2n ** 63n - 1n);
	});
});
