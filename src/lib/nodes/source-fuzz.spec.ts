// Hostile files through every file source (CSV, NDJSON, Arrow IPC, Parquet), run by the real
// engine: random bytes, and valid files truncated, with bytes flipped, inserted, deleted or
// repeated. Every case must end before its deadline with rows or one clear line naming the
// file; none may end through an internal error (a JavaScript TypeError/RangeError text, a
// stack-overflow, a message with a line break) or hang. Seeded: SLUICE_SEED replays a failure.
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { parquetWriteBuffer } from 'hyparquet-writer';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mulberry32, type Prng } from '../runtime/testing/prng';
import { createNodeWorkerPool } from '../runtime/scheduler/node-pool';
import type { WorkerPool } from '../runtime/scheduler/worker-pool';
import { DatasetRegistry, probeDocumentDatasets } from './datasets';
import { collected, line } from './pipeline-fixtures.spec-support';
import { startPipeline } from '../compiler/execute';
import type { Run } from '../runtime/scheduler/run';

// A fixed seed by default, so `npm test` is the same every run; SLUICE_SEED explores others.
const SEED = Number(process.env.SLUICE_SEED ?? 20261203);
const CASES_PER_FORMAT = 24;
/** A folder to keep every case's file in, to replay one by hand. */
const KEEP = process.env.SLUICE_FUZZ_KEEP;
/** A case still going this long after it started is a hang (not a speed figure). */
const DEADLINE_MS = 20_000;
/**
 * The engine's stall watch, shortened: a decoder that loops forever on a damaged file must end
 * the run with a message (scheduler/run.ts), well before the case's deadline.
 */
