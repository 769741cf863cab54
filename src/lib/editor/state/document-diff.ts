// Differences between two pipeline documents, per node and edge id (tldraw's RecordsDiff): what
// the undo stack stores. Documents are replaced, never mutated, so a diff shares its node and
// edge objects with the documents it was taken from; nothing here mutates either.

import type { PipelineDocument, PipelineEdge, PipelineNode } from '../../graph/document';

/** What happened to the records (nodes or edges) of one list, keyed by id. */
export interface RecordChanges<T> {
	/** Records only the later document has. */
	added: Map<string, T>;
	/** Records only the earlier document has. */
	removed: Map<string, T>;
	/** Records both have, with different contents: [earlier, later]. */
	changed: Map<string, [from: T, to: T]>;
	/** Ids in list order [earlier, later]; present only when membership or order changed. */
	order?: [from: string[], to: string[]];
}

/**
 * How to turn one document into another. Per-id changes when both documents have unique node and
 * edge ids and the same id and version; otherwise (a loaded document may repeat ids) `replace`
 * holds both whole documents and the other fields are empty.
 */
export interface DocumentDiff {
	nodes: RecordChanges<PipelineNode>;
	edges: RecordChanges<PipelineEdge>;
	/** The pipeline's name [earlier, later], when it changed. */
	name?: [from: string, to: string];
	replace?: [from: PipelineDocument, to: PipelineDocument];
}

/** Deep equality of plain JSON values (key order of objects ignored, array order kept). */
export function jsonEqual(a: unknown, b: unknown): boolean {
	if (a === b) return true;
	if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
	if (Array.isArray(a) !== Array.isArray(b)) return false;
	if (Array.isArray(a)) {
		const other = b as unknown[];
		return a.length === other.length && a.every((item, index) => jsonEqual(item, other[index]));
	}
	const left = a as Record<string, unknown>;
	const right = b as Record<string, unknown>;
	const keys = Object.keys(left);
	if (keys.length !== Object.keys(right).length) return false;
	return keys.every((key) => Object.hasOwn(right, key) && jsonEqual(left[key], right[key]));
}

/**
 * Same contents and, for nodes, the same key order of params (some kinds give it meaning, and
 * undo must restore documents exactly).
 */
function recordEqual(a: unknown, b: unknown): boolean {
	if (a === b) return true;
	return jsonEqual(a, b) && JSON.stringify(a) === JSON.stringify(b);
}

function emptyChanges<T>(): RecordChanges<T> {
	return { added: new Map(), removed: new Map(), changed: new Map() };
}

/** An empty diff: applying it changes nothing. */
export function emptyDiff(): DocumentDiff {
	return { nodes: emptyChanges(), edges: emptyChanges() };
}

function changesEmpty<T>(changes: RecordChanges<T>): boolean {
	return (
		changes.added.size === 0 &&
		changes.removed.size === 0 &&
		changes.changed.size === 0 &&
		changes.order === undefined
	);
}

/** True when applying `diff` leaves every document as it was. */
export function isEmptyDiff(diff: DocumentDiff): boolean {
	return (
		diff.replace === undefined &&
		diff.name === undefined &&
		changesEmpty(diff.nodes) &&
		changesEmpty(diff.edges)
	);
}

function uniqueIds(items: readonly { id: string }[]): boolean {
	return new Set(items.map((item) => item.id)).size === items.length;
}

function sameOrder(a: readonly string[], b: readonly string[]): boolean {
	return a.length === b.length && a.every((id, index) => id === b[index]);
}

function diffRecords<T extends { id: string }>(
	from: readonly T[],
	to: readonly T[]
): RecordChanges<T> {
	const changes = emptyChanges<T>();
	const later = new Map(to.map((item) => [item.id, item]));
	const earlier = new Map(from.map((item) => [item.id, item]));
	for (const item of from) {
		const next = later.get(item.id);
		if (next === undefined) changes.removed.set(item.id, item);
		else if (!recordEqual(item, next)) changes.changed.set(item.id, [item, next]);
	}
	for (const item of to) if (!earlier.has(item.id)) changes.added.set(item.id, item);
	const fromIds = from.map((item) => item.id);
	const toIds = to.map((item) => item.id);
	if (!sameOrder(fromIds, toIds)) changes.order = [fromIds, toIds];
	return changes;
}

/** The diff that turns `from` into `to`: `applyDiff(from, diffDocuments(from, to))` equals `to`. */
export function diffDocuments(from: PipelineDocument, to: PipelineDocument): DocumentDiff {
	if (from === to) return emptyDiff();
	const perId =
		from.id === to.id &&
		from.version === to.version &&
		uniqueIds(from.nodes) &&
		uniqueIds(to.nodes) &&
		uniqueIds(from.edges) &&
		uniqueIds(to.edges);
	if (!perId) {
		return JSON.stringify(from) === JSON.stringify(to)
			? emptyDiff()
			: { ...emptyDiff(), replace: [from, to] };
	}
	const diff: DocumentDiff = {
		nodes: diffRecords(from.nodes, to.nodes),
		edges: diffRecords(from.edges, to.edges)
	};
	if (from.name !== to.name) diff.name = [from.name, to.name];
	return diff;
}

