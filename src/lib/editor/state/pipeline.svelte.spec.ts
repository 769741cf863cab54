import { describe, expect, it } from 'vitest';
import type { PipelineDocument } from '../../graph/document';
import { mulberry32 } from '../../runtime/testing/prng';
import { Analyser } from './analysis';
import { MISSING_PIPELINE_STATE, requirePipelineState } from './context';
import { COPY_OFFSET, PipelineState } from './pipeline.svelte';

const STRING_KEYS = {
	rows: 10,
	columns: [{ name: 'key', type: 'string', cardinality: 5 }]
};

/** generator-1 → filter-1 → table-1, laid out left to right. */
function chain(): PipelineState {
	const state = new PipelineState();
	const source = state.addNode('generator', { x: 0, y: 0 });
	const filter = state.addNode('filter', { x: 300, y: 0 });
	const table = state.addNode('table', { x: 600, y: 0 });
	expect(
		state.connect({ from: { node: source, port: 'out' }, to: { node: filter, port: 'in' } }).ok
	).toBe(true);
	expect(
		state.connect({ from: { node: filter, port: 'out' }, to: { node: table, port: 'in' } }).ok
	).toBe(true);
	return state;
}

const edge = (from: string, to: string, toPort = 'in', fromPort = 'out') => ({
	from: { node: from, port: fromPort },
	to: { node: to, port: toPort }
});

describe('PipelineState commands', () => {
	it('adds nodes with their kind’s default params under readable unique ids, selecting each', () => {
		const state = new PipelineState();
		const first = state.addNode('filter', { x: 10, y: 20 });
		const second = state.addNode('filter', { x: 30, y: 40 });
		expect([first, second]).toEqual(['filter-1', 'filter-2']);
		expect(state.node(second)).toStrictEqual({
			id: 'filter-2',
			kind: 'filter',
			params: { expression: 'true' },
			position: { x: 30, y: 40 }
		});
		expect(state.selection).toEqual({ nodes: ['filter-2'], edges: [] });
		expect(state.undoLabel).toBe('Add Filter');
		expect(() => state.addNode('no-such-kind', { x: 0, y: 0 })).toThrow(/no-such-kind/);
	});

	it('deletes the selection with every edge touching it, as one undo step', () => {
		const state = chain();
		const before = state.doc;
		state.select({ nodes: ['filter-1'] });
		expect(state.removeSelection()).toBe(true);
		expect(state.doc.nodes.map((node) => node.id)).toEqual(['generator-1', 'table-1']);
		expect(state.doc.edges).toEqual([]);
		expect(state.selection.nodes).toEqual([]);
		state.undo();
		expect(state.doc).toStrictEqual(before);
	});

	it('merges moves under one mark into one undo step, and keeps unmarked moves apart', () => {
		const state = chain();
		const start = state.doc;
		for (const x of [1, 2, 3])
			state.moveNodes([{ id: 'filter-1', position: { x, y: 5 } }], { mark: 'drag-1' });
		state.moveNodes([{ id: 'table-1', position: { x: 9, y: 9 } }]);
		state.moveNodes([{ id: 'table-1', position: { x: 10, y: 9 } }]);
		state.undo();
		state.undo();
		expect(state.node('filter-1')!.position).toEqual({ x: 3, y: 5 });
		state.undo();
		expect(state.doc).toStrictEqual(start);
	});

	it('merges typing in one param field into one step and copies the params it is given', () => {
		const state = chain();
		const start = state.doc;
		const params = { expression: '' };
		for (const text of ['v', 'va', 'value > 0.5']) {
			params.expression = text;
			state.setParams('filter-1', params, { mark: 'param:filter-1:expression' });
		}
		params.expression = 'changed afterwards';
		expect(state.node('filter-1')!.params).toEqual({ expression: 'value > 0.5' });
		expect(state.setParams('nobody', {})).toBe(false);
		expect(() => state.setParams('filter-1', { when: new Date() })).toThrow(TypeError);
		state.undo();
		expect(state.doc).toStrictEqual(start);
		expect(state.canUndo).toBe(true); // the chain's own steps remain
	});

	it('labels nodes and removes the label field when the label is cleared', () => {
		const state = chain();
		state.setLabel('filter-1', 'Big ones');
		expect(state.node('filter-1')!.label).toBe('Big ones');
		state.setLabel('filter-1', '');
		expect('label' in state.node('filter-1')!).toBe(false);
		state.rename('Trips');
		expect(state.doc.name).toBe('Trips');
	});

	it('disconnects edges by id', () => {
		const state = chain();
		const [first] = state.doc.edges;
		expect(state.disconnect([first.id])).toBe(true);
		expect(state.doc.edges.map((item) => item.id)).not.toContain(first.id);
		expect(state.disconnect(['no-such-edge'])).toBe(false);
	});

	it('records nothing for a command that changes nothing', () => {
		const state = chain();
		state.replaceDocument(state.doc);
		state.moveNodes([{ id: 'filter-1', position: state.node('filter-1')!.position }]);
		state.removeSelection();
		expect(state.canUndo).toBe(false);
	});

	it('starts a fresh history and selection when a document is replaced', () => {
		const state = chain();
		state.selectAll();
		const other: PipelineDocument = {
			version: 1,
			id: 'other',
			name: 'Other',
			nodes: [],
			edges: []
		};
		state.replaceDocument(other);
		expect(state.doc).toBe(other);
		expect(state.canUndo).toBe(false);
		expect(state.selection).toEqual({ nodes: [], edges: [] });
	});

	it('drops ids from the selection when an undo removes their nodes', () => {
		const state = new PipelineState();
		state.addNode('generator', { x: 0, y: 0 });
		expect(state.selection.nodes).toEqual(['generator-1']);
		state.undo();
		expect(state.selection.nodes).toEqual([]);
		state.redo();
		expect(state.doc.nodes).toHaveLength(1);
	});
});

