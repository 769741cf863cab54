import { describe, expect, it } from 'vitest';
import { MAX_WORKERS, parseCliArgs, parseSize } from './args';

function options(...argv: string[]) {
	const parsed = parseCliArgs(argv);
	if (!parsed.ok || !('options' in parsed))
		throw new Error(`expected options for ${argv.join(' ')}`);
	return parsed.options;
}

function problem(...argv: string[]): string {
	const parsed = parseCliArgs(argv);
	if (parsed.ok) throw new Error(`expected a problem for ${argv.join(' ')}`);
	return parsed.message;
}

describe('sizes', () => {
	it('reads decimal and binary units in any case, with or without a space', () => {
		expect(parseSize('512MB')).toBe(512_000_000);
		expect(parseSize('512MiB')).toBe(512 * 1024 * 1024);
		expect(parseSize('1.5 GiB')).toBe(1.5 * 1024 ** 3);
		expect(parseSize('64kib')).toBe(65_536);
		expect(parseSize('2gb')).toBe(2e9);
		expect(parseSize('4096')).toBe(4096);
		expect(parseSize('10KB')).toBe(10_000);
	});

	it('refuses text that is not a positive size', () => {
		for (const text of ['', 'lots', 'MB', '-5MB', '0', '12XB', '1e3MB', '5 M B', '0.1B'])
			expect(parseSize(text), text).toBeNull();
	});
});

describe('command-line arguments', () => {
	it('gives run its file and every option', () => {
		expect(
			options(
				'run',
				'p.json',
				'--workers',
				'3',
				'--budget',
				'64MiB',
				'--batch-rows',
				'1000',
				'--metrics',
				'm.json',
				'--quiet'
			)
		).toEqual({
			command: 'run',
			file: 'p.json',
			workers: 3,
			budgetBytes: 64 << 20,
			batchRows: 1000,
			metricsFile: 'm.json',
			quiet: true
		});
	});

	it('leaves unset options undefined so the machine defaults apply', () => {
		expect(options('explain', 'p.json')).toEqual({
			command: 'explain',
			file: 'p.json',
			quiet: false
		});
	});

	it('takes options before the command too, and --opt=value', () => {
		expect(options('--workers=2', 'run', 'p.json').workers).toBe(2);
	});

	it('answers --help, -h and help with the usage', () => {
		for (const argv of [['--help'], ['-h'], ['help'], ['run', 'p.json', '--help']])
			expect(parseCliArgs(argv), argv.join(' ')).toEqual({ ok: true, help: true });
	});

	it('names what is wrong with the command and the file', () => {
		expect(problem()).toBe('no command given: use run or explain');
		expect(problem('go', 'p.json')).toBe("unknown command 'go': use run or explain");
		expect(problem('run')).toBe('run needs a pipeline file');
		expect(problem('run', 'a.json', 'b.json')).toBe(
			"run takes one pipeline file; also got 'b.json'"
		);
	});

	it('turns the live table on with --live', () => {
		const parsed = parseCliArgs(['run', 'p.json', '--live']);
		expect(parsed.ok && 'options' in parsed && parsed.options.live).toBe(true);
	});

	it('names the flag and the value it refuses', () => {
		expect(problem('run', 'p', '--workers', '0')).toBe(
			`--workers must be a whole number from 1 to ${MAX_WORKERS}, got '0'`
		);
		expect(problem('run', 'p', '--workers', 'two')).toMatch(/^--workers .* got 'two'$/);
		expect(problem('run', 'p', '--workers', '100000')).toMatch(/^--workers must be/);
		expect(problem('run', 'p', '--batch-rows', '1.5')).toMatch(/^--batch-rows .* got '1.5'$/);
		expect(problem('run', 'p', '--budget', 'lots')).toBe(
			"--budget must be a size like 512MiB or 2GB, got 'lots'"
		);
		expect(problem('explain', 'p', '--metrics', 'm.json')).toBe('--metrics applies to run only');
		expect(problem('explain', 'p', '--live')).toBe('--live applies to run only');
		expect(problem('run', 'p', '--live', '--quiet')).toBe(
			'--live and --quiet contradict: choose one'
		);
		expect(problem('run', 'p', '--frob')).toMatch(/'--frob'/);
		expect(problem('run', 'p', '--workers')).toMatch(/--workers/);
	});
});
