// Property tests: whatever the input, loadDocument returns (never throws) well-formed diagnostics.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from './diagnostics';
import { fakeKinds, validDocument } from './fixtures.spec-support';
import { loadDocument, type LoadResult } from './load';

const SEED = 0x51c3;
const RUNS = 2000;

const CODES = new Set([
	'invalid-document',
	'future-version',
	'unknown-field',
	'duplicate-id',
	'dangling-edge',
	'unknown-kind',
	'unknown-port',
	'bad-param',
	'input-taken',
	'missing-input',
	'cycle'
]);
const FIELDS = new Set(['severity', 'code', 'message', 'node', 'edge', 'param', 'position']);

function expectWellFormedDiagnostic(diagnostic: Diagnostic): void {
	for (const key of Object.keys(diagnostic)) expect(FIELDS).toContain(key);
	expect(['error', 'warning']).toContain(diagnostic.severity);
	expect(CODES).toContain(diagnostic.code);
	expect(typeof diagnostic.message).toBe('string');
	expect(diagnostic.message.length).toBeGreaterThan(0);
	expect(diagnostic.message).not.toContain('[object Object]');
	for (const key of ['node', 'edge', 'param'] as const) {
		if (key in diagnostic) expect(typeof diagnostic[key]).toBe('string');
	}
	if (diagnostic.position !== undefined) {
		const { start, end } = diagnostic.position;
		expect(Number.isInteger(start) && Number.isInteger(end) && 0 <= start && start <= end).toBe(
			true
		);
	}
}

/** The contract every result keeps, whatever the input. */
function expectWellFormed(result: LoadResult): void {
	expect(
		Object.keys(result).every((key) => ['document', 'diagnostics', 'migratedFrom'].includes(key))
	).toBe(true);
	for (const diagnostic of result.diagnostics) expectWellFormedDiagnostic(diagnostic);
	if (result.migratedFrom !== undefined) expect(Number.isInteger(result.migratedFrom)).toBe(true);
	const { document } = result;
	if (document === null) {
		// Nothing was read, so at least one error must say why.
		expect(result.diagnostics.some((item) => item.severity === 'error')).toBe(true);
		return;
	}
	// A returned document is well-shaped: reading it again finds no shape problem and changes nothing.
	const again = loadDocument(document);
	expect(again.document).toEqual(document);
	expect(again.diagnostics.filter((item) => item.code === 'invalid-document')).toEqual([]);
	// Diagnostics on a kept document point at nodes and edges that are in it.
	const nodeIds = new Set(document.nodes.map((node) => node.id));
	const edgeIds = new Set(document.edges.map((edge) => edge.id));
	for (const diagnostic of result.diagnostics) {
		if (diagnostic.node !== undefined) expect(nodeIds).toContain(diagnostic.node);
		if (diagnostic.edge !== undefined) expect(edgeIds).toContain(diagnostic.edge);
	}
}

function load(input: unknown, withKinds: boolean): LoadResult {
	let result: LoadResult | undefined;
	expect(() => (result = loadDocument(input, withKinds ? fakeKinds() : undefined))).not.toThrow();
	return result!;
}

type Json = unknown;

/** Every location in a JSON value: its parent container and key (the root has none). */
function locations(value: Json): { parent: Record<string | number, Json>; key: string | number }[] {
	const found: { parent: Record<string | number, Json>; key: string | number }[] = [];
	const visit = (container: Json): void => {
		if (typeof container !== 'object' || container === null) return;
		const record = container as Record<string | number, Json>;
		const keys = Array.isArray(container)
			? container.map((_, index) => index)
			: Object.keys(record);
		for (const key of keys) {
			found.push({ parent: record, key });
			visit(record[key]);
		}
	};
	visit(value);
	return found;
}

const mutation = fc.record({
	op: fc.constantFrom('set', 'add', 'delete', 'duplicate', 'rewire'),
	where: fc.nat(),
	pick: fc.nat(),
	value: fc.jsonValue({ maxDepth: 2 })
});

describe('loadDocument never throws', () => {
	it('returns well-formed diagnostics for random JSON values and texts', () => {
		const input = fc.oneof(
			fc.jsonValue({ maxDepth: 4 }),
			fc.json({ maxDepth: 4 }),
			fc.string({ maxLength: 60 }),
			fc.json({ maxDepth: 3 }).map((text) => text.slice(0, Math.floor(text.length / 2)))
		);
		fc.assert(
			fc.property(input, fc.boolean(), (value, withKinds) =>
				expectWellFormed(load(value, withKinds))
			),
			{ seed: SEED, numRuns: RUNS }
		);
	});

	it('returns well-formed diagnostics for random mutations of a valid document', () => {
		// Codes seen across the run: proves the mutants reach both the shape and the meaning checks.
		const seen = new Set<string>();
		fc.assert(
			fc.property(
				fc.array(mutation, { minLength: 1, maxLength: 4 }),
				fc.boolean(),
				fc.boolean(),
				(changes, withKinds, asText) => {
					const document = JSON.parse(JSON.stringify(validDocument())) as Record<string, Json>;
					for (const change of changes) applyMutation(document, change);
					const result = load(asText ? JSON.stringify(document) : document, withKinds);
					expectWellFormed(result);
					seen.add(result.document === null ? 'unreadable' : 'kept');
					for (const diagnostic of result.diagnostics) seen.add(diagnostic.code);
				}
			),
			{ seed: SEED + 1, numRuns: RUNS }
		);
		for (const outcome of [
			'unreadable',
			'kept',
			'unknown-field',
			'duplicate-id',
			'cycle',
			'input-taken'
		]) {
			expect(seen, `seed ${SEED + 1}`).toContain(outcome);
		}
	});
});

interface Mutation {
	op: 'set' | 'add' | 'delete' | 'duplicate' | 'rewire';
	where: number;
	pick: number;
	value: Json;
}

/** Applies one random change at a random place; small changes keep most mutants nearly valid. */
function applyMutation(document: Record<string, Json>, { op, where, pick, value }: Mutation): void {
	const all = locations(document);
	if (all.length === 0) return;
	const { parent, key } = all[where % all.length];
	const here = parent[key];
	if (op === 'set') parent[key] = value;
	else if (op === 'add') {
		if (typeof here === 'object' && here !== null && !Array.isArray(here)) {
			(here as Record<string, Json>)[`extra${pick % 3}`] = value;
		}
	} else if (op === 'delete') {
		if (Array.isArray(parent)) parent.splice(Number(key), 1);
		else delete parent[key];
	} else if (op === 'duplicate') {
		if (Array.isArray(parent)) parent.push(JSON.parse(JSON.stringify(here ?? null)));
	} else {
		// Point an edge end at an existing node: makes cycles, self-loops and doubled inputs.
		const nodes = document.nodes;
		const edges = document.edges;
		if (!Array.isArray(nodes) || !Array.isArray(edges) || nodes.length === 0) return;
		if (edges.length === 0) return;
		const target = edges[where % edges.length] as Record<string, Json> | null;
		const end = target?.[pick % 2 === 0 ? 'from' : 'to'];
		const node = nodes[pick % nodes.length] as Record<string, Json> | null;
		if (typeof end === 'object' && end !== null && !Array.isArray(end)) {
			(end as Record<string, Json>).node = node?.id;
		}
	}
}
