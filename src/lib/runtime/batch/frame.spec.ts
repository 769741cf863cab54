import fc from 'fast-check';
import type { Vector } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import type { ColumnType, ColumnView } from '../contracts';
import { mulberry32 } from '../testing/prng';
import { frameBytes } from './layout';
import { readColumns } from './reader';
import { readRecordBatch } from './record-batch';
import {
	arrowValueOf,
	columnViewOf,
	fillColumn,
	randomCells,
	recordBatchOf,
	utf8Length,
	type Cell,
	type NullPattern
} from './testing/fixtures';
import { COLUMN_TYPES, type FrameSchema } from './types';
import { valueAt } from './values';
import { measureBatch, writeBatch } from './write-batch';
import { FrameWriter } from './writer';

const SEED = 0x5eed_f4a3;
const GUARD = 64;

type Path = 'view' | 'arrow' | 'writer';

interface Case {
	types: ColumnType[];
	nulls: NullPattern[];
	rows: number;
	path: Path;
	dataSeed: number;
	offsetWords: number;
	slack: number;
}

const caseArb: fc.Arbitrary<Case> = fc
	.array(fc.constantFrom(...COLUMN_TYPES), { minLength: 1, maxLength: 8 })
	.chain((types) =>
		fc.record({
			types: fc.constant(types),
			nulls: fc.array(fc.constantFrom<NullPattern>('none', 'all', 'random', 'random'), {
				minLength: types.length,
				maxLength: types.length
			}),
			rows: fc.oneof(
				{ weight: 12, arbitrary: fc.integer({ min: 0, max: 40 }) },
				{ weight: 6, arbitrary: fc.integer({ min: 41, max: 3000 }) },
				{ weight: 2, arbitrary: fc.integer({ min: 3001, max: 100_000 }) }
			),
			path: fc.constantFrom<Path>('view', 'arrow', 'writer'),
			dataSeed: fc.integer(),
			offsetWords: fc.integer({ min: 0, max: 40 }),
			slack: fc.integer({ min: 0, max: 100 })
		})
	);

function pattern(i: number): number {
	return (i * 37 + 11) & 0xff;
}

/** Writes `cells` by the case's path into `sab` at `offset`; returns the frame's byteLength. */
function writeCase(
	c: Case,
	schema: FrameSchema,
	cells: Cell[][],
	sab: SharedArrayBuffer,
	offset: number,
	capacity: number
): number {
	if (c.path === 'writer') {
		const writer = new FrameWriter(schema);
		const utf8 = cells.map((col, i) =>
			schema.types[i] === 'utf8' ? utf8Length(col) + c.slack : 0
		);
		if (!writer.begin(sab, offset, capacity, c.rows + c.slack, utf8))
			throw new Error('begin refused');
		cells.forEach((col, i) => fillColumn(writer.column(i), col, (r) => writer.setNull(i, r)));
		return writer.finish(c.rows);
	}
	if (c.path === 'view') {
		const columns = cells.map((col, i) => columnViewOf(schema.types[i], col));
		return writeBatch({ length: c.rows, columns }, schema, sab, offset, capacity);
	}
	// Arrow input sliced out of a longer batch, so column offsets are non-zero.
	const prng = mulberry32(c.dataSeed ^ 0x51ce);
	const before = prng.int(0, 19);
	const padded = cells.map((col, i) => [
		...randomCells(prng, schema.types[i], before, 'random'),
		...col,
		...randomCells(prng, schema.types[i], 3, 'random')
	]);
	const views = padded.map((col, i) => columnViewOf(schema.types[i], col));
	const batch = recordBatchOf(schema, views, c.rows + before + 3).slice(before, before + c.rows);
	expect(measureBatch(batch, schema)).toBeLessThanOrEqual(capacity);
	return writeBatch(batch, schema, sab, offset, capacity);
}

function neededBytes(c: Case, schema: FrameSchema, cells: Cell[][]): number {
	if (c.path === 'writer') {
		const utf8 = cells.map((col, i) =>
			schema.types[i] === 'utf8' ? utf8Length(col) + c.slack : 0
		);
		return frameBytes(
			schema,
			c.rows + c.slack,
			utf8,
			schema.types.map(() => true)
		);
	}
	const utf8 = cells.map((col) => utf8Length(col));
	return frameBytes(
		schema,
		c.rows,
		utf8,
		cells.map((col) => col.some((x) => x === null))
	);
}

