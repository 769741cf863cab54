import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PipelineDocument, PipelineNode } from '../../graph/document';
import {
	applyDiff,
	composeDiffs,
	diffDocuments,
	HistoryManager,
	invertDiff,
	isEmptyDiff
} from './history';

const SEED = 0x5e11ce;
const RUNS = 150;

// ---- Random edits on documents, each returning a new document (never mutating) ----

type Edit =
	| { op: 'add'; at: number; id: number; kind: string }
	| { op: 'remove'; pick: number }
	| { op: 'param'; pick: number; key: string; value: unknown }
	| { op: 'move'; pick: number; x: number; y: number }
	| { op: 'label'; pick: number; label: string | null }
	| { op: 'rename'; name: string }
	| { op: 'connect'; from: number; to: number }
	| { op: 'disconnect'; pick: number }
	| { op: 'swap'; i: number; j: number }
	| { op: 'repeat-id'; pick: number };

const json = fc.oneof(fc.integer(), fc.string({ maxLength: 4 }), fc.boolean(), fc.constant(null));

/** Edits; 'repeat-id' (two nodes sharing an id, as a loaded document may) is rare on purpose. */
const editArb: fc.Arbitrary<Edit> = fc.oneof(
	{
		arbitrary: fc.record({
			op: fc.constant('add' as const),
			at: fc.nat(),
			id: fc.nat(30),
			kind: fc.constantFrom('filter', 'table')
		}),
		weight: 4
	},
	{ arbitrary: fc.record({ op: fc.constant('remove' as const), pick: fc.nat() }), weight: 2 },
	{
		arbitrary: fc.record({
			op: fc.constant('param' as const),
			pick: fc.nat(),
			key: fc.constantFrom('a', 'b', 'c'),
			value: json
		}),
		weight: 3
	},
	{
		arbitrary: fc.record({
			op: fc.constant('move' as const),
			pick: fc.nat(),
			x: fc.integer({ min: -500, max: 500 }),
			y: fc.integer({ min: -500, max: 500 })
		}),
		weight: 3
	},
	{
		arbitrary: fc.record({
			op: fc.constant('label' as const),
			pick: fc.nat(),
			label: fc.option(fc.string({ maxLength: 3 }))
		}),
		weight: 1
	},
	{
		arbitrary: fc.record({ op: fc.constant('rename' as const), name: fc.string({ maxLength: 3 }) }),
		weight: 1
	},
	{
		arbitrary: fc.record({ op: fc.constant('connect' as const), from: fc.nat(), to: fc.nat() }),
		weight: 3
	},
	{ arbitrary: fc.record({ op: fc.constant('disconnect' as const), pick: fc.nat() }), weight: 1 },
	{
		arbitrary: fc.record({ op: fc.constant('swap' as const), i: fc.nat(), j: fc.nat() }),
		weight: 1
	},
	{ arbitrary: fc.record({ op: fc.constant('repeat-id' as const), pick: fc.nat() }), weight: 1 }
);

function replaceNode(doc: PipelineDocument, index: number, node: PipelineNode): PipelineDocument {
	return { ...doc, nodes: doc.nodes.map((item, at) => (at === index ? node : item)) };
}

