// The progress line of a run on a terminal: bytes the file sources have read of their size
// (when any reads bytes), rows read by the sources so far, rows per second, elapsed time,
// rewritten in place every PROGRESS_MS. Reads the metrics block only (shared
// memory, never blocks); prints nothing when the stream is not a terminal.
import type { PhysicalPlan } from '../lib/runtime/scheduler/run';
import type { MetricsSnapshot } from '../lib/runtime/metrics/counters';
import { combineProgress, type ByteProgress } from '../lib/runtime/metrics/rates';
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

/** The sources' bytes read and to read, all instances of all sources together. */
export function bytesRead(snapshot: MetricsSnapshot, sources: readonly number[]): ByteProgress {
	return combineProgress(sources.map((i) => snapshot.stages[i]));
}

/** "12.3 MB", "830.0 kB", "12 B" (decimal units). */
export function formatBytes(n: number): string {
	if (n >= 1e9) return `${(n / 1e9).toFixed(2)} GB`;
	if (n >= 1e6) return `${(n / 1e6).toFixed(1)} MB`;
	if (n >= 1e3) return `${(n / 1e3).toFixed(1)} kB`;
	return `${Math.round(n)} B`;
}

/** "12.3 MB / 200.0 MB (6%)", or "12.3 MB read" when a source cannot know its size. */
export function bytesText(p: ByteProgress): string {
	if (p.bytesTotal <= 0 || p.progress === null) return `${formatBytes(p.bytesRead)} read`;
	const percent = Math.floor(p.progress * 100);
	return `${formatBytes(p.bytesRead)} / ${formatBytes(p.bytesTotal)} (${percent}%)`;
}

/** The line's text; `bytes` leads it when some source reads bytes (not a generator). */
export function progressText(rows: number, elapsedMs: number, bytes?: ByteProgress): string {
	const perSec = elapsedMs > 0 ? (rows * 1000) / elapsedMs : 0;
	const read =
		bytes && (bytes.bytesRead > 0 || bytes.bytesTotal !== 0) ? `${bytesText(bytes)} · ` : '';
	return `${read}${formatCount(rows)} rows · ${formatCount(perSec)} rows/s · ${formatElapsed(elapsedMs)}`;
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
	const draw = () => {
		const snapshot = read();
		const text = progressText(
			rowsRead(snapshot, sources),
			performance.now() - t0,
			bytesRead(snapshot, sources)
		);
		stream.write(`\r\x1b[K${text}`);
	};
	let timer: ReturnType<typeof setInterval> | undefined = setInterval(draw, PROGRESS_MS);
	return () => {
		if (timer === undefined) return;
		clearInterval(timer);
		timer = undefined;
		stream.write('\r\x1b[K');
	};
}
