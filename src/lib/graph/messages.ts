// The one catalogue of words users read when a pipeline does not load or does not check
// (STYLE.md "Errors", like xyflow's errorMessages): every diagnostic message is built here, so
// wording stays consistent and tests can build the exact sentence they expect.

/** Longest name quoted in full; longer ones are cut so a message stays one readable line. */
const MAX_QUOTED_CHARS = 60;

/** A user-given name in quotes, shortened when very long. */
export function quote(name: string): string {
	const short = name.length > MAX_QUOTED_CHARS ? `${name.slice(0, MAX_QUOTED_CHARS - 1)}…` : name;
	return `'${short}'`;
}

function quoteList(names: readonly string[]): string {
	return names.map(quote).join(', ');
}

function megabytes(chars: number): string {
	return `${(chars / 1_000_000).toFixed(1)} MB`;
}

export const graphMessages = {
	notJson: (detail: string) => `this pipeline is not valid JSON: ${detail}`,
	tooLarge: (chars: number, maxChars: number) =>
		`this pipeline is ${megabytes(chars)}; Sluice reads pipelines up to ${megabytes(maxChars)}`,
	notAnObject: (got: string) =>
		`a pipeline must be a JSON object with version, id, name, nodes and edges; this is ${got}`,
	badVersion: (got: string) => `version must be a whole number from 0 up; this is ${got}`,
	futureVersion: (version: number, current: number) =>
		`this pipeline was saved by a newer Sluice (version ${version}); ` +
		`this one reads up to version ${current}`,
	noMigration: (from: number) => `this Sluice does not know how to upgrade version ${from}`,
	migrationFailed: (from: number, to: number, detail: string) =>
		`could not upgrade this pipeline from version ${from} to ${to}: ${detail}`,
	tooMany: (what: 'nodes' | 'edges', count: number, max: number) =>
		`this pipeline has ${count} ${what}; Sluice reads at most ${max}`,
	/** `subject` is "node 'n3'", "edge #2" or undefined for the document itself. */
	structure: (subject: string | undefined, field: string, problem: string) => {
		const what = field === '' ? (subject ?? 'the pipeline') : field;
		const sentence = `${what} ${problem}`;
		return subject === undefined || field === '' ? sentence : `${subject}: ${sentence}`;
	},
	nodeSubject: (id: string | undefined, index: number) =>
		id === undefined ? `node #${index + 1}` : `node ${quote(id)}`,
	edgeSubject: (id: string | undefined, index: number) =>
		id === undefined ? `edge #${index + 1}` : `edge ${quote(id)}`,
	notJsonParams: (where: string, problem: string) =>
		`must hold only JSON values, but ${where === '' ? 'it' : quote(where)} ${problem}`,
	unknownField: (subject: string | undefined, field: string) =>
		`${subject === undefined ? '' : `${subject}: `}unknown field ${quote(field)} is ignored`,
	duplicateId: (what: 'node' | 'edge', id: string, count: number) =>
		`${count} ${what}s share the id ${quote(id)}; ids must be unique`,
	danglingEdge: (edge: string, end: 'from' | 'to', node: string) =>
		`edge ${quote(edge)} ${end === 'from' ? 'starts at' : 'ends at'} node ${quote(node)}, ` +
		`which does not exist`,
	unknownKind: (node: string, kind: string, suggestion: string | undefined) =>
		`node ${quote(node)}: unknown kind ${quote(kind)}` +
		(suggestion === undefined ? '' : `; did you mean ${quote(suggestion)}?`),
	unknownPort: (
		edge: string,
		node: string,
		kind: string,
		direction: 'input' | 'output',
		port: string,
		available: readonly string[]
	) =>
		`edge ${quote(edge)}: node ${quote(node)} (${kind}) has no ${direction} ${quote(port)}; ` +
		(available.length === 0
			? `it has no ${direction}s`
			: `its ${direction}s are ${quoteList(available)}`),
	badParam: (node: string, path: string, message: string) =>
		`node ${quote(node)}: ${path === '' ? '' : `param ${quote(path)}: `}${message}`,
	paramCheckFailed: (node: string, kind: string, detail: string) =>
		`node ${quote(node)}: the ${kind} node could not check its params (${detail})`,
	inputTaken: (edge: string, node: string, port: string, firstEdge: string) =>
		`edge ${quote(edge)}: input ${quote(port)} of node ${quote(node)} already has edge ` +
		`${quote(firstEdge)}; an input takes one edge`,
	missingInput: (node: string, port: string) =>
		`node ${quote(node)}: input ${quote(port)} is not connected`,
	/** `cycle` is the loop in edge order without repeating its start; `others` share the loop. */
	cycle: (cycle: readonly string[], others: readonly string[]) => {
		const path = [...cycle, cycle[0]].map(quote).join(' → ');
		const head = cycle.length === 1 ? `node ${path} feeds itself` : `nodes ${path} form a cycle`;
		if (others.length === 0) return head;
		return `${head}, and ${quoteList(others)} ${others.length === 1 ? 'is' : 'are'} caught in it too`;
	},
	blockedByCycle: (node: string, cycle: readonly string[]) =>
		`node ${quote(node)} cannot run: it waits on the cycle ` +
		`${[...cycle, cycle[0]].map(quote).join(' → ')}`,
	internal: (detail: string) => `could not read this pipeline: ${detail}`,
	checkFailed: (detail: string) => `could not check this pipeline: ${detail}`
};