function applyEdit(doc: PipelineDocument, edit: Edit): PipelineDocument {
	const count = doc.nodes.length;
	const pick = (n: number) => n % count;
	switch (edit.op) {
		case 'add': {
			const node: PipelineNode = {
				id: `${edit.kind}-${edit.id}`,
				kind: edit.kind,
				params: { a: 1 },
				position: { x: 0, y: 0 }
			};
			if (doc.nodes.some((item) => item.id === node.id)) return doc;
			const nodes = [...doc.nodes];
			nodes.splice(edit.at % (count + 1), 0, node);
			return { ...doc, nodes };
		}
		case 'remove': {
			if (count === 0) return doc;
			const gone = doc.nodes[pick(edit.pick)].id;
			return {
				...doc,
				nodes: doc.nodes.filter((_, at) => at !== pick(edit.pick)),
				edges: doc.edges.filter((edge) => edge.from.node !== gone && edge.to.node !== gone)
			};
		}
		case 'param': {
			if (count === 0) return doc;
			const node = doc.nodes[pick(edit.pick)];
			return replaceNode(doc, pick(edit.pick), {
				...node,
				params: { ...node.params, [edit.key]: edit.value }
			});
		}
		case 'move': {
			if (count === 0) return doc;
			const node = doc.nodes[pick(edit.pick)];
			return replaceNode(doc, pick(edit.pick), { ...node, position: { x: edit.x, y: edit.y } });
		}
		case 'label': {
			if (count === 0) return doc;
			const { label: _old, ...node } = doc.nodes[pick(edit.pick)];
			void _old;
			return replaceNode(
				doc,
				pick(edit.pick),
				edit.label === null ? node : { ...node, label: edit.label }
			);
		}
		case 'rename':
			return { ...doc, name: edit.name };
		case 'connect': {
			if (count === 0) return doc;
			const from = doc.nodes[pick(edit.from)].id;
			const to = doc.nodes[pick(edit.to)].id;
			const id = `${from}->${to}`;
			if (doc.edges.some((edge) => edge.id === id)) return doc;
			const edge = { id, from: { node: from, port: 'out' }, to: { node: to, port: 'in' } };
			return { ...doc, edges: [...doc.edges, edge] };
		}
		case 'disconnect':
			if (doc.edges.length === 0) return doc;
			return { ...doc, edges: doc.edges.filter((_, at) => at !== edit.pick % doc.edges.length) };
		case 'swap': {
			if (count === 0) return doc;
			const nodes = [...doc.nodes];
			[nodes[pick(edit.i)], nodes[pick(edit.j)]] = [nodes[pick(edit.j)], nodes[pick(edit.i)]];
			return { ...doc, nodes };
		}
		case 'repeat-id': {
			if (count < 2) return doc;
			const source = doc.nodes[pick(edit.pick)];
			return replaceNode(doc, pick(edit.pick + 1), {
				...doc.nodes[pick(edit.pick + 1)],
				id: source.id
			});
		}
	}
}

function startDocument(): PipelineDocument {
	return {
		version: 1,
		id: 'doc',
		name: 'Start',
		nodes: [
			{ id: 'source-1', kind: 'source', params: { rows: 10 }, position: { x: 0, y: 0 } },
			{
				id: 'filter-1',
				kind: 'filter',
				params: { a: 1, b: 'x' },
				position: { x: 200, y: 0 },
				label: 'Keep'
			}
		],
		edges: [
			{ id: 'e1', from: { node: 'source-1', port: 'out' }, to: { node: 'filter-1', port: 'in' } }
		]
	};
}

/** A document's exact text: equal only with the same key order, list order and values. */
const exact = (doc: PipelineDocument) => JSON.stringify(doc);

/** Documents reached by applying edits one after another, the start included. */
function walk(edits: readonly Edit[]): PipelineDocument[] {
	const docs = [startDocument()];
	for (const edit of edits) docs.push(applyEdit(docs[docs.length - 1], edit));
	return docs;
}

