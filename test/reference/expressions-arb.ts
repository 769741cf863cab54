// fast-check arbitraries of well-typed expression text over a schema: comparisons, arithmetic,
// and/or/not, is null, in, coalesce, if, string, math and date functions, with nulls. Each
// arbitrary yields source text of a known type; the reference and the engine both parse it.
import fc from 'fast-check';
import type { ColumnType } from '../../src/lib/runtime/contracts';
import { exprTypeOfColumn } from './expression';

export type Ty = 'int' | 'float' | 'bool' | 'string' | 'timestamp';

export interface GenField {
	name: string;
	type: ColumnType;
}

const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'is', 'null', 'true', 'false']);

/** A column reference: bare when it is a plain identifier, backquoted otherwise. */
export function columnRef(name: string): string {
	return /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && !KEYWORDS.has(name.toLowerCase())
		? name
		: `\`${name}\``;
}

export function quote(s: string): string {
	return "'" + s.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\t/g, '\\t') + "'";
}

const num = (v: number) => (v < 0 ? `(${v})` : String(v));
const FLOAT_TEXT = ['0.5', '2.25', '1e3', '1.5e-1', '.75', '100.0', '(-3.5)', '0.0'];
const STRING_TEXT = ['', 'a', 'A', ' x ', 'É', 'ß', '😀', 'Ａ', '_1', '_10', 'x y', '\tt\u00a0'];
const TIME_TEXT = ['2024-03-01', '2024-07-15T12:30:00Z', '2023-12-31', '2025-01-01T00:00:00Z'];

