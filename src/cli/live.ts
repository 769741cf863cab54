// `sluice run --live`: a compact per-edge table (rows/s, MB/s, ring fill, backpressure level and
// share) and the bottleneck sentence, refreshed every LIVE_MS. On a terminal the table is
// redrawn in place (cursor up over the previous table, clear to the end of the screen); on
// anything else a new table is printed every LIVE_PLAIN_MS, plainly, so logs stay readable.
// Reads the run's counters through its own Sampler (shared memory; never blocks the run).
import type { Rates, Topology } from '../lib/runtime/metrics/rates';
import { stageGroups, type InstanceSpread } from '../lib/runtime/metrics/run-figures';
import type { Sampler } from '../lib/runtime/metrics/sampler';
import type { ProgressStream } from './progress';
import { formatCount, formatElapsed, textTable } from './text-table';

export const LIVE_MS = 1000;
export const LIVE_PLAIN_MS = 5000;

function mb(bytesPerSec: number): string {
	const v = bytesPerSec / 1e6;
	return v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2);
}

function pct(x: number): string {
	return `${Math.round(x * 100)}%`;
}

/** A stage's ms per second: the instances' mean, and their max when there are several. */
function msCell(x: InstanceSpread): string {
	const mean = String(Math.round(x.mean));
	return x.instances > 1 ? `${mean} (max ${Math.round(x.max)})` : mean;
}

/**
 * The table's lines for one window of rates: a heading, the edges, the stages (ms per second
 * per instance; parallel instances as one line, ×N, with their mean and max), the bottleneck.
 * Pure.
 */
export function renderLiveTable(
	rates: Rates,
	topology: Topology,
	heading = `last ${formatElapsed(rates.windowMs)}`
): string[] {
	const rows = rates.edges.map((e, i) => [
		topology.edgeNames[i] ?? `edge ${i}`,
		formatCount(e.rowsPerSec),
		mb(e.bytesPerSec),
		pct(e.fill),
		// The level as a word as well as a share, so no colour is needed to read it.
		`${e.level.padEnd(4)} ${pct(e.backpressure).padStart(4)}`
	]);
	const table = textTable(
		[
			{ header: 'edge', right: false },
			{ header: 'rows/s', right: true },
			{ header: 'MB/s', right: true },
			{ header: 'fill', right: true },
			{ header: 'backpressure', right: false }
		],
		rows
	);
	const stages = textTable(
		[
			{ header: 'stage', right: false },
			{ header: 'busy ms/s', right: true },
			{ header: 'idle', right: true },
			{ header: 'backpr.', right: true },
			{ header: 'rows in/s', right: true }
		],
		stageGroups(rates, topology).map((g) => [
			g.instances > 1 ? `${g.name} ×${g.instances}` : g.name,
			msCell(g.busyMsPerSec),
			msCell(g.idleMsPerSec),
			msCell(g.backpressuredMsPerSec),
			formatCount(g.rowsInPerSec)
		])
	);
	const b = rates.bottleneck;
	const bottleneck = b
		? `bottleneck: ${topology.stageNames[b.stage] ?? `stage ${b.stage}`} — ${b.reason}`
		: 'bottleneck: none (no edge is backpressured)';
	return [heading, ...table, ...stages, bottleneck];
}

/**
 * Draws the live table on `stream` every LIVE_MS (LIVE_PLAIN_MS when it is not a terminal);
 * `heading` gives the line above the table (e.g. rows so far, elapsed). Returns a function
 * that stops it; the last table stays on screen.
 */
export function startLive(
	stream: ProgressStream,
	sampler: Pick<Sampler, 'sample'>,
	topology: Topology,
	heading: () => string
): () => void {
	const tty = stream.isTTY === true;
	let drawn = 0;
	sampler.sample();
	const draw = () => {
		const rates = sampler.sample();
		if (!rates) return;
		const lines = renderLiveTable(rates, topology, heading());
		// Cursor to the start of the previous table's first line, then clear to the screen's end.
		const rewind = tty && drawn > 0 ? `\x1b[${drawn}F\x1b[J` : tty ? '' : '\n';
		stream.write(rewind + lines.join('\n') + '\n');
		drawn = lines.length;
	};
	let timer: ReturnType<typeof setInterval> | undefined = setInterval(
		draw,
		tty ? LIVE_MS : LIVE_PLAIN_MS
	);
	return () => {
		if (timer === undefined) return;
		clearInterval(timer);
		timer = undefined;
	};
}
