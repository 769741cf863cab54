import { describe, expect, it } from 'vitest';
import type { CompiledPlan, StageOrigin } from '../../compiler/physical';
import { fusedBadge, fusedGroupOf, fusedGroups } from './fusion';

const planOf = (origins: StageOrigin[]) => ({ origins }) as unknown as CompiledPlan;

describe('fusedGroups', () => {
	it('groups only stages that run more than one node, numbered as explain() numbers stages', () => {
		const plan = planOf([
			{ nodes: ['gen'], sink: null },
			{ nodes: ['filter', 'table'], sink: 'table' }
		]);
		const groups = fusedGroups(plan);
		expect(groups.map((g) => [g.stage, g.nodes, g.instances])).toEqual([
			[1, ['filter', 'table'], 1]
		]);
		expect(fusedBadge(groups[0])).toBe('stage 1 · fused ×2');
		expect(fusedGroupOf(plan, 'gen')).toBeUndefined();
		expect(fusedGroupOf(plan, 'table')?.stage).toBe(1);
	});

	it('counts stages with the same nodes as parallel instances of one group', () => {
		const chain = { nodes: ['a', 'b', 'c'], sink: 'c' };
		const plan = planOf([{ nodes: ['src'], sink: null }, chain, chain, chain, chain]);
		const groups = fusedGroups(plan);
		expect(groups).toHaveLength(1);
		expect(groups[0].instances).toBe(4);
		expect(fusedBadge(groups[0])).toBe('stage 1 · fused ×3 · ×4 parallel');
	});

	it('gives distinct groups distinct colours and dash patterns, and nothing for no plan', () => {
		const plan = planOf([
			{ nodes: ['a', 'b'], sink: null },
			{ nodes: ['c', 'd'], sink: 'd' }
		]);
		const [first, second] = fusedGroups(plan);
		expect(first.colour).not.toBe(second.colour);
		expect(first.dash).not.toBe(second.dash);
		expect(fusedGroups(null)).toEqual([]);
	});
});
