// `sluice` on the command line: runs a pipeline file on Node worker_threads, or explains its
// plan. `bin/sluice.mjs` registers tsx and calls `main`; the return value is the exit code.
import { parseCliArgs, USAGE } from './args';
import type { CliIo } from './commands';
import { EXIT } from './exit-codes';

/** Process streams and signals; a second Ctrl-C while a run is stopping exits at once. */
export function processIo(): CliIo {
	return {
		out: (line) => process.stdout.write(line + '\n'),
		err: (line) => process.stderr.write(line + '\n'),
		progress: process.stderr,
		onInterrupt(handler) {
			let seen = false;
			const listener = () => {
				if (seen) process.exit(EXIT.INTERRUPTED);
				seen = true;
				handler();
			};
			process.on('SIGINT', listener);
			process.on('SIGTERM', listener);
			return () => {
				process.off('SIGINT', listener);
				process.off('SIGTERM', listener);
			};
		}
	};
}

export async function main(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
	const parsed = parseCliArgs(argv);
	if (!parsed.ok) {
		io.err(`error: ${parsed.message} (sluice --help lists the options)`);
		return EXIT.USAGE;
	}
	if ('help' in parsed) {
		io.out(USAGE);
		return EXIT.OK;
	}
	try {
		// Loaded only now, so `--help` and bad flags answer without loading the engine.
		const { explainCommand, runCommand } = await import('./commands');
		return parsed.options.command === 'run'
			? await runCommand(parsed.options, io)
			: await explainCommand(parsed.options, io);
	} catch (error) {
		// A bug, not a user error: still one line, and a failure code.
		io.err(`error: ${error instanceof Error ? error.message : String(error)}`);
		return EXIT.FAILED;
	}
}