describe('PipelineState connections', () => {
	it('refuses a node feeding itself, naming it', () => {
		const state = chain();
		const result = state.connect(edge('filter-1', 'filter-1'));
		expect(result).toEqual({ ok: false, reason: "node 'filter-1' cannot feed itself" });
	});

	it('refuses a loop, spelling it out, and changes nothing', () => {
		const state = chain();
		state.addNode('filter', { x: 0, y: 200 });
		state.connect(edge('table-1', 'filter-2')); // table has no outputs: refused
		const done = state.connect(edge('filter-1', 'filter-2'));
		expect(done.ok).toBe(true);
		state.disconnect([state.doc.edges[0].id]); // free generator-1 → filter-1's input
		const before = state.doc;
		const result = state.connect(edge('filter-2', 'filter-1'));
		expect(result).toEqual({
			ok: false,
			reason:
				"this edge would close a loop ('filter-1' → 'filter-2' → 'filter-1'); pipelines cannot feed back into themselves"
		});
		expect(state.doc).toBe(before);
	});

	it('refuses a second edge into an input and says to disconnect the first', () => {
		const state = chain();
		state.addNode('generator', { x: 0, y: 200 });
		const steps = state.undoLabel;
		const result = state.connect(edge('generator-2', 'filter-1'));
		expect(result.ok).toBe(false);
		expect(!result.ok && result.reason).toBe(
			"input 'in' of 'filter-1' is already fed by 'generator-1'; an input takes one edge: disconnect that one first"
		);
		expect(state.undoLabel).toBe(steps);
	});

	it('refuses ports the kinds do not have, listing the ones they do', () => {
		const state = chain();
		const noInput = state.connect(edge('generator-1', 'table-1', 'left'));
		expect(!noInput.ok && noInput.reason).toBe(
			"Table 'table-1' has no input 'left'; its inputs are 'in'"
		);
		const noOutput = state.connect(edge('table-1', 'filter-1', 'in', 'out'));
		expect(!noOutput.ok && noOutput.reason).toBe(
			"Table 'table-1' has no output 'out'; it has no outputs"
		);
		const noNode = state.connect(edge('ghost', 'filter-1'));
		expect(!noNode.ok && noNode.reason).toBe("there is no node 'ghost'");
	});

	it('refuses join inputs whose key types cannot be compared, with the compiler’s reason', () => {
		const state = new PipelineState();
		state.addNode('generator', { x: 0, y: 0 }); // key: int
		state.addNode('generator', { x: 0, y: 200 });
		state.setParams('generator-2', STRING_KEYS); // key: string
		state.addNode('join', { x: 300, y: 100 });
		state.setParams('join-1', {
			type: 'inner',
			on: [{ left: 'key', right: 'key' }],
			rightPrefix: 'r_'
		});
		expect(state.connect(edge('generator-1', 'join-1', 'left')).ok).toBe(true);
		const edges = state.doc.edges;
		const result = state.connect(edge('generator-2', 'join-1', 'right'));
		expect(result.ok).toBe(false);
		expect(!result.ok && result.reason).toMatch(
			/key columns 'key' \(int\w*, left\) and 'key' \(utf8, right\).*cannot be compared/
		);
		expect(state.doc.edges).toBe(edges);
		expect(state.checkConnection(edge('generator-1', 'join-1', 'right')).ok).toBe(true);
	});

	it('lets an unconfigured node take any input, leaving its params to be chosen after wiring', () => {
		const state = new PipelineState();
		state.addNode('generator', { x: 0, y: 0 });
		state.addNode('generator', { x: 0, y: 200 });
		state.setParams('generator-2', STRING_KEYS);
		state.addNode('join', { x: 300, y: 100 });
		expect(state.connect(edge('generator-1', 'join-1', 'left')).ok).toBe(true);
		expect(state.connect(edge('generator-2', 'join-1', 'right')).ok).toBe(true);
		expect(state.nodeStatus('join-1')).toBe('error');
		expect(
			state
				.nodeDiagnostics('join-1')
				.map((item) => item.message)
				.join('\n')
		).toMatch(/choose at least one pair/);
	});

	it('refuses an input a configured filter cannot read, with the compiler’s message', () => {
		const state = new PipelineState();
		state.addNode('generator', { x: 0, y: 0 });
		state.addNode('filter', { x: 300, y: 0 });
		state.setParams('filter-1', { expression: 'amount > 100' });
		const result = state.connect(edge('generator-1', 'filter-1'));
		expect(result.ok).toBe(false);
		expect(!result.ok && result.reason).toMatch(/amount/);
	});
});

