// How far each source node of a run has read, in the document's terms: the engine counts bytes
// per plan stage (runtime/metrics, `bytesRead`/`bytesTotal`); a source node runs as one stage or
// as several instances (a CSV split by byte ranges), whose figures add up here. Read from a
// counter snapshot the run's sampling already takes (full runs, every 250 ms; previews, the
// same cadence while one reads). Pure: no Svelte, no clock.
import type { CompiledPlan } from '../../compiler/physical';
import type { MetricsSnapshot } from '../../runtime/metrics/counters';
import { combineProgress, type ByteProgress } from '../../runtime/metrics/rates';
import { formatBytes } from './live-metrics-format';

/** Bytes read per source node id (only sources that read bytes: not generators). */
export type SourceBytes = ReadonlyMap<string, ByteProgress>;

export const NO_SOURCE_BYTES: SourceBytes = new Map();

export const NO_BYTES: ByteProgress = { bytesRead: 0, bytesTotal: 0, progress: null };

/** What of a compiled plan the mapping reads. */
export type SourcePlan = Pick<CompiledPlan, 'origins' | 'stages'>;

/** Stage indices of the plan's sources (stages with no input). */
export function sourceStagesOf(plan: SourcePlan): number[] {
	return plan.stages.flatMap((s, i) => (s.inputSchemas.length === 0 ? [i] : []));
}

/**
 * Each source node's bytes in `snap`, its instances added up. `nodeOf` maps the plan's node ids
 * back to the document's (a preview's hidden copies). Sources that report no bytes are left out.
 */
export function sourceBytesOf(
	plan: SourcePlan,
	snap: MetricsSnapshot,
	nodeOf: (id: string) => string = (id) => id
): Map<string, ByteProgress> {
	const byNode = new Map<string, { bytesRead: number; bytesTotal: number }[]>();
	for (const i of sourceStagesOf(plan)) {
		const counters = snap.stages[i];
		const node = plan.origins[i]?.nodes[0];
		if (!counters || node === undefined) continue;
		const id = nodeOf(node);
		byNode.set(id, [...(byNode.get(id) ?? []), counters]);
	}
	const out = new Map<string, ByteProgress>();
	for (const [id, list] of byNode) {
		const p = combineProgress(list);
		if (p.bytesRead > 0 || p.bytesTotal !== 0) out.set(id, p);
	}
	return out;
}

/** Every source of the run as one figure (for the run bar). */
export function allSourceBytes(plan: SourcePlan, snap: MetricsSnapshot): ByteProgress {
	return combineProgress(sourceStagesOf(plan).map((i) => snap.stages[i]));
}

/** True when a figure says anything (some source reads bytes). */
export function reportsBytes(p: ByteProgress | null | undefined): p is ByteProgress {
	return p != null && (p.bytesRead > 0 || p.bytesTotal !== 0);
}

/** "12.3 MB / 200.0 MB" when the total is known, else "12.3 MB read". */
export function bytesFigure(p: ByteProgress): string {
	return p.bytesTotal > 0
		? `${formatBytes(p.bytesRead)} / ${formatBytes(p.bytesTotal)}`
		: `${formatBytes(p.bytesRead)} read`;
}
