// fast-check arbitraries of whole pipeline documents: a generator source (1..5 columns of random
// types, cardinalities and null shares), then chains of 1..4 filter/derive/select transforms
// with random well-typed expressions, sometimes fanning out into two branches, each branch ending
// in a table sink whose limit keeps every row. Fan-out matters: a chain that feeds two consumers
// cannot fuse its sink, so with several workers it runs as parallel instances.
import fc from 'fast-check';
import type { PipelineDocument, PipelineNode } from '../../src/lib/graph/document';
import { expressionArbs, type GenField, type Ty } from './expressions-arb';
import { referenceExpression } from './expression';
import { fresh, groupByArb, lastStepArb, type Step } from './stateful-arb';

/** Table sinks keep this many rows: more than any generated source has. */
export const TABLE_LIMIT = 100_000;

const NAMES = ['a', 'b', 'qty', 'price', 'unit price', 'x_1', 'City'];
const DERIVED_NAMES = ['d', 'total', 'ratio', 'unit price', 'Label'];
const GEN_TYPES = ['int', 'float', 'string', 'bool', 'timestamp'] as const;
const COLUMN_TYPE = {
	int: 'int32',
	float: 'float64',
	string: 'utf8',
	bool: 'bool',
	timestamp: 'timestamp'
} as const;

interface Branch {
	steps: Step[];
	split: Branch[] | null;
	sink: string;
}

/** What shapes and steps a pipeline may have. */
export interface PipelineShape {
	/** Rows of the source at most. */
	maxRows: number;
	/**
	 * Fan-outs a path from the source may cross (0: straight chains; 1: one fan-out; 2: a
	 * fan-out inside a fanned-out branch).
	 */
	maxSplits: number;
	/** Group-by may sum or average float columns (exact only when one order of rows is kept). */
	floatSums: boolean;
	/**
	 * Avoid the known fan-out bug (see test/unit/pipeline-property.spec.ts): below a fan-out, a
	 * branch is stateless steps then a sink, or a stateful step first.
	 */
	safeFanOut: boolean;
}

interface Ctx extends PipelineShape {
	/** Names of the source's string columns (their values are `<name>_<k>`). */
	labels: string[];
}

const nullShare = fc.oneof(
	{ weight: 3, arbitrary: fc.constant(0) },
	fc.constantFrom(0.05, 0.5, 1),
	fc.double({ min: 0, max: 1, noNaN: true })
);

const genColumn = (name: string) =>
	fc.constantFrom(...GEN_TYPES).chain((type) =>
		fc.record({
			name: fc.constant(name),
			type: fc.constant(type),
			cardinality:
				type === 'int'
					? fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 1000 }))
					: type === 'string'
						? fc.integer({ min: 0, max: 40 })
						: fc.constant(0),
			min: fc.integer({ min: -4000, max: 4000 }).map((v) => v / 4),
			max: fc.integer({ min: -4000, max: 4000 }).map((v) => v / 4),
			nulls: nullShare
		})
	);

/** Rows, mostly few (keeps a thousand runs fast), sometimes up to 20 000. */
export const rowCount = fc.oneof(
	{ weight: 4, arbitrary: fc.integer({ min: 0, max: 400 }) },
	{ weight: 2, arbitrary: fc.integer({ min: 0, max: 4000 }) },
	{ weight: 1, arbitrary: fc.integer({ min: 0, max: 20_000 }) }
);

export const generatorNode = (maxRows: number) =>
	fc
		.tuple(
			fc.shuffledSubarray(NAMES, { minLength: 1, maxLength: 5 }),
			rowCount.map((r) => Math.min(r, maxRows)),
			fc.integer()
		)
		.chain(([names, rows, seed]) =>
			fc.tuple(...names.map(genColumn)).map((columns) => ({ rows, seed, columns }))
		);

