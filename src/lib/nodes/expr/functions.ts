// The functions expressions may call: name, arity and the signature shown in completions.
// Typing rules live in the checker; kernels in the kernel files. Lookups are case-insensitive.

/**
 * What an argument must be: 'number' (int or float), 'int', 'string', 'temporal' (date or
 * timestamp), 'bool', 'any'. Every argument may also be null.
 */
export type ParamKind = 'number' | 'int' | 'string' | 'temporal' | 'bool' | 'any';

export interface FunctionInfo {
	name: string;
	params: ParamKind[];
	/** How many of `params` may be left out at the end. */
	optional: number;
	/** The last param repeats (concat, coalesce). */
	variadic: boolean;
	/** Signature and one-line description, for completions. */
	detail: string;
}

function fn(name: string, params: ParamKind[], detail: string, optional = 0, variadic = false) {
	return { name, params, optional, variadic, detail };
}

export const FUNCTIONS: readonly FunctionInfo[] = [
	fn('if', ['bool', 'any', 'any'], 'if(cond, then, else): then when cond is true, else otherwise'),
	fn('coalesce', ['any'], 'coalesce(a, b, ...): the first argument that is not null', 0, true),
	fn('lower', ['string'], 'lower(s: string) → string'),
	fn('upper', ['string'], 'upper(s: string) → string'),
	fn('length', ['string'], 'length(s: string) → int: characters (code points)'),
	fn('contains', ['string', 'string'], 'contains(s, part: string) → bool'),
	fn('starts_with', ['string', 'string'], 'starts_with(s, prefix: string) → bool'),
	fn('ends_with', ['string', 'string'], 'ends_with(s, suffix: string) → bool'),
	fn('concat', ['any'], 'concat(a, b, ...) → string: joins values as text', 0, true),
	fn(
		'substring',
		['string', 'int', 'int'],
		'substring(s, start, len) → string: len characters from start (first is 1)'
	),
	fn('trim', ['string'], 'trim(s: string) → string: without surrounding whitespace'),
	fn('abs', ['number'], 'abs(x) → number'),
	fn('round', ['number', 'int'], 'round(x[, digits]) → number: halves away from zero', 1),
	fn('floor', ['number'], 'floor(x) → number'),
	fn('ceil', ['number'], 'ceil(x) → number'),
	fn('sqrt', ['number'], 'sqrt(x) → float: null when x < 0'),
	fn('log', ['number'], 'log(x) → float: natural log, null when x <= 0'),
	fn('exp', ['number'], 'exp(x) → float'),
	fn('pow', ['number', 'number'], 'pow(x, y) → float: null when undefined (pow(-8, 0.5))'),
	fn('min', ['any', 'any'], 'min(a, b): the smaller of two numbers or dates'),
	fn('max', ['any', 'any'], 'max(a, b): the larger of two numbers or dates'),
	fn('year', ['temporal'], 'year(d: date or timestamp) → int'),
	fn('month', ['temporal'], 'month(d: date or timestamp) → int: 1..12'),
	fn('day', ['temporal'], 'day(d: date or timestamp) → int: 1..31'),
	fn('hour', ['temporal'], 'hour(t: date or timestamp) → int: 0..23 (UTC; 0 for a date)')
];

const BY_NAME = new Map(FUNCTIONS.map((f) => [f.name, f]));

export function findFunction(name: string): FunctionInfo | undefined {
	return BY_NAME.get(name.toLowerCase());
}

/** "1 argument", "1 or 2 arguments", "at least 1 argument". */
export function arityText(f: FunctionInfo): string {
	const max = f.params.length;
	const min = max - f.optional;
	const unit = (k: number) => (k === 1 ? 'argument' : 'arguments');
	if (f.variadic) return `at least ${min} ${unit(min)}`;
	if (min === max) return `${max} ${unit(max)}`;
	return `${min} or ${max} ${unit(max)}`;
}
