// Command-line arguments of `sluice`: the command, the pipeline file and the options, or one
// sentence saying what is wrong with them (the caller prints it and exits 2).
import { parseArgs } from 'node:util';

export const USAGE = `Usage:
  sluice run <pipeline.json> [options]      run a pipeline and print its sinks' results
  sluice explain <pipeline.json> [options]  print the physical plan without running it

Options:
  --workers N        worker threads (default and most: every core)
  --budget SIZE      shared memory for batches in flight, e.g. 512MiB, 1GB (default 256MiB);
                     KB/MB/GB are powers of 1000, KiB/MiB/GiB powers of 1024, plain = bytes
  --batch-rows N     rows per batch (default 16384)
  --metrics FILE     run: write the run's metrics report as JSON (format 'sluice-metrics':
                     per edge, stage and worker totals and time series, and the bottleneck)
  --live             run: a per-edge table (rows/s, MB/s, ring fill, backpressure) and the
                     bottleneck, redrawn every second on a terminal (every 5 s otherwise)
  --out FILE         run: write the sink's result to FILE as CSV, Arrow IPC or Parquet
                     (by its extension .csv/.arrow/.parquet, or --format)
  --format FORMAT    run: the --out format: csv, arrow or parquet
  --sink NAME        run: the sink --out writes (node id or label) when there are several
  --quiet            run: print no progress and no results, only errors
  -h, --help         show this help`;

export type Command = 'run' | 'explain';

export interface CliOptions {
	command: Command;
	file: string;
	/** Undefined: the default for this machine. */
	workers?: number;
	budgetBytes?: number;
	batchRows?: number;
	metricsFile?: string;
	/** --live: the per-edge table while the run streams, instead of the progress line. */
	live?: boolean;
	/** --out: file the chosen sink's result is written to; --format; --sink. */
	outFile?: string;
	outFormat?: string;
	sink?: string;
	quiet: boolean;
}

export type ParsedArgs =
	{ ok: true; options: CliOptions } | { ok: true; help: true } | { ok: false; message: string };

/** Most workers accepted; a typo like 10000 is refused rather than spawning them. */
export const MAX_WORKERS = 256;
/** Most rows per batch accepted. */
export const MAX_BATCH_ROWS = 1 << 24;

const UNITS: Record<string, number> = {
	b: 1,
	kb: 1e3,
	mb: 1e6,
	gb: 1e9,
	kib: 1024,
	mib: 1024 ** 2,
	gib: 1024 ** 3
};

/** Bytes of a size like "512MB", "1.5 GiB" or "65536"; null when the text is not a size. */
export function parseSize(text: string): number | null {
	const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
	if (!match) return null;
	const unit = UNITS[(match[2] || 'b').toLowerCase()];
	if (unit === undefined) return null;
	const bytes = Math.round(Number(match[1]) * unit);
	return Number.isSafeInteger(bytes) && bytes > 0 ? bytes : null;
}

function wholeNumber(flag: string, text: string, max: number): number | string {
	const n = /^\s*\d+\s*$/.test(text) ? Number(text) : NaN;
	if (!(n >= 1 && n <= max)) {
		return `--${flag} must be a whole number from 1 to ${max}, got '${text}'`;
	}
	return n;
}

export function parseCliArgs(argv: readonly string[]): ParsedArgs {
	let parsed;
	try {
		parsed = parseArgs({
			args: [...argv],
			allowPositionals: true,
			strict: true,
			options: {
				workers: { type: 'string' },
				budget: { type: 'string' },
				'batch-rows': { type: 'string' },
				metrics: { type: 'string' },
				out: { type: 'string' },
				format: { type: 'string' },
				sink: { type: 'string' },
				live: { type: 'boolean', default: false },
				quiet: { type: 'boolean', default: false },
				help: { type: 'boolean', short: 'h', default: false }
			}
		});
	} catch (error) {
		// node:util's messages name the flag ("Unknown option '--wokers'"); keep their first line.
		const detail = error instanceof Error ? error.message.split('\n')[0] : String(error);
		return { ok: false, message: detail.replace(/\.\s*To specify.*$/, '') };
	}
	const { values, positionals } = parsed;
	if (values.help || positionals[0] === 'help') return { ok: true, help: true };

	const [command, file, ...extra] = positionals;
	if (command === undefined) return { ok: false, message: 'no command given: use run or explain' };
	if (command !== 'run' && command !== 'explain') {
		return { ok: false, message: `unknown command '${command}': use run or explain` };
	}
	if (file === undefined) return { ok: false, message: `${command} needs a pipeline file` };
	if (extra.length > 0) {
		return { ok: false, message: `${command} takes one pipeline file; also got '${extra[0]}'` };
	}

	const options: CliOptions = { command, file, quiet: values.quiet };
	if (values.workers !== undefined) {
		const n = wholeNumber('workers', values.workers, MAX_WORKERS);
		if (typeof n === 'string') return { ok: false, message: n };
		options.workers = n;
	}
	if (values['batch-rows'] !== undefined) {
		const n = wholeNumber('batch-rows', values['batch-rows'], MAX_BATCH_ROWS);
		if (typeof n === 'string') return { ok: false, message: n };
		options.batchRows = n;
	}
	if (values.budget !== undefined) {
		const bytes = parseSize(values.budget);
		if (bytes === null) {
			return {
				ok: false,
				message: `--budget must be a size like 512MiB or 2GB, got '${values.budget}'`
			};
		}
		options.budgetBytes = bytes;
	}
	if (values.metrics !== undefined) {
		if (command !== 'run') return { ok: false, message: '--metrics applies to run only' };
		if (values.metrics === '') return { ok: false, message: '--metrics needs a file name' };
		options.metricsFile = values.metrics;
	}
	if (values.live) {
		if (command !== 'run') return { ok: false, message: '--live applies to run only' };
		if (values.quiet) return { ok: false, message: '--live and --quiet contradict: choose one' };
		options.live = true;
	}
	for (const flag of ['out', 'format', 'sink'] as const) {
		const value = values[flag];
		if (value === undefined) continue;
		if (command !== 'run') return { ok: false, message: `--${flag} applies to run only` };
		if (value === '') return { ok: false, message: `--${flag} needs a value` };
	}
	if ((values.format !== undefined || values.sink !== undefined) && values.out === undefined)
		return { ok: false, message: '--format and --sink go with --out FILE' };
	options.outFile = values.out;
	options.outFormat = values.format;
	options.sink = values.sink;
	return { ok: true, options };
}
