// Reference evaluator of pipeline documents: what each sink should hold, computed with plain JS
// arrays of row objects, one row at a time, on this thread. Independent of the engine: it shares
// only the generator's hash (mix/unit define the synthetic data), the expression parser (for the
// syntax tree) and the document type. Kinds it knows: generator, filter, derive, select,
// group-by, sort, top-k, limit (./kinds.ts), table and collect. A document with an unknown kind
// throws, naming it. Rows after a limit or top-k are exact only when the run keeps arrival order.
import type { PipelineDocument, PipelineNode } from '../../src/lib/graph/document';
import { mix, unit } from '../../src/lib/nodes/kernels/synth';
import type { ColumnType } from '../../src/lib/runtime/contracts';
import { referenceExpression, stored, type Field, type Row, type Value } from './expression';
import { groupBy, limit, sort, topK, type RefFrame, type RefSchema } from './kinds';

export type { RefFrame, RefSchema };

/** What a sink should hold: every row (in single-threaded order) and the count. */
export interface RefResult {
	kind: 'table' | 'collect';
	schema: RefSchema;
	rows: Value[][];
	total: number;
	/** Column indices whose values, row by row, a parallel run must reproduce in this order. */
	orderKeys: number[];
	/** When set, a parallel run may hold any `total` rows of this multiset (limit, top-k ties). */
	pool: Value[][] | null;
}

type Params = Record<string, unknown>;

const fieldsOf = (s: RefSchema): Field[] => s.names.map((name, i) => ({ name, type: s.types[i] }));

// ---- sources --------------------------------------------------------------------------------

const GEN_TYPE: Record<string, ColumnType> = {
	int: 'int32',
	float: 'float64',
	string: 'utf8',
	bool: 'bool',
	timestamp: 'timestamp'
};
const DEFAULT_GEN_COLUMNS = [
	{ name: 'id', type: 'int', cardinality: 0 },
	{ name: 'key', type: 'int', cardinality: 1000 },
	{ name: 'value', type: 'float' },
	{ name: 'flag', type: 'bool' }
];
const EPOCH_2024_MS = Date.UTC(2024, 0, 1);
const YEAR_MS = 365 * 24 * 3600 * 1000;
/** Salt of the null draw, so nulls do not line up with values. */
const NULL_SALT = 0x5bd1e995;

interface GenColumn {
	name: string;
	type: string;
	cardinality?: number;
	min?: number;
	max?: number;
	nulls?: number;
}

/** Value of (seed, column ci, row) for one generator column, as generator.ts defines it. */
function generated(c: GenColumn, ci: number, seed: number, row: number): Value {
	if ((c.nulls ?? 0) > 0 && unit(seed ^ NULL_SALT, ci, row) < c.nulls!) return null;
	const cardinality = c.cardinality ?? 0;
	switch (c.type) {
		case 'int':
			return cardinality === 0 ? row : mix(seed, ci, row) % cardinality;
		case 'float': {
			const [min, max] = [c.min ?? 0, c.max ?? 1];
			return min + unit(seed, ci, row) * (max - min);
		}
		case 'bool':
			return (mix(seed, ci, row) & 1) === 1;
		case 'timestamp':
			return EPOCH_2024_MS + Math.floor(unit(seed, ci, row) * YEAR_MS);
		case 'string': {
			const distinct = Math.max(1, cardinality || 100);
			return `${c.name}_${mix(seed, ci, row) % distinct}`;
		}
		default:
			throw new Error(`reference: generator column type ${c.type}`);
	}
}

function generator(p: Params): RefFrame {
	const rows = (p.rows as number | undefined) ?? 100_000;
	const seed = (p.seed as number | undefined) ?? 1;
	const columns = (p.columns as GenColumn[] | undefined) ?? DEFAULT_GEN_COLUMNS;
	const out: Row[] = [];
	for (let r = 0; r < rows; r++) {
		const row: Row = {};
		columns.forEach((c, ci) => (row[c.name] = generated(c, ci, seed, r)));
		out.push(row);
	}
	return {
		schema: { names: columns.map((c) => c.name), types: columns.map((c) => GEN_TYPE[c.type]) },
		rows: out
	};
}

// ---- transforms -----------------------------------------------------------------------------