describe('PipelineState diagnostics', () => {
	it('marks an unwired node as an error and a wired pipeline as ok', () => {
		const state = new PipelineState();
		state.addNode('generator', { x: 0, y: 0 });
		state.addNode('table', { x: 300, y: 0 });
		expect(state.nodeStatus('table-1')).toBe('error');
		expect(
			state.nodeDiagnostics('table-1').filter((item) => item.code === 'missing-input')
		).toHaveLength(1);
		state.connect(edge('generator-1', 'table-1'));
		expect(state.diagnostics.filter((item) => item.severity === 'error')).toEqual([]);
		expect(state.nodeStatus('table-1')).toBe('ok');
		expect(state.analysis.compiled.plan).not.toBeNull();
	});

	it('reuses the last compile when only positions changed', () => {
		const state = chain();
		const analyser = new Analyser();
		const first = analyser.analyse(state.doc);
		state.moveNodes([{ id: 'filter-1', position: { x: 1, y: 1 } }]);
		expect(analyser.analyse(state.doc)).toBe(first);
		state.setParams('filter-1', { expression: 'value > 0.5' });
		expect(analyser.analyse(state.doc)).not.toBe(first);
	});
});

describe('PipelineState clipboard and duplicate', () => {
	it('duplicates the selection offset, keeping the edges among the copies only', () => {
		const state = chain();
		state.setLabel('filter-1', 'Keep');
		state.select({ nodes: ['filter-1', 'table-1'] });
		const copies = state.duplicateSelection();
		expect(copies).toEqual(['filter-2', 'table-2']);
		expect(state.node('filter-2')).toStrictEqual({
			...state.node('filter-1'),
			id: 'filter-2',
			position: { x: 300 + COPY_OFFSET.x, y: COPY_OFFSET.y }
		});
		const copiedEdges = state.doc.edges.filter((item) => copies.includes(item.to.node));
		expect(copiedEdges.map((item) => [item.from.node, item.to.node])).toEqual([
			['filter-2', 'table-2']
		]);
		expect(state.selection.nodes).toEqual(copies);
		state.undo();
		expect(state.doc.nodes).toHaveLength(3);
	});

	it('pastes into another pipeline with params, labels and edges kept under new ids', () => {
		const source = chain();
		source.setParams('filter-1', { expression: 'value > 0.25' });
		source.setLabel('filter-1', 'Quarter up');
		source.select({ nodes: ['generator-1', 'filter-1'] });
		const text = source.copySelection()!;
		expect(JSON.parse(text)).toMatchObject({ sluice: 'fragment', version: 1 });

		const target = new PipelineState();
		target.addNode('filter', { x: 0, y: 0 }); // takes the id filter-1
		const result = target.paste(text, { x: 500, y: 500 });
		expect(result).toEqual({ ok: true, nodes: ['generator-1', 'filter-2'] });
		expect(target.node('filter-2')).toMatchObject({
			params: { expression: 'value > 0.25' },
			label: 'Quarter up',
			position: { x: 800, y: 500 }
		});
		expect(target.node('generator-1')!.params).toEqual(source.node('generator-1')!.params);
		expect(target.doc.edges.map((item) => [item.from.node, item.to.node])).toEqual([
			['generator-1', 'filter-2']
		]);
		expect(target.selection.nodes).toEqual(['generator-1', 'filter-2']);
		target.undo();
		expect(target.doc.nodes.map((node) => node.id)).toEqual(['filter-1']);
	});

	it('pastes a whole saved pipeline as nodes', () => {
		const source = chain();
		const target = new PipelineState();
		expect(target.paste(JSON.stringify(source.doc)).ok).toBe(true);
		expect(target.doc.nodes).toHaveLength(3);
		expect(target.doc.edges).toHaveLength(2);
	});

	it('refuses clipboard text that is not Sluice nodes with a clear error, changing nothing', () => {
		const state = chain();
		const before = state.doc;
		const fragment = (nodes: unknown[], edges: unknown[] = []) =>
			JSON.stringify({ sluice: 'fragment', version: 1, nodes, edges });
		const node = { id: 'a', kind: 'filter', params: {}, position: { x: 0, y: 0 } };
		const cases: [string, RegExp][] = [
			['hello', /not JSON/],
			['[1, 2]', /not a pipeline/],
			['{"nodes": 3}', /not a pipeline/],
			[fragment([]), /no nodes/],
			[fragment([{ ...node, kind: 'fliter' }]), /unknown kind 'fliter'.*did you mean 'filter'/],
			[fragment([{ ...node, position: { x: 'left' } }]), /position.x/],
			[
				fragment(
					[node],
					[{ id: 'e', from: { node: 'a', port: 'out' }, to: { node: 'b', port: 'in' } }]
				),
				/'b', which does not exist/
			]
		];
		for (const [text, error] of cases) {
			const result = state.paste(text);
			expect(result.ok, text).toBe(false);
			expect(!result.ok && result.error).toMatch(/^the clipboard does not hold Sluice nodes: /);
			expect(!result.ok && result.error, text).toMatch(error);
		}
		expect(state.doc).toBe(before);
		expect(state.undoLabel).toBe('Connect');
	});

	it('copies nothing, and cuts nothing, without a selection', () => {
		const state = chain();
		state.clearSelection();
		expect(state.copySelection()).toBeNull();
		expect(state.cutSelection()).toBeNull();
		state.select({ nodes: ['table-1'] });
		expect(state.cutSelection()).not.toBeNull();
		expect(state.node('table-1')).toBeUndefined();
	});
});

