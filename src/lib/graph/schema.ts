// Structural validation of a current-version document with valibot: is this value shaped like a
// PipelineDocument? Problems become diagnostics naming the node or edge and the field path
// ("node 'n3': position.x must be a number"). Meaning (ids, kinds, cycles) is check.ts's job.

import * as v from 'valibot';
import type { Diagnostic } from './diagnostics';
import { DOCUMENT_VERSION, type PipelineDocument, type PipelineNode } from './document';
import { findJsonProblem, isRecord } from './json-value';
import { graphMessages } from './messages';

/** Most nodes and edges a document may hold; more is refused before validating each one. */
export const MAX_NODES = 10_000;
export const MAX_EDGES = 40_000;

const idSchema = v.pipe(v.string('must be a string'), v.nonEmpty('must not be empty'));
const coordinateSchema = v.pipe(v.number('must be a number'), v.finite('must be a finite number'));
const endpointSchema = v.object(
	{ node: idSchema, port: idSchema },
	'must be an object with node and port'
);
const paramsSchema = v.pipe(
	v.custom<Record<string, unknown>>(isRecord, 'must be an object'),
	v.check(
		(params) => findJsonProblem(params) === null,
		(issue) => {
			const found = findJsonProblem(issue.input);
			return found === null
				? 'must hold only JSON values'
				: graphMessages.notJsonParams(found.path, found.problem);
		}
	)
);

export const NodeSchema = v.object(
	{
		id: idSchema,
		kind: idSchema,
		params: paramsSchema,
		position: v.object(
			{ x: coordinateSchema, y: coordinateSchema },
			'must be an object with x and y'
		),
		label: v.optional(v.string('must be a string'))
	},
	'must be an object'
);

export const EdgeSchema = v.object(
	{ id: idSchema, from: endpointSchema, to: endpointSchema },
	'must be an object'
);

export const DocumentSchema = v.object(
	{
		version: v.literal(DOCUMENT_VERSION, `must be ${DOCUMENT_VERSION}`),
		id: idSchema,
		name: v.string('must be a string'),
		nodes: v.array(NodeSchema, 'must be a list'),
		edges: v.array(EdgeSchema, 'must be a list')
	},
	'must be an object'
);

/** Fields each level knows; any other field is reported as ignored. */
const KNOWN_FIELDS = {
	document: ['version', 'id', 'name', 'nodes', 'edges'],
	node: ['id', 'kind', 'params', 'position', 'label'],
	position: ['x', 'y'],
	edge: ['id', 'from', 'to'],
	endpoint: ['node', 'port']
} as const;

function idOf(item: unknown): string | undefined {
	return isRecord(item) && typeof item.id === 'string' && item.id !== '' ? item.id : undefined;
}

/** Turns a valibot issue into a diagnostic naming the node or edge it is in. */
function issueToDiagnostic(issue: v.BaseIssue<unknown>, raw: Record<string, unknown>): Diagnostic {
	const keys = (issue.path ?? []).map((item) => String(item.key));
	// A missing field arrives as an issue whose input is undefined; say so plainly.
	const problem = issue.input === undefined && keys.length > 0 ? 'is missing' : issue.message;
	const list = keys[0] === 'nodes' || keys[0] === 'edges' ? keys[0] : undefined;
	if (list === undefined || keys.length < 2) {
		const message = graphMessages.structure(undefined, keys.join('.'), problem);
		return { severity: 'error', code: 'invalid-document', message };
	}
	const index = Number(keys[1]);
	const items = raw[list];
	const id = idOf(Array.isArray(items) ? items[index] : undefined);
	const subject =
		list === 'nodes' ? graphMessages.nodeSubject(id, index) : graphMessages.edgeSubject(id, index);
	const message = graphMessages.structure(subject, keys.slice(2).join('.'), problem);
	const diagnostic: Diagnostic = { severity: 'error', code: 'invalid-document', message };
	if (id !== undefined) diagnostic[list === 'nodes' ? 'node' : 'edge'] = id;
	return diagnostic;
}

