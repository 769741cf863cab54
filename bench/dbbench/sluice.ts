// Sluice answering a G1 question from a file, through the API `sluice run` uses (probe the
// file's schema, compile, start the pipeline on a Node worker pool, take the collect sink's
// Arrow IPC). Timed from the document to the decoded answer.
import { tableFromIPC } from 'apache-arrow';
import { datasetContext } from '../../src/cli/pipeline-file';
import { DEFAULT_COMPILE_OPTIONS } from '../../src/lib/compiler/index';
import { startPipeline } from '../../src/lib/compiler/execute';
import type { PipelineDocument } from '../../src/lib/graph/document';
import type { CollectResult } from '../../src/lib/nodes/collect';
import type { WorkerPool } from '../../src/lib/runtime/scheduler/worker-pool';
import { plain, type Answer } from './answer';
import type { Question } from './questions';

const at = (x: number) => ({ x, y: 0 });

/** Source (csv or parquet) → group-by → [derive] → collect. */
export function questionDoc(q: Question, file: string, kind: 'csv' | 'parquet'): PipelineDocument {
	const nodes: PipelineDocument['nodes'] = [
		{ id: 'src', kind, params: { source: file }, position: at(0) },
		{
			id: 'group',
			kind: 'group-by',
			params: { keys: q.keys, aggregates: q.aggregates },
			position: at(200)
		}
	];
	if (q.derive) nodes.push({ id: 'derive', kind: 'derive', params: q.derive, position: at(400) });
	nodes.push({ id: 'out', kind: 'collect', params: {}, position: at(600) });
	const edges = nodes.slice(1).map((to, i) => ({
		id: `e${i}`,
		from: { node: nodes[i].id, port: 'out' },
		to: { node: to.id, port: 'in' }
	}));
	return { version: 1, id: `dbbench-${q.id}`, name: `db-benchmark ${q.id}`, nodes, edges };
}

export async function sluiceAnswer(
	pool: WorkerPool,
	q: Question,
	file: string,
	kind: 'csv' | 'parquet'
): Promise<{ ms: number; answer: Answer }> {
	const doc = questionDoc(q, file, kind);
	const t0 = performance.now();
	const { ctx, errors } = await datasetContext(doc);
	if (errors.length > 0) throw new Error(errors.join('\n'));
	const started = startPipeline(doc, pool, { ...DEFAULT_COMPILE_OPTIONS, workers: pool.size }, ctx);
	const outcome = await started.outcome;
	if (outcome.status !== 'done') throw new Error(`${q.id}: run ${JSON.stringify(outcome)}`);
	const result = outcome.results.get('out') as CollectResult;
	const table = tableFromIPC(result.ipc);
	const ms = performance.now() - t0;
	const answer: Answer = {};
	for (const name of q.columns) {
		const column = table.getChild(name);
		if (!column) throw new Error(`${q.id}: Sluice's answer has no column ${name}`);
		answer[name] = Array.from(column.toArray() as ArrayLike<unknown>, plain);
	}
	return { ms, answer };
}