describe('PipelineState auto layout', () => {
	it('lays nodes out left to right by depth without overlaps, as one undo step', () => {
		const state = new PipelineState({ layout: { columnWidth: 280, rowHeight: 140 } });
		for (const kind of ['generator', 'generator', 'join', 'filter', 'table', 'table']) {
			state.addNode(kind, { x: 50, y: 50 }); // all on top of each other
		}
		state.connect(edge('generator-1', 'join-1', 'left'));
		state.connect(edge('generator-2', 'join-1', 'right'));
		state.connect(edge('join-1', 'filter-1'));
		state.connect(edge('filter-1', 'table-1'));
		state.connect(edge('generator-2', 'table-2'));
		const before = state.doc;
		expect(state.autoLayout()).toBe(true);
		const at = new Map(state.doc.nodes.map((node) => [node.id, node.position]));
		for (const item of state.doc.edges) {
			expect(at.get(item.from.node)!.x).toBeLessThan(at.get(item.to.node)!.x);
		}
		const nodes = [...at.values()];
		for (let i = 0; i < nodes.length; i++) {
			for (let j = i + 1; j < nodes.length; j++) {
				const apart =
					Math.abs(nodes[i].x - nodes[j].x) >= 280 || Math.abs(nodes[i].y - nodes[j].y) >= 140;
				expect(apart).toBe(true);
			}
		}
		expect(Math.min(...nodes.map((point) => point.x))).toBe(50);
		state.undo();
		expect(state.doc).toStrictEqual(before);
	});
});

