import { describe, expect, it } from 'vitest';
import { emptyStage, type MetricsSnapshot } from '../../runtime/metrics/counters';
import { allSourceBytes, bytesFigure, sourceBytesOf, type SourcePlan } from './source-progress';

const schema = { names: ['a'], types: ['int32' as const] };
const stage = (inputs: number) => ({ inputSchemas: Array(inputs).fill(schema) });

/** csv ×2 (split by byte ranges), a generator, and a sink fed by all of them. */
const PLAN = {
	origins: [{ nodes: ['csv'] }, { nodes: ['csv'] }, { nodes: ['gen'] }, { nodes: ['out'] }],
	stages: [stage(0), stage(0), stage(0), stage(1)]
} as unknown as SourcePlan;

function snap(bytes: [number, number][]): MetricsSnapshot {
	return {
		t: 0,
		edges: [],
		stages: bytes.map(([bytesRead, bytesTotal]) => ({ ...emptyStage(), bytesRead, bytesTotal })),
		workers: []
	};
}

describe('source bytes per document node', () => {
	it('adds up the instances of a split source and leaves out sources that read no bytes', () => {
		const got = sourceBytesOf(
			PLAN,
			snap([
				[400, 500],
				[100, 500],
				[0, 0],
				[0, 0]
			])
		);
		expect([...got.keys()]).toEqual(['csv']);
		expect(got.get('csv')).toEqual({ bytesRead: 500, bytesTotal: 1000, progress: 0.5 });
	});

	it("maps a preview's node ids back to the document's", () => {
		const got = sourceBytesOf(
			PLAN,
			snap([
				[1, -1],
				[0, 0],
				[0, 0],
				[0, 0]
			]),
			(id) => `doc-${id}`
		);
		expect(got.get('doc-csv')).toEqual({ bytesRead: 1, bytesTotal: -1, progress: null });
	});

	it('sums every source of a run for the run bar', () => {
		const all = allSourceBytes(
			PLAN,
			snap([
				[10, 20],
				[10, 20],
				[0, 0],
				[999, 999]
			])
		);
		expect(all).toEqual({ bytesRead: 20, bytesTotal: 40, progress: 0.5 });
	});
});

describe('bytesFigure', () => {
	it('reads "read / total" when the total is known and "read" when it is not', () => {
		expect(bytesFigure({ bytesRead: 12_300_000, bytesTotal: 200_000_000, progress: 0.06 })).toBe(
			'12.3 MB / 200.0 MB'
		);
		expect(bytesFigure({ bytesRead: 12_300_000, bytesTotal: -1, progress: null })).toBe(
			'12.3 MB read'
		);
	});
});
