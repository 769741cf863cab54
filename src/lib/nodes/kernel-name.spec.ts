import { describe, expect, it } from 'vitest';
import { compile } from '../compiler';
import { pipeline } from '../graph/build';
import type { PhysicalStage } from '../runtime/scheduler/run';
import { NODE_KINDS, nodeKernels } from './catalogue';
import { filter } from './filter';
import type { ChainParams } from './kernels/chain';
import { CHAIN_KERNEL, nodeKernelName } from './kernel-name';

/** generator → filter → `kind` → table, and generator → sort → table beside it. */
function doc(kind: string, params: Record<string, unknown>) {
	return pipeline(
		[
			{ id: 'gen', kind: 'generator', params: { rows: 100 } },
			{ id: 'f', kind: 'filter', params: { expression: 'value > 0.5' } },
			{ id: 'mid', kind, params },
			{ id: 'tbl', kind: 'table' },
			{ id: 'srt', kind: 'sort', params: { by: [{ column: 'key' }] } },
			{ id: 'out', kind: 'collect' }
		],
		[
			['gen', 'f'],
			['f', 'mid'],
			['mid', 'tbl'],
			['gen', 'srt'],
			['srt', 'out']
		]
	);
}

/** Every kernel name a plan sends to the workers: its stages' and their fused terminals'. */
function kernelsNamed(stages: PhysicalStage[]) {
	return stages.flatMap((s) => {
		const terminal = s.kernel === CHAIN_KERNEL ? (s.params as ChainParams).terminal : null;
		return terminal ? [s.kernel, terminal.kernel] : [s.kernel];
	});
}

describe('kernel names', () => {
	const table = nodeKernels();

	for (const [kind, params] of [
		['group-by', { keys: ['key'], aggregates: [{ op: 'count' }] }],
		['top-k', { k: 5, by: [{ column: 'value' }] }]
	] as const) {
		for (const workers of [1, 3]) {
			it(`names only kernels the workers have, for a ${kind} on ${workers} worker(s)`, () => {
				const { plan, diagnostics } = compile(doc(kind, params), { workers });
				expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
				const named = kernelsNamed(plan!.stages);
				if (workers > 1) expect(named).toContain(nodeKernelName({ kind }, 'merge'));
				expect(named.filter((name) => !table.has(name))).toEqual([]);
			});
		}
	}

	it('registers every kind under its own names, one per kernel it has', () => {
		for (const def of NODE_KINDS) {
			if (def.kernel) expect(table.get(nodeKernelName(def, 'run'))).toBe(def.kernel);
			expect(table.get(nodeKernelName(def, 'partial'))).toBe(def.partitioned?.partial);
			expect(table.get(nodeKernelName(def, 'merge'))).toBe(def.partitioned?.merge);
		}
		const runs = NODE_KINDS.map((def) => nodeKernelName(def, 'run'));
		expect(new Set(runs).size).toBe(NODE_KINDS.length);
	});

	it('cannot be written as a free string or with a role that does not exist', () => {
		// Checked by TypeScript (`npm run check`): each line below must fail to type-check,
		// or the check reports the directive as unused.
		// @ts-expect-error a stage names its kernel by a KernelName, not a string
		const free: PhysicalStage['kernel'] = 'node:filter';
		// @ts-expect-error the roles are 'run', 'partial' and 'merge'
		const misspelt = nodeKernelName(filter, 'merg');
		expect([free, misspelt]).toHaveLength(2);
	});
});