describe('document diffs', () => {
	it('turn one document into the other and back, whatever the edits between them', () => {
		fc.assert(
			fc.property(fc.array(editArb, { maxLength: 12 }), (edits) => {
				const docs = walk(edits);
				const [first, last] = [docs[0], docs[docs.length - 1]];
				const diff = diffDocuments(first, last);
				expect(applyDiff(first, diff)).toStrictEqual(last);
				expect(exact(applyDiff(first, diff))).toBe(exact(last));
				expect(exact(applyDiff(last, invertDiff(diff)))).toBe(exact(first));
				expect(isEmptyDiff(diff)).toBe(exact(first) === exact(last));
			}),
			{ seed: SEED, numRuns: RUNS }
		);
	});

	it('compose so that one composed diff equals the edits done one by one', () => {
		fc.assert(
			fc.property(fc.array(editArb, { minLength: 1, maxLength: 12 }), (edits) => {
				const docs = walk(edits);
				let composed = diffDocuments(docs[0], docs[1]);
				for (let step = 1; step + 1 < docs.length; step++) {
					composed = composeDiffs(composed, diffDocuments(docs[step], docs[step + 1]));
				}
				const last = docs[docs.length - 1];
				expect(exact(applyDiff(docs[0], composed))).toBe(exact(last));
				expect(exact(applyDiff(last, invertDiff(composed)))).toBe(exact(docs[0]));
			}),
			{ seed: SEED + 1, numRuns: RUNS }
		);
	});

	it('share the nodes an edit did not touch with the document they came from', () => {
		const before = startDocument();
		const after = applyEdit(before, { op: 'move', pick: 1, x: 5, y: 5 });
		const result = applyDiff(before, diffDocuments(before, after));
		expect(result.nodes[0]).toBe(before.nodes[0]);
		expect(result.edges).toBe(before.edges);
	});

	it('see a change in the key order of params, which some kinds give meaning', () => {
		const before = startDocument();
		const after = replaceNode(before, 1, { ...before.nodes[1], params: { b: 'x', a: 1 } });
		const diff = diffDocuments(before, after);
		expect(diff.nodes.changed.has('filter-1')).toBe(true);
		expect(Object.keys(applyDiff(before, diff).nodes[1].params)).toEqual(['b', 'a']);
	});
});

type Action =
	{ do: 'edit'; edit: Edit; mark: 'drag' | 'type' | null } | { do: 'undo' } | { do: 'redo' };

const actionArb: fc.Arbitrary<Action> = fc.oneof(
	{
		arbitrary: fc.record({
			do: fc.constant('edit' as const),
			edit: editArb,
			mark: fc.constantFrom('drag' as const, 'type' as const, null)
		}),
		weight: 6
	},
	{ arbitrary: fc.record({ do: fc.constant('undo' as const) }), weight: 2 },
	{ arbitrary: fc.record({ do: fc.constant('redo' as const) }), weight: 1 }
);

/**
 * Drives a HistoryManager the way the state class does (an edit without a mark, or under a mark
 * other than the open one, opens a new group) next to a model: the list of documents each undo
 * step leads back to, and a cursor into it.
 */
function runAgainstModel(actions: readonly Action[], maxDepth = 500) {
	const history = new HistoryManager({ maxDepth });
	let doc = startDocument();
	let steps = [doc]; // steps[k]: the document after k undo steps from the oldest kept
	let cursor = 0;
	let open: { mark: string; hasEntry: boolean } | null = null;
	let auto = 0;
	for (const action of actions) {
		if (action.do === 'undo' || action.do === 'redo') {
			doc = action.do === 'undo' ? history.undo(doc) : history.redo(doc);
			cursor =
				action.do === 'undo' ? Math.max(0, cursor - 1) : Math.min(steps.length - 1, cursor + 1);
			open = null;
		} else {
			const after = applyEdit(doc, action.edit);
			if (exact(after) === exact(doc)) continue;
			const mark = action.mark ?? `auto-${auto++}`;
			if (action.mark === null || history.openMark !== action.mark) {
				history.mark(mark);
				open = { mark, hasEntry: false };
			}
			history.push(diffDocuments(doc, after));
			doc = after;
			steps = steps.slice(0, cursor + 1);
			if (open!.hasEntry) {
				steps[cursor] = after;
				if (exact(steps[cursor]) === exact(steps[cursor - 1])) {
					steps.pop();
					cursor--;
					open!.hasEntry = false;
				}
			} else {
				steps.push(after);
				cursor++;
				open!.hasEntry = true;
				if (steps.length > maxDepth + 1) {
					steps.shift();
					cursor--;
				}
			}
		}
		expect(exact(doc)).toBe(exact(steps[cursor]));
		expect(history.canUndo).toBe(cursor > 0);
		expect(history.canRedo).toBe(cursor < steps.length - 1);
	}
	return { history, doc, steps, cursor };
}