function unknownFields(
	value: Record<string, unknown>,
	known: readonly string[],
	subject: string | undefined,
	prefix: string,
	into: Diagnostic[],
	attach: Partial<Diagnostic>
): void {
	for (const key of Object.keys(value)) {
		if (known.includes(key)) continue;
		const message = graphMessages.unknownField(subject, prefix + key);
		into.push({ severity: 'warning', code: 'unknown-field', message, ...attach });
	}
}

/** Warnings for fields a valid document carries that this version does not know (and drops). */
function reportUnknownFields(raw: Record<string, unknown>, into: Diagnostic[]): void {
	// Only called once the schema accepted `raw`, so these casts restate what it checked.
	type Item = Record<string, unknown> & { id: string };
	type Fields = Record<string, unknown>;
	unknownFields(raw, KNOWN_FIELDS.document, undefined, '', into, {});
	(raw.nodes as Item[]).forEach((node, index) => {
		const subject = graphMessages.nodeSubject(node.id, index);
		const attach = { node: node.id };
		unknownFields(node, KNOWN_FIELDS.node, subject, '', into, attach);
		unknownFields(
			node.position as Fields,
			KNOWN_FIELDS.position,
			subject,
			'position.',
			into,
			attach
		);
	});
	(raw.edges as Item[]).forEach((edge, index) => {
		const subject = graphMessages.edgeSubject(edge.id, index);
		const attach = { edge: edge.id };
		unknownFields(edge, KNOWN_FIELDS.edge, subject, '', into, attach);
		unknownFields(edge.from as Fields, KNOWN_FIELDS.endpoint, subject, 'from.', into, attach);
		unknownFields(edge.to as Fields, KNOWN_FIELDS.endpoint, subject, 'to.', into, attach);
	});
}

/**
 * Validates the shape of a current-version document (an object, already migrated). Returns a
 * fresh document that shares nothing with `raw`, or null with at least one error when `raw` is
 * not shaped like a PipelineDocument. Unknown fields are dropped with a warning.
 */
export function validateStructure(raw: Record<string, unknown>): {
	document: PipelineDocument | null;
	diagnostics: Diagnostic[];
} {
	// Count before validating each item, so a huge document costs one length read.
	for (const list of ['nodes', 'edges'] as const) {
		const items = raw[list];
		const max = list === 'nodes' ? MAX_NODES : MAX_EDGES;
		if (Array.isArray(items) && items.length > max) {
			const message = graphMessages.tooMany(list, items.length, max);
			return {
				document: null,
				diagnostics: [{ severity: 'error', code: 'invalid-document', message }]
			};
		}
	}
	const result = v.safeParse(DocumentSchema, raw);
	if (!result.success) {
		return {
			document: null,
			diagnostics: result.issues.map((issue) => issueToDiagnostic(issue, raw))
		};
	}
	const diagnostics: Diagnostic[] = [];
	reportUnknownFields(raw, diagnostics);
	const parsed = result.output;
	const document: PipelineDocument = {
		version: parsed.version,
		id: parsed.id,
		name: parsed.name,
		nodes: parsed.nodes.map((node) => {
			const copy: PipelineNode = {
				id: node.id,
				kind: node.kind,
				// Checked to be plain JSON above, so this round trip is a faithful deep copy.
				params: JSON.parse(JSON.stringify(node.params)) as Record<string, unknown>,
				position: { x: node.position.x, y: node.position.y }
			};
			if (node.label !== undefined) copy.label = node.label;
			return copy;
		}),
		edges: parsed.edges.map((edge) => ({
			id: edge.id,
			from: { node: edge.from.node, port: edge.from.port },
			to: { node: edge.to.node, port: edge.to.port }
		}))
	};
	return { document, diagnostics };
}
