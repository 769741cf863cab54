// The 300-node pipeline the pan/zoom bench pastes: 100 independent chains of
// generator → filter → table, each chain one row of three cards, the chains in five columns of
// twenty, so "fit view" shows all of them at once. Small generators (1,000 rows) keep the
// preview work that a paste starts out of the way of the frame-time figures.
//
// `npx tsx bench/editor/pipeline-fixture.ts` rewrites test/fixtures/pipeline-300.json.
import { writeFileSync } from 'node:fs';

const CHAINS = 100;
const CHAIN_COLUMNS = 5;
const NODE_DX = 280;
const CHAIN_DX = 3 * NODE_DX + 160;
const CHAIN_DY = 160;

interface Node {
	id: string;
	kind: string;
	params: Record<string, unknown>;
	position: { x: number; y: number };
	label?: string;
}
interface Edge {
	id: string;
	from: { node: string; port: string };
	to: { node: string; port: string };
}

export function pipeline300() {
	const nodes: Node[] = [];
	const edges: Edge[] = [];
	for (let c = 0; c < CHAINS; c++) {
		const x = (c % CHAIN_COLUMNS) * CHAIN_DX;
		const y = Math.floor(c / CHAIN_COLUMNS) * CHAIN_DY;
		const [gen, filter, table] = [`gen-${c}`, `filter-${c}`, `table-${c}`];
		nodes.push(
			{
				id: gen,
				kind: 'generator',
				params: {
					rows: 1000,
					seed: c + 1,
					columns: [
						{ name: 'id', type: 'int' },
						{ name: 'amount', type: 'float', min: 0, max: 100 }
					]
				},
				position: { x, y },
				label: `Source ${c + 1}`
			},
			{
				id: filter,
				kind: 'filter',
				params: { expression: `amount > ${c % 90}` },
				position: { x: x + NODE_DX, y }
			},
			{ id: table, kind: 'table', params: { limit: 50 }, position: { x: x + 2 * NODE_DX, y } }
		);
		edges.push(
			{ id: `e-${c}-a`, from: { node: gen, port: 'out' }, to: { node: filter, port: 'in' } },
			{ id: `e-${c}-b`, from: { node: filter, port: 'out' }, to: { node: table, port: 'in' } }
		);
	}
	return { version: 1, id: 'pipeline-300', name: '300 nodes (pan/zoom bench)', nodes, edges };
}

if (import.meta.url === `file://${process.argv[1]}`) {
	const file = new URL('../../test/fixtures/pipeline-300.json', import.meta.url);
	writeFileSync(file, JSON.stringify(pipeline300(), null, '\t') + '\n');
	console.log(`wrote ${file.pathname}`);
}