describe('HistoryManager', () => {
	it('undoes 20+ mixed edits back to the exact original and redoes them to the exact end', () => {
		fc.assert(
			fc.property(fc.array(editArb, { minLength: 20, maxLength: 40 }), (edits) => {
				const history = new HistoryManager();
				const docs = walk(edits);
				let doc = docs[0];
				for (let step = 1; step < docs.length; step++) {
					history.mark(`edit-${step}`);
					history.push(diffDocuments(doc, docs[step]));
					doc = docs[step];
				}
				const kept = docs.filter((item, at) => at === 0 || exact(item) !== exact(docs[at - 1]));
				for (let step = kept.length - 2; step >= 0; step--) {
					doc = history.undo(doc);
					expect(doc).toStrictEqual(kept[step]);
				}
				expect(history.canUndo).toBe(false);
				expect(exact(doc)).toBe(exact(docs[0]));
				for (let step = 1; step < kept.length; step++) doc = history.redo(doc);
				expect(history.canRedo).toBe(false);
				expect(exact(doc)).toBe(exact(docs[docs.length - 1]));
			}),
			{ seed: SEED + 2, numRuns: RUNS }
		);
	});

	it('keeps every document reachable through interleaved edits, undos and redos, merging marks', () => {
		fc.assert(
			fc.property(fc.array(actionArb, { minLength: 20, maxLength: 60 }), (actions) => {
				runAgainstModel(actions);
			}),
			{ seed: SEED + 3, numRuns: RUNS }
		);
	});

	it('forgets the oldest steps past its depth', () => {
		fc.assert(
			fc.property(fc.array(actionArb, { minLength: 20, maxLength: 60 }), (actions) => {
				const { history } = runAgainstModel(actions, 3);
				expect(history.undoDepth).toBeLessThanOrEqual(3);
			}),
			{ seed: SEED + 4, numRuns: RUNS }
		);
	});

	it('drops the redo stack when a new edit follows an undo', () => {
		const history = new HistoryManager();
		const start = startDocument();
		const moved = applyEdit(start, { op: 'move', pick: 0, x: 9, y: 9 });
		history.push(diffDocuments(start, moved));
		const back = history.undo(moved);
		expect(history.canRedo).toBe(true);
		const renamed = applyEdit(back, { op: 'rename', name: 'Other' });
		history.push(diffDocuments(back, renamed));
		expect(history.canRedo).toBe(false);
		expect(history.redo(renamed)).toBe(renamed);
	});

	it('merges pushes under one mark into one step, and a second mark of the same name starts another', () => {
		const history = new HistoryManager();
		let doc = startDocument();
		history.mark('drag', 'Move nodes');
		for (const x of [10, 20, 30]) {
			const next = applyEdit(doc, { op: 'move', pick: 0, x, y: 0 });
			history.push(diffDocuments(doc, next));
			doc = next;
		}
		expect(history.undoDepth).toBe(1);
		expect(history.undoLabel).toBe('Move nodes');
		history.mark('drag', 'Move nodes');
		const next = applyEdit(doc, { op: 'move', pick: 0, x: 40, y: 0 });
		history.push(diffDocuments(doc, next));
		expect(history.undoDepth).toBe(2);
		doc = history.undo(history.undo(next));
		expect(doc).toStrictEqual(startDocument());
		expect(history.redoLabel).toBe('Move nodes');
	});

	it('drops a step whose edits cancel out', () => {
		const history = new HistoryManager();
		const start = startDocument();
		const typed = applyEdit(start, { op: 'rename', name: 'Startx' });
		history.mark('type');
		history.push(diffDocuments(start, typed));
		history.push(diffDocuments(typed, start));
		expect(history.canUndo).toBe(false);
	});

	it('refuses a depth below one, naming the option', () => {
		expect(() => new HistoryManager({ maxDepth: 0 })).toThrow(/maxDepth/);
	});
});
