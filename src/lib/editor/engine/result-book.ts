// The bookkeeping behind EditorEngine's `results`, as pure functions over immutable maps (the
// engine stores what they return in `$state.raw`): which results still match their node's
// identity, and how preview and run results merge.
import type { FullRunOutcome } from './full-run';
import type { NodeResult } from './results';

export type Results = ReadonlyMap<string, NodeResult>;
export type Identities = ReadonlyMap<string, string>;

export const NO_RESULTS: Results = new Map();
export const NO_IDENTITIES: Identities = new Map();
export const NO_NODES: ReadonlySet<string> = new Set();

export function nodeSet(ids: Iterable<string>): ReadonlySet<string> {
	return new Set(ids);
}

/** True when some result no longer matches its node's identity (or its node is gone). */
export function hasStale(results: Results, identities: Identities): boolean {
	for (const [id, r] of results) if (identities.get(id) !== r.identity) return true;
	return false;
}

/** The results that still match their node's identity. */
export function keepCurrent(results: Results, identities: Identities): Results {
	const kept = new Map<string, NodeResult>();
	for (const [id, r] of results) if (identities.get(id) === r.identity) kept.set(id, r);
	return kept;
}

/**
 * `results` with `got` merged in, keeping only current ones. Superseded and cancelled entries
 * are skipped; a run's result wins over a preview of the same identity; an error that belongs
 * to another node (upstream) is shown on that node too.
 */
export function mergeResults(
	results: Results,
	got: Results,
	runResults: Results,
	identities: Identities
): Results {
	const next = new Map(results);
	const put = (id: string, r: NodeResult) => {
		const fromRun = runResults.get(id);
		next.set(id, fromRun && fromRun.identity === r.identity ? fromRun : r);
	};
	for (const [id, r] of got) {
		if (r.status !== 'done' && r.status !== 'error') continue;
		put(id, r);
		if (r.status === 'error' && r.node !== undefined && r.node !== id) {
			const identity = identities.get(r.node);
			if (identity !== undefined) put(r.node, { ...r, identity, diagnostics: undefined });
		}
	}
	return keepCurrent(next, identities);
}

/** A full run's outcome as node results: each sink's result, or the failing node's error. */
export function runResultsOf(outcome: FullRunOutcome, identities: Identities): Results {
	const got = new Map<string, NodeResult>();
	if (outcome.status === 'done') {
		for (const [id, result] of outcome.results) {
			const identity = identities.get(id) ?? '';
			got.set(id, { status: 'done', identity, result, elapsedMs: outcome.elapsedMs, from: 'run' });
		}
	} else if (outcome.status === 'failed' && outcome.node !== null) {
		const identity = identities.get(outcome.node) ?? '';
		got.set(outcome.node, { status: 'error', identity, message: outcome.message });
	}
	return got;
}

/** `a` with `b`'s entries added (b wins). */
export function withAll(a: Results, b: Results): Results {
	return new Map([...a, ...b]);
}
