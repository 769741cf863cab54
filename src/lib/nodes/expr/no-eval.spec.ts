import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

// Whole words only: `evaluate(` and `unknownFunction(` are fine.
const FORBIDDEN = [/\beval\s*\(/, /\bnew\s+Function\b/, /\bFunction\s*\(/];
const SELF = 'no-eval.spec.ts';

describe('the expression module', () => {
	it('never evaluates text as code: no eval(, new Function or Function( in its source', () => {
		const dir = new URL('./', import.meta.url);
		const files = readdirSync(dir).filter((f) => f.endsWith('.ts') && f !== SELF);
		expect(files.length).toBeGreaterThan(10);
		for (const file of files) {
			const text = readFileSync(new URL(file, dir), 'utf8');
			for (const pattern of FORBIDDEN) {
				expect(pattern.test(text), `${file} matches ${pattern}`).toBe(false);
			}
		}
	});
	it('would catch each forbidden form and spare look-alikes', () => {
		const samples = ['x = eval(s)', 'new Function("a", s)', 'Function ("return 1")()'];
		samples.forEach((s, i) => expect(FORBIDDEN[i].test(s)).toBe(true));
		expect(FORBIDDEN.some((p) => p.test('evaluate(x); unknownFunction(y)'))).toBe(false);
	});
});