describe('PipelineState undo and redo', () => {
	it('restores exactly every earlier document over 20+ random mixed edits, and redoes to the last', () => {
		for (const seed of [1, 2, 3, 4, 5]) {
			const random = mulberry32(seed);
			const state = new PipelineState();
			const docs: PipelineDocument[] = [state.doc];
			const kinds = ['generator', 'filter', 'derive', 'select', 'limit', 'table', 'join'];
			let guard = 0;
			const labels = new Set<string>();
			while (docs.length < 26 && guard++ < 500) {
				const ids = state.doc.nodes.map((node) => node.id);
				const some = () => random.pick(ids);
				switch (ids.length === 0 ? 0 : random.int(0, 9)) {
					case 0:
					case 1:
						state.addNode(random.pick(kinds), { x: random.int(0, 800), y: random.int(0, 600) });
						break;
					case 2:
						state.moveNodes([
							{ id: some(), position: { x: random.int(0, 800), y: random.int(0, 600) } }
						]);
						break;
					case 3:
						state.setParams(some(), {
							expression: `value > ${random.int(0, 9)}`,
							rows: random.int(1, 50)
						});
						break;
					case 4:
						state.setLabel(some(), random.chance(0.5) ? `label ${random.int(0, 9)}` : undefined);
						break;
					case 5:
					case 6: {
						const from = some();
						const to = some();
						const input = random.pick(['in', 'left', 'right']);
						state.connect({ from: { node: from, port: 'out' }, to: { node: to, port: input } });
						break;
					}
					case 7:
						state.select({ nodes: [some()] });
						if (random.chance(0.5)) state.duplicateSelection();
						else state.removeSelection();
						break;
					case 8:
						if (state.doc.edges.length > 0) state.disconnect([random.pick(state.doc.edges).id]);
						break;
					case 9:
						if (random.chance(0.3)) state.autoLayout();
						else state.rename(`Pipeline ${random.int(0, 99)}`);
						break;
				}
				if (state.doc !== docs[docs.length - 1]) {
					docs.push(state.doc);
					labels.add(state.undoLabel!);
				}
			}
			expect(docs.length, `seed ${seed}`).toBeGreaterThanOrEqual(21);
			expect(labels.size, `seed ${seed}: ${[...labels].join(', ')}`).toBeGreaterThanOrEqual(7);
			const final = state.doc;
			for (let step = docs.length - 2; step >= 0; step--) {
				expect(state.undo(), `seed ${seed}`).toBe(true);
				expect(state.doc, `seed ${seed}, undo to step ${step}`).toStrictEqual(docs[step]);
			}
			expect(state.undo()).toBe(false);
			for (let step = 1; step < docs.length; step++) state.redo();
			expect(state.doc, `seed ${seed}`).toStrictEqual(final);
			expect(state.canRedo).toBe(false);
		}
	});

	it('drops the redo steps when a new edit follows an undo', () => {
		const state = chain();
		state.undo();
		expect(state.canRedo).toBe(true);
		expect(state.redoLabel).toBe('Connect');
		state.rename('New');
		expect(state.canRedo).toBe(false);
		expect(state.redo()).toBe(false);
	});
});

describe('pipeline context', () => {
	it('says how to provide the state when no component provided one', () => {
		expect(() => requirePipelineState(undefined)).toThrow(MISSING_PIPELINE_STATE);
		expect(MISSING_PIPELINE_STATE).toMatch(/EditorProvider/);
		const state = new PipelineState();
		expect(requirePipelineState(state)).toBe(state);
	});
});

describe('PipelineState.addNodeAfter', () => {
	it('adds the node to the right of the given one, wired from it, as one undo step', () => {
		const state = new PipelineState();
		const source = state.addNode('generator', { x: 0, y: 0 });
		const filter = state.addNodeAfter('filter', source)!;
		expect(state.node(filter)?.position).toEqual({ x: 280, y: 0 });
		expect(state.doc.edges).toEqual([
			expect.objectContaining({
				from: { node: source, port: 'out' },
				to: { node: filter, port: 'in' }
			})
		]);
		expect(state.selection.nodes).toEqual([filter]);
		state.undo();
		expect(state.doc.nodes.map((n) => n.id)).toEqual([source]);
		expect(state.doc.edges).toEqual([]);
	});

	it('leaves the node unwired when the ports do not fit, and places it below one in the way', () => {
		const state = new PipelineState();
		const table = state.addNode('table', { x: 0, y: 0 });
		state.addNode('filter', { x: 280, y: 0 });
		const next = state.addNodeAfter('generator', table)!;
		expect(state.node(next)?.position).toEqual({ x: 280, y: 140 });
		expect(state.doc.edges).toEqual([]);
	});
});