function checkCase(c: Case): void {
	const schema: FrameSchema = { names: c.types.map((t, i) => `${t}_${i}`), types: c.types };
	const prng = mulberry32(c.dataSeed);
	const cells = c.types.map((type, i) => randomCells(prng, type, c.rows, c.nulls[i]));
	const offset = c.offsetWords * 8;
	const capacity = neededBytes(c, schema, cells) + c.slack;
	const sab = new SharedArrayBuffer(offset + capacity + GUARD);
	const all = new Uint8Array(sab);
	for (let i = 0; i < all.length; i++) all[i] = pattern(i);

	const written = writeCase(c, schema, cells, sab, offset, capacity);
	expect(written).toBeGreaterThan(0);
	expect(written % 8).toBe(0);
	expect(written).toBeLessThanOrEqual(capacity);
	for (let i = 0; i < all.length; i++)
		if ((i < offset || i >= offset + written) && all[i] !== pattern(i))
			throw new Error(`guard byte ${i} changed (frame at ${offset}..${offset + written})`);

	const view = readColumns(schema, sab, offset, written);
	const arrow = readRecordBatch(schema, sab, offset, written);
	expect(view.length).toBe(c.rows);
	expect(arrow.numRows).toBe(c.rows);
	view.columns.forEach((col: ColumnView, i) => {
		for (const buf of [col.validity, col.offsets, col.values]) {
			if (buf === null) continue;
			if (buf.buffer !== sab)
				throw new Error(`column ${i}: a view is not over the SharedArrayBuffer`);
			if (buf.byteOffset % 8 !== 0)
				throw new Error(`column ${i}: a buffer at ${buf.byteOffset} is not 8-aligned`);
		}
		const expected = cells[i];
		const nulls = expected.filter((x) => x === null).length;
		expect(col.nullCount).toBe(nulls);
		expect(col.validity === null).toBe(nulls === 0);
		const vector = arrow.getChildAt(i) as Vector;
		expect(vector.nullCount).toBe(nulls);
		for (let r = 0; r < c.rows; r++) {
			const raw = valueAt(col, r);
			if (!Object.is(raw, expected[r]))
				throw new Error(
					`column ${i} (${col.type}) row ${r}: raw ${String(raw)} != ${String(expected[r])}`
				);
			const got = vector.get(r);
			if (!Object.is(got, arrowValueOf(col.type, expected[r])))
				throw new Error(
					`column ${i} (${col.type}) row ${r}: arrow ${String(got)} != ${String(expected[r])}`
				);
		}
	});
}

describe('batch frames round-trip (property)', () => {
	it('every value and null written by any path reads back equal, raw and through Arrow, inside its region, 8-aligned', () => {
		fc.assert(
			fc.property(caseArb, (c) => {
				try {
					checkCase(c);
				} catch (error) {
					throw new Error(`seed ${SEED}, data seed ${c.dataSeed}: ${(error as Error).message}`, {
						cause: error
					});
				}
			}),
			{ seed: SEED, numRuns: 300 }
		);
	});

	it('reads the same frame at every 8-aligned offset in a block', () => {
		const schema: FrameSchema = { names: ['n', 's'], types: ['int64', 'utf8'] };
		const cells = [
			[1n, null, -3n],
			['x', '', '😀']
		];
		const columns = cells.map((col, i) => columnViewOf(schema.types[i], col));
		for (let offset = 0; offset <= 64; offset += 8) {
			const sab = new SharedArrayBuffer(offset + 256);
			const written = writeBatch({ length: 3, columns }, schema, sab, offset, 256);
			const view = readColumns(schema, sab, offset, written);
			expect([0, 1, 2].map((r) => valueAt(view.columns[0], r))).toEqual([1n, null, -3n]);
			expect([0, 1, 2].map((r) => valueAt(view.columns[1], r))).toEqual(['x', '', '😀']);
		}
	});
});