/** Arbitraries of expression text by result type, over the columns of `fields`. */
export function expressionArbs(
	fields: readonly GenField[],
	labels: readonly string[]
): Record<Ty, fc.Arbitrary<string>> & { available: Ty[] } {
	const ofType = (t: Ty) =>
		fields.filter((f) => exprTypeOfColumn(f.type) === t).map((f) => columnRef(f.name));
	const cols = {
		int: ofType('int'),
		float: ofType('float'),
		bool: ofType('bool'),
		string: ofType('string'),
		timestamp: ofType('timestamp')
	};
	const hasTime = cols.timestamp.length > 0;
	const leaf = (names: string[], literals: fc.Arbitrary<string>) =>
		names.length ? fc.oneof(fc.constantFrom(...names), literals) : literals;
	const intLit = fc.integer({ min: -5, max: 9 }).map(num);
	const wideInt = fc.integer({ min: -10, max: 1200 }).map(num);
	const floatLit = fc.oneof(
		fc.constantFrom(...FLOAT_TEXT),
		fc.integer({ min: -100_000, max: 100_000 }).map((v) => num(v / 100 + 0.5))
	);
	const strLit = fc
		.oneof(
			fc.constantFrom(...STRING_TEXT),
			fc
				.tuple(fc.constantFrom(...labels, 'a'), fc.integer({ min: 0, max: 12 }))
				.map(([l, k]) => `${l}_${k}`)
		)
		.map(quote);
	const timeLit = fc.constantFrom(...TIME_TEXT).map((s) => `"${s}"`);
	const depth = { maxDepth: 3, depthIdentifier: 'expr', depthSize: 'small' as const };
	const bin = (a: string, op: string, b: string) => `(${a} ${op} ${b})`;
	const fn = (name: string, ...args: string[]) => `${name}(${args.join(', ')})`;
	const cmpOps = fc.constantFrom('==', '!=', '<', '<=', '>', '>=');

	const arbs = fc.letrec<Record<Ty | 'num' | 'any', string>>((tie) => {
		const t = (k: Ty | 'num' | 'any') => tie(k) as fc.Arbitrary<string>;
		const ifOf = (k: Ty | 'num') =>
			fc.tuple(t('bool'), t(k), t(k)).map(([c, a, b]) => fn('if', c, a, b));
		const coalesceOf = (k: Ty) =>
			fc
				.array(fc.oneof({ weight: 4, arbitrary: t(k) }, fc.constant('null')), {
					minLength: 1,
					maxLength: 3
				})
				.map((args) => fn('coalesce', ...args));
		const minMax = (a: Ty | 'num', b: Ty | 'num') =>
			fc.tuple(fc.constantFrom('min', 'max'), t(a), t(b)).map(([f, x, y]) => fn(f, x, y));
		const types: Ty[] = ['int', 'float', 'bool', 'string', ...(hasTime ? ['timestamp' as Ty] : [])];
		return {
			num: fc.oneof(t('int'), t('float')),
			any: fc.oneof(...types.map((k) => t(k))),
			int: fc.oneof(
				depth,
				leaf(cols.int, intLit),
				fc
					.tuple(t('int'), fc.constantFrom('+', '-', '%'), t('int'))
					.map(([a, op, b]) => bin(a, op, b)),
				fc.tuple(t('int'), intLit).map(([a, k]) => bin(a, '*', k)),
				t('int').map((a) => `-(${a})`),
				fc
					.tuple(fc.constantFrom('abs', 'floor', 'ceil', 'round'), t('int'))
					.map(([f, a]) => fn(f, a)),
				fc.tuple(t('int'), fc.integer({ min: -2, max: 2 })).map(([a, d]) => fn('round', a, num(d))),
				t('string').map((s) => fn('length', s)),
				...(hasTime
					? [
							fc
								.tuple(fc.constantFrom('year', 'month', 'day', 'hour'), t('timestamp'))
								.map(([f, a]) => fn(f, a))
						]
					: []),
				minMax('int', 'int'),
				ifOf('int'),
				coalesceOf('int')
			),
			float: fc.oneof(
				depth,
				leaf(cols.float, floatLit),
				fc
					.tuple(t('num'), fc.constantFrom('+', '-', '*', '/', '%'), t('num'))
					.map(([a, op, b]) => bin(a, op, b)),
				fc
					.tuple(fc.constantFrom('sqrt', 'log', 'exp', 'abs', 'floor', 'ceil', 'round'), t('float'))
					.map(([f, a]) => fn(f, a)),
				fc.tuple(t('num'), t('num')).map(([a, b]) => fn('pow', a, b)),
				fc.tuple(t('float'), t('int')).map(([a, d]) => fn('round', a, `(${d} % 4)`)),
				minMax('float', 'num'),
				ifOf('num').map((e) => `(${e} * 1.0)`),
				coalesceOf('float')
			),
			bool: fc.oneof(
				depth,
				leaf(cols.bool, fc.constantFrom('true', 'false')),
				fc.tuple(t('num'), cmpOps, t('num')).map(([a, op, b]) => bin(a, op, b)),
				fc
					.tuple(
						fc.constantFrom(...cols.int, ...cols.float, '1'),
						cmpOps,
						fc.oneof(wideInt, floatLit)
					)
					.map(([a, op, b]) => bin(a, op, b)),
				fc
					.tuple(t('string'), cmpOps, fc.oneof(t('string'), strLit))
					.map(([a, op, b]) => bin(a, op, b)),
				...(hasTime
					? [
							fc
								.tuple(t('timestamp'), cmpOps, fc.oneof(t('timestamp'), timeLit))
								.map(([a, op, b]) => bin(a, op, b))
						]
					: []),
				fc
					.tuple(t('bool'), fc.constantFrom('==', '!='), t('bool'))
					.map(([a, op, b]) => bin(a, op, b)),
				{
					weight: 4,
					arbitrary: fc
						.tuple(t('bool'), fc.constantFrom('and', '&&', 'or', '||'), t('bool'))
						.map(([a, op, b]) => bin(a, op, b))
				},
				fc.tuple(fc.constantFrom('not ', '!'), t('bool')).map(([op, a]) => `${op}(${a})`),
				fc.tuple(t('any'), fc.boolean()).map(([a, neg]) => `(${a} is ${neg ? 'not ' : ''}null)`),
				fc
					.tuple(t('int'), fc.uniqueArray(wideInt, { minLength: 1, maxLength: 4 }), fc.boolean())
					.map(([a, items, neg]) => `(${a} ${neg ? 'not in' : 'in'} (${items.join(', ')}))`),
				fc
					.tuple(t('string'), fc.uniqueArray(strLit, { minLength: 1, maxLength: 3 }), fc.boolean())
					.map(([a, items, neg]) => `(${a} ${neg ? 'not in' : 'in'} (${items.join(', ')}))`),
				fc
					.tuple(
						fc.constantFrom('contains', 'starts_with', 'ends_with'),
						t('string'),
						fc.oneof(t('string'), strLit)
					)
					.map(([f, s, p]) => fn(f, s, p)),
				ifOf('bool'),
				coalesceOf('bool')
			),
			string: fc.oneof(
				depth,
				leaf(cols.string, strLit),
				fc.tuple(fc.constantFrom('lower', 'upper', 'trim'), t('string')).map(([f, s]) => fn(f, s)),
				fc.tuple(t('string'), t('int'), t('int')).map(([s, a, b]) => fn('substring', s, a, b)),
				fc.array(t('any'), { minLength: 1, maxLength: 3 }).map((args) => fn('concat', ...args)),
				ifOf('string'),
				coalesceOf('string')
			),
			timestamp: hasTime
				? fc.oneof(
						depth,
						fc.constantFrom(...cols.timestamp),
						fc.tuple(t('timestamp'), timeLit).map(([a, l]) => fn('coalesce', a, l)),
						minMax('timestamp', 'timestamp'),
						ifOf('timestamp')
					)
				: fc.constant('null')
		};
	});
	const available: Ty[] = ['int', 'float', 'bool', 'string'];
	if (hasTime) available.push('timestamp');
	return { ...arbs, available };
}
