// The edges "Connect to…" offers for one node: every other node whose ports fit it, in either
// direction (this node's outputs into their free inputs, their outputs into this node's free
// inputs). Whether an edge fits is `check` — the PipelineState's checkConnection, the same rule
// a dragged connection meets — so the keyboard can never make an edge a drag could not.

import type { PipelineDocument } from '../../graph/document';
import { nodeKind } from '../../nodes/catalogue';
import type { Connection, ConnectionCheck } from './connection';

export interface ConnectOption {
	connection: Connection;
	/** The other node. */
	node: string;
	/** 'to' when the edge leaves `node`'s subject, 'from' when it comes into it. */
	direction: 'to' | 'from';
	/** The ports, when a node has more than one on that side ("input left"); else ''. */
	ports: string;
}

/** Edges that may join `subject` and another node of `doc`, downstream ones first. */
export function connectOptions(
	doc: PipelineDocument,
	subject: string,
	check: (connection: Connection) => ConnectionCheck
): ConnectOption[] {
	const self = doc.nodes.find((n) => n.id === subject);
	const selfDef = self ? nodeKind(self.kind) : undefined;
	if (!self || !selfDef) return [];
	const downstream: ConnectOption[] = [];
	const upstream: ConnectOption[] = [];
	for (const other of doc.nodes) {
		const def = other.id === subject ? undefined : nodeKind(other.kind);
		if (!def) continue;
		for (const out of selfDef.outputs) {
			for (const input of def.inputs) {
				const connection = {
					from: { node: subject, port: out.name },
					to: { node: other.id, port: input.name }
				};
				if (!check(connection).ok) continue;
				const ports = portNote(selfDef.outputs.length, out.name, def.inputs.length, input.name);
				downstream.push({ connection, node: other.id, direction: 'to', ports });
			}
		}
		for (const out of def.outputs) {
			for (const input of selfDef.inputs) {
				const connection = {
					from: { node: other.id, port: out.name },
					to: { node: subject, port: input.name }
				};
				if (!check(connection).ok) continue;
				const ports = portNote(def.outputs.length, out.name, selfDef.inputs.length, input.name);
				upstream.push({ connection, node: other.id, direction: 'from', ports });
			}
		}
	}
	return [...downstream, ...upstream];
}

/** "output a → input left", naming only the sides that have more than one port. */
function portNote(outputs: number, out: string, inputs: number, input: string): string {
	const parts = [
		...(outputs > 1 ? [`output ${out}`] : []),
		...(inputs > 1 ? [`input ${input}`] : [])
	];
	return parts.join(' → ');
}
