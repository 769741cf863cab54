// Result identities: a node's identity is a hash of its kind, its params and, input port by
// input port, the identities of what feeds it. Two documents that agree on a node and everything
// upstream of it give that node the same identity, so its cached result can be reused; labels,
// positions and anything downstream never enter it. Given the datasets results are computed with,
// a file source's identity also holds its dataset's schema (or that it is not known yet).
//
// Params are hashed as the kind parses them (defaults filled in, the schema's key order for its
// own fields), so `{}` and `{ rows: 100 }` agree when 100 is the default. Records inside params
// keep the user's key order: some kinds may give it meaning, and a needless miss only costs a
// re-run where a wrong hit would show a stale result.
import type { PipelineDocument, PipelineEdge } from '../../graph/document';
import { topologicalOrder } from '../../graph/topo';
import { nodeKind, parseParams } from '../../nodes/catalogue';
import { datasetToken } from '../../nodes/datasets';
import type { InferContext } from '../../nodes/types';

const encoder = new TextEncoder();

/**
 * FNV-1a, 64 bits, over the UTF-8 bytes of `text`, as 16 hex digits. The 64-bit product is
 * carried in two 32-bit halves: x * prime = x * 0x1b3 + (x << 40).
 */
export function fnv1a64(text: string): string {
	let hi = 0xcbf29ce4;
	let lo = 0x84222325;
	for (const byte of encoder.encode(text)) {
		lo = (lo ^ byte) >>> 0;
		const a = (lo & 0xffff) * 0x1b3;
		const b = (lo >>> 16) * 0x1b3;
		const low = a + (b & 0xffff) * 0x10000;
		const carry = Math.floor(low / 0x1_0000_0000) + (b >>> 16);
		hi = (Math.imul(hi, 0x1b3) + carry + (lo << 8)) >>> 0;
		lo = low >>> 0;
	}
	return hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0');
}

/** The params as the identity sees them: parsed when the kind accepts them, else as written. */
function canonicalParams(kind: string, params: unknown): string {
	const def = nodeKind(kind);
	const parsed = def ? parseParams(def, params) : null;
	return JSON.stringify(parsed?.ok ? parsed.params : (params ?? {}));
}

/**
 * Incoming edges in a fixed order: the kind's input ports in definition order (each port's
 * edges in document order), then edges into ports the kind does not have, sorted by port.
 */
function orderedInputs(kind: string, incoming: PipelineEdge[]): PipelineEdge[] {
	const ports = nodeKind(kind)?.inputs.map((p) => p.name) ?? [];
	const known = ports.flatMap((port) => incoming.filter((e) => e.to.port === port));
	const others = incoming
		.filter((e) => !ports.includes(e.to.port))
		.sort((x, y) => (x.to.port < y.to.port ? -1 : x.to.port > y.to.port ? 1 : 0));
	return [...known, ...others];
}

/**
 * Every node's result identity (16 hex digits), by node id. With `datasets` (the InferContext
 * the results are computed with), a file source's identity includes what it knows of the
 * source's dataset (nodes/datasets.ts `datasetToken`): a result computed before the schema
 * arrived (e.g. "schema … not known yet") belongs to another identity than one computed after.
 */
export function nodeIdentities(
	doc: PipelineDocument,
	datasets?: InferContext
): Map<string, string> {
	const incoming = new Map<string, PipelineEdge[]>();
	for (const edge of doc.edges) {
		const list = incoming.get(edge.to.node) ?? [];
		list.push(edge);
		incoming.set(edge.to.node, list);
	}
	const nodes = new Map(doc.nodes.map((n) => [n.id, n]));
	const identities = new Map<string, string>();
	const { order, cyclic, blocked } = topologicalOrder(doc);
	for (const id of order) {
		const node = nodes.get(id)!;
		const inputs = orderedInputs(node.kind, incoming.get(id) ?? []).map((e) => {
			const from = identities.get(e.from.node) ?? `missing:${e.from.node}`;
			return `${e.to.port}<${from}:${e.from.port}`;
		});
		const dataset = datasets ? datasetToken(node, datasets) : '';
		const parts = [node.kind, canonicalParams(node.kind, node.params), ...inputs];
		identities.set(
			id,
			fnv1a64((dataset === '' ? parts : [...parts, `dataset:${dataset}`]).join('\n'))
		);
	}
	// Nodes on or behind a cycle never run; they still get an identity, unique to the node.
	for (const id of [...cyclic.flat(), ...blocked]) {
		const node = nodes.get(id)!;
		identities.set(
			id,
			fnv1a64(['unordered', id, node.kind, canonicalParams(node.kind, node.params)].join('\n'))
		);
	}
	return identities;
}
