// The progress line of a run on a terminal: rows read by the sources so far, rows per second,
// elapsed time, rewritten in place every PROGRESS_MS. Reads the metrics block only (shared
// memory, never blocks); prints nothing when the stream is not a terminal.
import type { PhysicalPlan } from '../lib/runtime/scheduler/run';
import type { MetricsSnapshot } from '../lib/runtime/metrics/counters';
import { formatCount, formatElapsed } from './text-table';

export const PROGRESS_MS = 250;

/** Stage indices of the plan's sources: stages no ring flows into. */
export function sourceStages(plan: PhysicalPlan): number[] {
	const fed = new Set(plan.rings.map((r) => r.to.stage));
	return plan.stages.map((_, i) => i).filter((i) => !fed.has(i));
}

/** Rows the sources have emitted so far. */
export function rowsRead(snapshot: MetricsSnapshot, sources: readonly number[]): number {
	let rows = 0;
	for (const i of sources) rows += snapshot.stages[i]?.rowsOut ?? 0;
	return rows;
}

export function progressText(rows: number, elapsedMs: number): string {
	const perSec = elapsedMs > 0 ? (rows * 1000) / elapsedMs : 0;
	return `${formatCount(rows)} rows · ${formatCount(perSec)} rows/s · ${formatElapsed(elapsedMs)}`;
}

export interface ProgressStream {
	isTTY?: boolean;
	write(text: string): boolean;
}

/** Starts the progress line on `stream` if it is a terminal; the returned function clears it. */
export function startProgress(
	stream: ProgressStream,
	read: () => MetricsSnapshot,
	sources: readonly number[]
): () => void {
	if (!stream.isTTY) return () => {};
	const t0 = performance.now();
	const draw = () =>
		stream.write(`\r\x1b[K${progressText(rowsRead(read(), sources), performance.now() - t0)}`);
	let timer: ReturnType<typeof setInterval> | undefined = setInterval(draw, PROGRESS_MS);
	return () => {
		if (timer === undefined) return;
		clearInterval(timer);
		timer = undefined;
		stream.write('\r\x1b[K');
	};
}
