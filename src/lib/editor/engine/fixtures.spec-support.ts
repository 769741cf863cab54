// Small document builders and a run-counting factory for the engine's tests.
import type { PipelineDocument, PipelineNode } from '../../graph/document';
import { createRun, type EngineRun } from '../../runtime/fallback/create-run';
import type { RunOutcome } from '../../runtime/scheduler/run';
import type { RunFactory } from './lane';

export function node(id: string, kind: string, params: Record<string, unknown> = {}): PipelineNode {
	return { id, kind, params, position: { x: 0, y: 0 } };
}

/** A chain of nodes, each feeding the next through 'out' -> 'in'. */
export function chain(...nodes: PipelineNode[]): PipelineDocument {
	return {
		version: 1,
		id: 'doc',
		name: nodes.map((n) => n.kind).join(' → '),
		nodes,
		edges: nodes.slice(1).map((n, i) => ({
			id: `e${i + 1}`,
			from: { node: nodes[i].id, port: 'out' },
			to: { node: n.id, port: 'in' }
		}))
	};
}

/** The same document with one node's params replaced. */
export function withParams(
	doc: PipelineDocument,
	id: string,
	params: Record<string, unknown>
): PipelineDocument {
	return { ...doc, nodes: doc.nodes.map((n) => (n.id === id ? { ...n, params } : n)) };
}

export interface RunSpy {
	factory: RunFactory;
	runs: EngineRun[];
	/** Each run's outcome, in start order. */
	outcomes: Promise<RunOutcome>[];
	/** Resolves when the `n`-th run (1-based) has been created. */
	created(n: number): Promise<EngineRun>;
}

/** A RunFactory that builds real runs (createRun) and records them. */
export function runSpy(): RunSpy {
	const runs: EngineRun[] = [];
	const outcomes: Promise<RunOutcome>[] = [];
	const waiters: { n: number; resolve: (run: EngineRun) => void }[] = [];
	const factory: RunFactory = (pool, plan) => {
		const run = createRun(pool, plan);
		const start = run.start.bind(run);
		run.start = () => {
			const outcome = start();
			outcomes.push(outcome);
			return outcome;
		};
		runs.push(run);
		for (const w of waiters.filter((w) => w.n === runs.length)) w.resolve(run);
		return run;
	};
	const created = (n: number) =>
		runs.length >= n
			? Promise.resolve(runs[n - 1])
			: new Promise<EngineRun>((resolve) => waiters.push({ n, resolve }));
	return { factory, runs, outcomes, created };
}