function stepArb(fields: GenField[], ctx: Ctx, stateless: boolean): fc.Arbitrary<Step> {
	const exprs = expressionArbs(fields, ctx.labels);
	const filter = exprs.bool.map((expression): Step => ({
		kind: 'filter',
		params: { expression },
		out: fields
	}));
	const derive = fc
		.tuple(
			fc.constantFrom(...fields.map((f) => f.name), ...DERIVED_NAMES),
			fc
				.constantFrom<Ty | 'null'>(...exprs.available, 'null')
				.chain((ty) => (ty === 'null' ? fc.constant('null') : exprs[ty]))
		)
		.map(([column, expression]): Step => {
			const type = referenceExpression(expression, fields).columnType;
			const out = fields.filter((f) => f.name !== column);
			const at = fields.findIndex((f) => f.name === column);
			out.splice(at >= 0 ? at : out.length, 0, { name: column, type });
			return { kind: 'derive', params: { column, expression }, out };
		});
	const select = fc
		.tuple(
			fc.shuffledSubarray(fields, { minLength: 1 }),
			fc.array(fc.boolean(), { minLength: fields.length, maxLength: fields.length }),
			fc.option(fc.constantFrom(...fields))
		)
		.map(([picked, renames, twice]): Step => {
			const taken = new Set(fields.map((f) => f.name));
			const columns: string[] = [];
			const out: GenField[] = [];
			const add = (f: GenField, rename: boolean) => {
				const to = rename ? fresh(taken, f.name) : f.name;
				columns.push(rename ? `${f.name} as ${to}` : f.name);
				out.push({ name: to, type: f.type });
			};
			picked.forEach((f, i) => add(f, renames[i]));
			if (twice) add(twice, true);
			return { kind: 'select', params: { columns }, out };
		});
	return fc.oneof(
		{ weight: 3, arbitrary: filter },
		{ weight: 3, arbitrary: derive },
		{ weight: 1, arbitrary: select },
		{ weight: stateless ? 0 : 1, arbitrary: groupByArb(fields, ctx.floatSums) }
	);
}

function stepsArb(
	fields: GenField[],
	ctx: Ctx,
	n: number,
	stateless: boolean
): fc.Arbitrary<Step[]> {
	if (n === 0) return fc.constant([]);
	return stepArb(fields, ctx, stateless).chain((s) =>
		stepsArb(s.out, ctx, n - 1, stateless).map((rest) => [s, ...rest])
	);
}

const sinkKind = fc.constantFrom('table', 'table', 'collect');

function branchArb(fields: GenField[], ctx: Ctx, level: number, min: number): fc.Arbitrary<Branch> {
	const safe = ctx.safeFanOut && level > 0;
	return fc.integer({ min, max: 4 - level }).chain((n) =>
		stepsArb(fields, ctx, n, safe).chain((steps) => {
			const out = steps.length ? steps[steps.length - 1].out : fields;
			// A leaf may end with a sort, top-k or limit, then its sink.
			const last =
				safe && steps.length > 0 ? fc.constant(null) : fc.option(lastStepArb(out), { freq: 3 });
			const leaf = fc.tuple(last, sinkKind).map(([last, sink]): Branch => ({
				steps: last ? [...steps, last] : steps,
				split: null,
				sink
			}));
			if (level >= ctx.maxSplits) return leaf;
			const split = fc
				.tuple(branchArb(out, ctx, level + 1, 0), branchArb(out, ctx, level + 1, 0))
				.map((bs): Branch => ({ steps, split: bs, sink: '' }));
			return fc.oneof({ weight: 3, arbitrary: leaf }, { weight: 2, arbitrary: split });
		})
	);
}

/** Random documents: a generator, transforms (maybe fanning out) and table or collect sinks. */
export function pipelineArb(shape: PipelineShape): fc.Arbitrary<PipelineDocument> {
	return generatorNode(shape.maxRows).chain((gen) => {
		const fields: GenField[] = gen.columns.map((c) => ({
			name: c.name,
			type: COLUMN_TYPE[c.type]
		}));
		const labels = gen.columns.filter((c) => c.type === 'string').map((c) => c.name);
		return branchArb(fields, { ...shape, labels }, 0, 1).map((branch) => toDocument(gen, branch));
	});
}

function toDocument(gen: Record<string, unknown>, root: Branch): PipelineDocument {
	const nodes: PipelineNode[] = [];
	const edges: PipelineDocument['edges'] = [];
	const position = { x: 0, y: 0 };
	const add = (kind: string, params: Record<string, unknown>, from: string | null) => {
		const id = `${kind.slice(0, 3)}${nodes.length}`;
		nodes.push({ id, kind, params, position });
		if (from) {
			edges.push({
				id: `e${edges.length}`,
				from: { node: from, port: 'out' },
				to: { node: id, port: 'in' }
			});
		}
		return id;
	};
	const walk = (b: Branch, from: string) => {
		let at = from;
		for (const s of b.steps) at = add(s.kind, s.params, at);
		if (b.split) for (const child of b.split) walk(child, at);
		else add(b.sink, b.sink === 'table' ? { limit: TABLE_LIMIT } : {}, at);
	};
	walk(root, add('generator', gen, null));
	return { version: 1, id: 'prop', name: 'random pipeline', nodes, edges };
}