function applyRecords<T extends { id: string }>(
	items: readonly T[],
	changes: RecordChanges<T>
): T[] {
	if (changesEmpty(changes)) return items as T[];
	const byId = new Map<string, T>();
	for (const item of items) if (!changes.removed.has(item.id)) byId.set(item.id, item);
	for (const [id, [, next]] of changes.changed) byId.set(id, next);
	for (const [id, item] of changes.added) byId.set(id, item);
	// Without `order`, membership and order are unchanged: keep the list's own order.
	const ids = changes.order?.[1] ?? items.map((item) => item.id);
	const result: T[] = [];
	for (const id of ids) {
		const item = byId.get(id);
		if (item !== undefined) result.push(item);
	}
	return result;
}

/**
 * `doc` with `diff` applied: a new document sharing the records the diff does not touch. Meant
 * for the document the diff was taken from (or one equal to it).
 */
export function applyDiff(doc: PipelineDocument, diff: DocumentDiff): PipelineDocument {
	if (diff.replace !== undefined) return diff.replace[1];
	if (isEmptyDiff(diff)) return doc;
	return {
		...doc,
		name: diff.name?.[1] ?? doc.name,
		nodes: applyRecords(doc.nodes, diff.nodes),
		edges: applyRecords(doc.edges, diff.edges)
	};
}

function invertRecords<T>(changes: RecordChanges<T>): RecordChanges<T> {
	const inverted: RecordChanges<T> = {
		added: changes.removed,
		removed: changes.added,
		changed: new Map([...changes.changed].map(([id, [from, to]]) => [id, [to, from]]))
	};
	if (changes.order !== undefined) inverted.order = [changes.order[1], changes.order[0]];
	return inverted;
}

/** The diff that undoes `diff`. */
export function invertDiff(diff: DocumentDiff): DocumentDiff {
	const inverted: DocumentDiff = {
		nodes: invertRecords(diff.nodes),
		edges: invertRecords(diff.edges)
	};
	if (diff.name !== undefined) inverted.name = [diff.name[1], diff.name[0]];
	if (diff.replace !== undefined) inverted.replace = [diff.replace[1], diff.replace[0]];
	return inverted;
}

type State<T> = { present: true; value: T } | { present: false };
const ABSENT = { present: false } as const;

/** A record's state before a diff, if the diff says; undefined when the diff does not touch it. */
function stateBefore<T>(changes: RecordChanges<T>, id: string): State<T> | undefined {
	const removed = changes.removed.get(id);
	if (removed !== undefined) return { present: true, value: removed };
	const changed = changes.changed.get(id);
	if (changed !== undefined) return { present: true, value: changed[0] };
	return changes.added.has(id) ? ABSENT : undefined;
}

/** A record's state after a diff, if the diff says; undefined when the diff does not touch it. */
function stateAfter<T>(changes: RecordChanges<T>, id: string): State<T> | undefined {
	const added = changes.added.get(id);
	if (added !== undefined) return { present: true, value: added };
	const changed = changes.changed.get(id);
	if (changed !== undefined) return { present: true, value: changed[1] };
	return changes.removed.has(id) ? ABSENT : undefined;
}

function composeRecords<T>(first: RecordChanges<T>, second: RecordChanges<T>): RecordChanges<T> {
	const composed = emptyChanges<T>();
	const ids = new Set<string>();
	for (const changes of [first, second]) {
		for (const map of [changes.added, changes.removed, changes.changed]) {
			for (const id of map.keys()) ids.add(id);
		}
	}
	for (const id of ids) {
		// Untouched by the first diff: its state before equals its state between the two.
		const before = stateBefore(first, id) ?? stateBefore(second, id)!;
		const after = stateAfter(second, id) ?? stateAfter(first, id)!;
		if (before.present && after.present) {
			if (!recordEqual(before.value, after.value))
				composed.changed.set(id, [before.value, after.value]);
		} else if (before.present) composed.removed.set(id, before.value);
		else if (after.present) composed.added.set(id, after.value);
	}
	// Without `order` a diff keeps order and membership, so the other diff's ends stand in.
	const fromIds = first.order?.[0] ?? second.order?.[0];
	const toIds = second.order?.[1] ?? first.order?.[1];
	if (fromIds !== undefined && toIds !== undefined && !sameOrder(fromIds, toIds)) {
		composed.order = [fromIds, toIds];
	}
	return composed;
}

/**
 * One diff doing `first` then `second` (`second` taken from the document `first` produced), so
 * consecutive edits of one gesture make one undo step.
 */
export function composeDiffs(first: DocumentDiff, second: DocumentDiff): DocumentDiff {
	if (first.replace !== undefined || second.replace !== undefined) {
		const from = first.replace?.[0] ?? applyDiff(second.replace![0], invertDiff(first));
		const to = second.replace?.[1] ?? applyDiff(first.replace![1], second);
		return diffDocuments(from, to);
	}
	const composed: DocumentDiff = {
		nodes: composeRecords(first.nodes, second.nodes),
		edges: composeRecords(first.edges, second.edges)
	};
	const fromName = first.name?.[0] ?? second.name?.[0];
	const toName = second.name?.[1] ?? first.name?.[1];
	if (fromName !== undefined && toName !== undefined && fromName !== toName) {
		composed.name = [fromName, toName];
	}
	return composed;
}