function filter(input: RefFrame, p: Params): RefFrame {
	const e = referenceExpression(
		(p.expression as string | undefined) ?? 'true',
		fieldsOf(input.schema)
	);
	return { schema: input.schema, rows: input.rows.filter((r) => e.at(r) === true) };
}

function derive(input: RefFrame, p: Params): RefFrame {
	const column = ((p.column as string | undefined) ?? 'result').trim();
	const e = referenceExpression(
		(p.expression as string | undefined) ?? '1',
		fieldsOf(input.schema)
	);
	const names = [...input.schema.names];
	const types = [...input.schema.types];
	const at = names.indexOf(column);
	if (at >= 0) types[at] = e.columnType;
	else {
		names.push(column);
		types.push(e.columnType);
	}
	const rows = input.rows.map((r) => ({ ...r, [column]: stored(e.at(r), e.columnType) }));
	return { schema: { names, types }, rows };
}

/** `old as new` renames; plain names keep. */
function picks(columns: string[]): { from: string; to: string }[] {
	return columns.map((c) => {
		const m = /^\s*(.+?)\s+as\s+(.+?)\s*$/i.exec(c);
		return m ? { from: m[1], to: m[2] } : { from: c.trim(), to: c.trim() };
	});
}

function select(input: RefFrame, p: Params): RefFrame {
	const columns = (p.columns as string[] | undefined) ?? [];
	if (columns.length === 0) return input;
	const ks = picks(columns);
	const typeOf = (name: string) => {
		const i = input.schema.names.indexOf(name);
		if (i < 0) throw new Error(`reference: select of unknown column ${name}`);
		return input.schema.types[i];
	};
	return {
		schema: { names: ks.map((k) => k.to), types: ks.map((k) => typeOf(k.from)) },
		rows: input.rows.map((r) => {
			const out: Row = {};
			for (const k of ks) out[k.to] = r[k.from];
			return out;
		})
	};
}

// ---- sinks ----------------------------------------------------------------------------------

function sinkOf(kind: RefResult['kind']) {
	return (input: RefFrame): RefResult => {
		const { names } = input.schema;
		const cells = (r: Row) => names.map((n) => r[n]);
		return {
			kind,
			schema: input.schema,
			rows: input.rows.map(cells),
			total: input.rows.length,
			orderKeys: (input.orderKeys ?? []).map((k) => names.indexOf(k)),
			pool: input.pool ? input.pool.map(cells) : null
		};
	};
}

// ---- the graph ------------------------------------------------------------------------------

type Transform = (input: RefFrame, params: Params) => RefFrame;
const TRANSFORMS: Record<string, Transform> = {
	filter,
	derive,
	select,
	'group-by': groupBy,
	sort,
	'top-k': topK,
	limit
};
const SINKS: Record<string, (input: RefFrame) => RefResult> = {
	table: sinkOf('table'),
	collect: sinkOf('collect')
};

/**
 * Each sink's expected result, by sink node id. Throws on an unknown kind or an ill-typed
 * expression, and `Unrepresentable` when a derived int64 leaves the exactly comparable range.
 */
export function referenceResults(doc: PipelineDocument): Map<string, RefResult> {
	const byId = new Map(doc.nodes.map((n) => [n.id, n]));
	const outputs = new Map<string, RefFrame>();
	const results = new Map<string, RefResult>();
	const inputOf = (node: PipelineNode): RefFrame => {
		const edge = doc.edges.find((e) => e.to.node === node.id);
		if (!edge) throw new Error(`reference: ${node.id} has no input`);
		return frameOf(byId.get(edge.from.node)!);
	};
	function frameOf(node: PipelineNode): RefFrame {
		const done = outputs.get(node.id);
		if (done) return done;
		let frame: RefFrame;
		if (node.kind === 'generator') frame = generator(node.params);
		else if (TRANSFORMS[node.kind]) frame = TRANSFORMS[node.kind](inputOf(node), node.params);
		else throw new Error(`reference: no reference for node kind '${node.kind}' (${node.id})`);
		outputs.set(node.id, frame);
		return frame;
	}
	for (const node of doc.nodes) {
		const sink = SINKS[node.kind];
		if (sink) results.set(node.id, sink(inputOf(node)));
	}
	return results;
}