const STALL_MS = 3000;
/** Texts that only an unhandled exception inside our code or a library would produce. */
const INTERNAL =
	/Cannot read propert|is not a function|is not iterable|undefined is not|null is not|Maximum call stack|Invalid typed array length|out of bounds|Invalid array length|offset is outside|RangeError|TypeError|ReferenceError|\[object /;

const ROWS = 200;
const ids = Array.from({ length: ROWS }, (_, i) => i);
const names = ids.map((i) => (i % 7 === 0 ? `naïve ${i}, "q"` : `name ${i}`));
const amounts = ids.map((i) => i * 1.5 - 40);

function validFile(format: string): Uint8Array {
	switch (format) {
		case 'csv':
			return new TextEncoder().encode(
				'id,name,amount\n' +
					ids.map((i) => `${i},"${names[i].replace(/"/g, '""')}",${amounts[i]}\n`).join('')
			);
		case 'json':
			return new TextEncoder().encode(
				ids
					.map((i) => JSON.stringify({ id: i, name: names[i], amount: amounts[i] }) + '\n')
					.join('')
			);
		case 'arrow':
			return tableToIPC(
				tableFromArrays({
					id: Int32Array.from(ids),
					name: names,
					amount: Float64Array.from(amounts)
				}),
				'stream'
			);
		default: {
			const buffer = parquetWriteBuffer({
				columnData: [
					{ name: 'id', data: Int32Array.from(ids), type: 'INT32' },
					{ name: 'name', data: names, type: 'STRING' },
					{ name: 'amount', data: Float64Array.from(amounts), type: 'DOUBLE' }
				],
				rowGroupSize: 50
			});
			return new Uint8Array(buffer);
		}
	}
}

/** One hostile variant of `valid`, and a word saying what was done to it. */
function mutate(prng: Prng, valid: Uint8Array): { bytes: Uint8Array; how: string } {
	const at = () => prng.int(0, valid.length - 1);
	const how = prng.pick(['random', 'truncate', 'flip', 'insert', 'delete', 'repeat', 'zero']);
	const bytes = Uint8Array.from(valid);
	switch (how) {
		case 'random':
			return { bytes: Uint8Array.from({ length: prng.int(0, 4096) }, () => prng.int(0, 255)), how };
		case 'truncate':
			return { bytes: valid.slice(0, at()), how };
		case 'flip':
			for (let n = prng.int(1, 16); n > 0; n--) bytes[at()] ^= 1 << prng.int(0, 7);
			return { bytes, how };
		case 'insert': {
			const i = at();
			const junk = Uint8Array.from({ length: prng.int(1, 64) }, () => prng.int(0, 255));
			return { bytes: concat(valid.slice(0, i), junk, valid.slice(i)), how };
		}
		case 'delete': {
			const i = at();
			return { bytes: concat(valid.slice(0, i), valid.slice(i + prng.int(1, 64))), how };
		}
		case 'repeat': {
			const i = at();
			const j = Math.min(valid.length, i + prng.int(1, 512));
			return { bytes: concat(valid.slice(0, j), valid.slice(i, j), valid.slice(j)), how };
		}
		default: {
			const i = at();
			bytes.fill(0, i, Math.min(bytes.length, i + prng.int(1, 256)));
			return { bytes, how };
		}
	}
}

function concat(...parts: Uint8Array[]): Uint8Array {
	const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
	let o = 0;
	for (const p of parts) {
		out.set(p, o);
		o += p.length;
	}
	return out;
}

describe(`file sources on hostile bytes (seed ${SEED})`, () => {
	let pool: WorkerPool;
	let dir: string;
	/** The run of the case under way, cancelled when the case passes its deadline. */
	let current: Run | null = null;
	beforeAll(() => {
		pool = createNodeWorkerPool(2);
		dir = mkdtempSync(join(tmpdir(), 'sluice-fuzz-'));
	});
	afterAll(async () => {
		await pool.shutdown();
		rmSync(dir, { recursive: true, force: true });
	});

	/** Probes and runs one file into a collect sink: rows, or the one message the user sees. */
	async function attempt(kind: string, path: string): Promise<{ rows?: number; error?: string }> {
		const doc = line({ id: 'src', kind, params: { source: path } }, { id: 'out', kind: 'collect' });
		const registry = new DatasetRegistry();
		const problems = await probeDocumentDatasets(doc, registry);
		if (problems.length > 0) return { error: problems[0].message };
		const started = startPipeline(doc, pool, { batchRows: 64 }, registry, { stallMs: STALL_MS });
		current = started.run;
		const outcome = await started.outcome;
		current = null;
		// The editor and the CLI show a failure beside its node: the stage's name is part of it.
		if (outcome.status === 'failed')
			return { error: `${outcome.failure.stage}: ${outcome.failure.message}` };
		if (outcome.status === 'invalid')
			return { error: outcome.diagnostics.map((d) => d.message).join(' / ') };
		if (outcome.status !== 'done') return { error: `run ended ${outcome.status}` };
		return { rows: collected(outcome.results.get('out')).numRows };
	}

	for (const [index, kind] of ['csv', 'json', 'arrow', 'parquet'].entries()) {
		it(
			`${kind}: every mutated file gives rows or one clear line naming the file`,
			async () => {
				const prng = mulberry32(SEED + index);
				const valid = validFile(kind);
				const bad: string[] = [];
				for (let n = 0; n < CASES_PER_FORMAT; n++) {
					const { bytes, how } = mutate(prng, valid);
					const file = `case-${n}-${how}.${kind === 'json' ? 'ndjson' : kind}`;
					const path = join(dir, file);
					writeFileSync(path, bytes);
					if (KEEP) writeFileSync(join(KEEP, file), bytes);
					let timer: ReturnType<typeof setTimeout> | undefined;
					const hang = new Promise<{ error: string }>((resolve) => {
						timer = setTimeout(() => {
							current?.cancel();
							resolve({ error: `HANG: no end within ${DEADLINE_MS} ms` });
						}, DEADLINE_MS);
					});
					const r: { rows?: number; error?: string } = await Promise.race([
						attempt(kind, path).catch((e: unknown) => ({
							error: `THROWN: ${e instanceof Error ? e.stack : String(e)}`
						})),
						hang
					]);
					clearTimeout(timer);
					if (r.rows !== undefined) continue;
					const message = r.error ?? '';
					const problem =
						/^HANG|^THROWN/.test(message) ||
						INTERNAL.test(message) ||
						message.includes('\n') ||
						message.trim() === '' ||
						!(message.includes(file) || /^[^:]*\bsrc\b[^:]*: stopped responding/.test(message));
					if (problem) bad.push(`${file} (${bytes.length} bytes): ${message}`);
				}
				expect(bad, `seed ${SEED + index}: cases that did not end cleanly`).toEqual([]);
			},
			CASES_PER_FORMAT * DEADLINE_MS
		);
	}
});
