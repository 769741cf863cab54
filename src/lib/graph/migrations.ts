// Upgrades saved documents, one version step at a time, to DOCUMENT_VERSION. Each step takes
// whatever the old file held (it has not been validated: the step must not assume its shape,
// and passes through what it does not understand so validation can report it afterwards).

import { DOCUMENT_VERSION } from './document';
import { isRecord } from './json-value';

export interface Migration {
	from: number;
	to: number;
	migrate(document: Record<string, unknown>): Record<string, unknown>;
}

/** The port xyflow meant by a null handle: a node's single output, or single input. */
const DEFAULT_OUTPUT = 'out';
const DEFAULT_INPUT = 'in';

/**
 * Version 0 documents were the canvas library's own objects: nodes `{ id, type, data, position,
 * label? }`, edges `{ id, source, sourceHandle, target, targetHandle }` (a null handle meaning the
 * node's only port). Version 1 names things for what they are: `kind`, `params`, `from`, `to`.
 * The canvas's view state saved beside them (selected, dragging, measured size...) is dropped.
 */
function nodeFromV0(node: unknown): unknown {
	if (!isRecord(node)) return node;
	const next: Record<string, unknown> = {
		id: node.id,
		kind: node.kind ?? node.type,
		params: node.params ?? node.data ?? {},
		position: node.position
	};
	if (node.label !== undefined) next.label = node.label;
	return next;
}

function endpointFromV0(node: unknown, handle: unknown, fallback: string): unknown {
	return { node, port: handle === null || handle === undefined ? fallback : handle };
}

function edgeFromV0(edge: unknown): unknown {
	if (!isRecord(edge)) return edge;
	return {
		id: edge.id,
		from: edge.from ?? endpointFromV0(edge.source, edge.sourceHandle, DEFAULT_OUTPUT),
		to: edge.to ?? endpointFromV0(edge.target, edge.targetHandle, DEFAULT_INPUT)
	};
}

function listFromV0(list: unknown, step: (item: unknown) => unknown): unknown {
	return Array.isArray(list) ? list.map(step) : list;
}

/** Every step, in order; `migrateDocument` chains them from a document's version. */
export const MIGRATIONS: readonly Migration[] = [
	{
		from: 0,
		to: 1,
		migrate: (document) => {
			// viewport: the canvas's pan and zoom, view state like the nodes' selection.
			const { version: _version, viewport: _viewport, nodes, edges, ...rest } = document;
			return {
				...rest,
				version: 1,
				nodes: listFromV0(nodes, nodeFromV0),
				edges: listFromV0(edges, edgeFromV0)
			};
		}
	}
];

/** Result of upgrading: the current-version value, or the step that was missing or failed. */
export type MigrationResult =
	| { ok: true; document: Record<string, unknown> }
	| { ok: false; from: number; to?: number; error?: unknown };

/** Runs every step from `version` up to DOCUMENT_VERSION. Never throws. */
export function migrateDocument(
	document: Record<string, unknown>,
	version: number,
	migrations: readonly Migration[] = MIGRATIONS
): MigrationResult {
	let current = document;
	let at = version;
	while (at < DOCUMENT_VERSION) {
		const step = migrations.find((migration) => migration.from === at);
		if (step === undefined || step.to <= at) return { ok: false, from: at };
		try {
			const next = step.migrate(current);
			if (!isRecord(next)) throw new TypeError('the upgrade step returned no object');
			current = next;
		} catch (error) {
			return { ok: false, from: at, to: step.to, error };
		}
		at = step.to;
	}
	return { ok: true, document: current };
}
