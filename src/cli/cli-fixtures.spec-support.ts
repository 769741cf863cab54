// Test fixtures for the CLI specs: a recording CliIo and parsed `sluice` arguments.
import { parseCliArgs, type CliOptions } from './args';
import type { CliIo } from './commands';

/** A CliIo that keeps what `sluice` printed: stdout lines and stderr lines. */
export function recordingIo(): CliIo & { lines: string[]; errors: string[] } {
	const lines: string[] = [];
	const errors: string[] = [];
	return {
		lines,
		errors,
		out: (line) => lines.push(line),
		err: (line) => errors.push(line),
		progress: { isTTY: false, write: () => true },
		onInterrupt: () => () => {}
	};
}

/** The options `argv` parses to; throws (failing the test) when it does not parse. */
export function cliOptions(argv: string[]): CliOptions {
	const parsed = parseCliArgs(argv);
	if (!parsed.ok || !('options' in parsed)) throw new Error(JSON.stringify(parsed));
	return parsed.options;
}
