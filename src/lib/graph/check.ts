// Semantic checks of a well-shaped document: unique ids, edges that join existing nodes and
// ports, params each kind accepts, one edge per input, no cycles. Every problem is a diagnostic
// on the node or edge concerned; the document itself is never changed.

import { closestName } from './closest';
import type { Diagnostic, KindInfo, KindLookup } from './diagnostics';
import type { PipelineDocument, PipelineNode } from './document';
import { graphMessages } from './messages';
import { analyseOrder } from './topo';

function error(code: string, message: string, on: Partial<Diagnostic> = {}): Diagnostic {
	return { severity: 'error', code, message, ...on };
}

/** Ids used by more than one node, or more than one edge: one diagnostic per repeated id. */
function checkDuplicateIds(document: PipelineDocument, into: Diagnostic[]): void {
	for (const what of ['node', 'edge'] as const) {
		const counts = new Map<string, number>();
		const items = what === 'node' ? document.nodes : document.edges;
		for (const item of items) counts.set(item.id, (counts.get(item.id) ?? 0) + 1);
		for (const [id, count] of counts) {
			if (count === 1) continue;
			into.push(error('duplicate-id', graphMessages.duplicateId(what, id, count), { [what]: id }));
		}
	}
}

/** Edges to or from a node that does not exist, and inputs fed by more than one edge. */
function checkEdges(
	document: PipelineDocument,
	nodes: ReadonlyMap<string, PipelineNode>,
	into: Diagnostic[]
): void {
	const feeding = new Map<string, string>(); // "node\0port" -> first edge into it
	for (const edge of document.edges) {
		for (const end of ['from', 'to'] as const) {
			const node = edge[end].node;
			if (nodes.has(node)) continue;
			const message = graphMessages.danglingEdge(edge.id, end, node);
			into.push(error('dangling-edge', message, { edge: edge.id }));
		}
		if (!nodes.has(edge.to.node)) continue;
		const input = `${edge.to.node}\0${edge.to.port}`;
		const first = feeding.get(input);
		if (first === undefined) feeding.set(input, edge.id);
		else {
			const message = graphMessages.inputTaken(edge.id, edge.to.node, edge.to.port, first);
			into.push(error('input-taken', message, { node: edge.to.node, edge: edge.id }));
		}
	}
}

/** Calls the catalogue's validateParams, turning a throw (a catalogue bug) into a diagnostic. */
function paramProblems(info: KindInfo, node: PipelineNode, into: Diagnostic[]): void {
	let problems: { path: string; message: string }[];
	try {
		problems = info.validateParams(node.params);
	} catch (thrown) {
		const message = graphMessages.paramCheckFailed(node.id, node.kind, String(thrown));
		into.push(error('bad-param', message, { node: node.id }));
		return;
	}
	for (const { path, message } of problems) {
		const diagnostic = error('bad-param', graphMessages.badParam(node.id, path, message), {
			node: node.id
		});
		if (path !== '') diagnostic.param = path;
		into.push(diagnostic);
	}
}

/** Kinds the catalogue lacks, ports the kinds lack, params they refuse, inputs left unwired. */
function checkKinds(
	document: PipelineDocument,
	nodes: ReadonlyMap<string, PipelineNode>,
	kinds: KindLookup,
	into: Diagnostic[]
): void {
	const infos = new Map<string, KindInfo>(); // node id -> its kind, for known kinds only
	let known: string[] | undefined;
	// Every node, duplicates too, so a repeated id does not hide a bad kind or params.
	for (const node of document.nodes) {
		const info = kinds(node.kind);
		if (info === undefined) {
			known ??= kinds.kinds();
			const message = graphMessages.unknownKind(node.id, node.kind, closestName(node.kind, known));
			into.push(error('unknown-kind', message, { node: node.id }));
			continue;
		}
		if (nodes.get(node.id) === node) infos.set(node.id, info);
		paramProblems(info, node, into);
	}
	const connected = new Set<string>();
	for (const edge of document.edges) {
		for (const end of ['from', 'to'] as const) {
			const { node, port } = edge[end];
			const info = infos.get(node);
			if (info === undefined) continue;
			const direction = end === 'from' ? 'output' : 'input';
			const ports = (end === 'from' ? info.outputs : info.inputs).map((item) => item.name);
			if (end === 'to') connected.add(`${node}\0${port}`);
			if (ports.includes(port)) continue;
			const kind = nodes.get(node)!.kind;
			const message = graphMessages.unknownPort(edge.id, node, kind, direction, port, ports);
			into.push(error('unknown-port', message, { edge: edge.id }));
		}
	}
	for (const [id, info] of infos) {
		for (const { name } of info.inputs) {
			if (connected.has(`${id}\0${name}`)) continue;
			into.push({
				severity: 'warning',
				code: 'missing-input',
				message: graphMessages.missingInput(id, name),
				node: id
			});
		}
	}
}

/** One diagnostic per node that cannot run: an error on each cycle member, a warning downstream. */
function checkCycles(document: PipelineDocument, into: Diagnostic[]): void {
	const { cycles, blocked } = analyseOrder(document);
	for (const { loop, others } of cycles) {
		const message = graphMessages.cycle(loop, others);
		for (const node of [...loop, ...others]) into.push(error('cycle', message, { node }));
	}
	for (const { node, cycle } of blocked) {
		const message = graphMessages.blockedByCycle(node, cycles[cycle].loop);
		into.push({ severity: 'warning', code: 'cycle', message, node });
	}
}

/**
 * Every semantic problem with a well-shaped document (one `loadDocument` returned, or one the
 * editor changed). Without `kinds`, the checks that need the catalogue (kinds, ports, params,
 * unconnected inputs) are skipped. Never changes the document; never throws unless the
 * catalogue's lookup does (its validateParams may: that becomes a 'bad-param' diagnostic).
 */
export function checkDocument(document: PipelineDocument, kinds?: KindLookup): Diagnostic[] {
	const diagnostics: Diagnostic[] = [];
	const nodes = new Map<string, PipelineNode>(); // first node with each id
	for (const node of document.nodes) if (!nodes.has(node.id)) nodes.set(node.id, node);
	checkDuplicateIds(document, diagnostics);
	checkEdges(document, nodes, diagnostics);
	if (kinds !== undefined) checkKinds(document, nodes, kinds, diagnostics);
	checkCycles(document, diagnostics);
	return diagnostics;
}
