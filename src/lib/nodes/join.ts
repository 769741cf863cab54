// Transform: hash join of two inputs on one or more key pairs. The right input is the build
// side and must fit in memory; the left input streams through (see kernels/join-probe.ts).
// Output: every left column, then the right columns except its join keys, a right column whose
// name the left side already uses renamed with `rightPrefix`. SQL semantics: a null key never
// matches; 'left' keeps unmatched left rows with nulls on the right; a key duplicated on the
// right gives one row per match. Runs as one instance (not partitionable).
import * as v from 'valibot';
import type { ColumnType } from '../runtime/contracts';
import type { FrameSchema } from '../runtime/batch/types';
import { keyMode } from './kernels/join-keys';
import { joinKernel } from './kernels/join-probe';
import type { NodeDefinition, NodeProblem } from './types';

const keyPair = v.object({ left: v.string(), right: v.string() });

const params = v.object({
	type: v.optional(v.picklist(['inner', 'left'], "type must be 'inner' or 'left'"), 'inner'),
	/** Key pairs, all of which must be equal for rows to match. */
	on: v.optional(v.array(keyPair), []),
	/** Prefix of right columns whose names the left side already uses. */
	rightPrefix: v.optional(v.string(), 'right_'),
	/** Bytes the build side may hold (default and ceiling: the run's memory budget). */
	maxBuildBytes: v.optional(
		v.pipe(v.number(), v.integer(), v.minValue(1, 'maxBuildBytes must be at least 1'))
	)
});
type Params = v.InferOutput<typeof params>;

type Inferred = { ok: true; schema: FrameSchema } | { ok: false; problems: NodeProblem[] };

/** The join's output schema, or the problems of its keys and names. */
export function joinSchema(left: FrameSchema, right: FrameSchema, p: Params): Inferred {
	const problems: NodeProblem[] = [];
	if (p.on.length === 0)
		problems.push({ param: 'on', message: 'choose at least one pair of key columns to join on' });
	for (const pair of p.on) {
		const l = left.names.indexOf(pair.left);
		const r = right.names.indexOf(pair.right);
		if (l < 0)
			problems.push({
				param: 'on',
				message: `unknown left column '${pair.left}' (left columns: ${left.names.join(', ')})`
			});
		if (r < 0)
			problems.push({
				param: 'on',
				message: `unknown right column '${pair.right}' (right columns: ${right.names.join(', ')})`
			});
		if (l >= 0 && r >= 0 && !keyMode(left.types[l], right.types[r]))
			problems.push({
				param: 'on',
				message:
					`key columns '${pair.left}' (${left.types[l]}, left) and '${pair.right}' ` +
					`(${right.types[r]}, right) have types that cannot be compared — cast one of them`
			});
	}
	if (problems.length) return { ok: false, problems };
	const keys = new Set(p.on.map((pair) => pair.right));
	const names = [...left.names];
	const types: ColumnType[] = [...left.types];
	const taken = new Set(names);
	right.names.forEach((name, c) => {
		if (keys.has(name)) return;
		const out = taken.has(name) ? p.rightPrefix + name : name;
		if (taken.has(out)) {
			problems.push({
				param: 'rightPrefix',
				message: `right column '${name}' would be named '${out}', which is taken: choose another rightPrefix`
			});
			return;
		}
		taken.add(out);
		names.push(out);
		types.push(right.types[c]);
	});
	return problems.length ? { ok: false, problems } : { ok: true, schema: { names, types } };
}

export const join: NodeDefinition<Params> = {
	kind: 'join',
	title: 'Join',
	category: 'transform',
	description:
		'Match rows of two tables on key columns (hash join). The right table is held in memory: put the smaller one there.',
	inputs: [
		{ name: 'left', label: 'Left (streamed)' },
		{ name: 'right', label: 'Right (held in memory)' }
	],
	outputs: [{ name: 'out' }],
	params,
	defaults: { type: 'inner', on: [], rightPrefix: 'right_' },
	fields: [
		{ name: 'type', label: 'Join type', control: 'select', options: ['inner', 'left'] },
		{ name: 'on', label: 'Keys', control: 'json', help: '[{ left: "column", right: "column" }]' },
		{ name: 'rightPrefix', label: 'Prefix for clashing right columns', control: 'text' },
		{
			name: 'maxBuildBytes',
			label: 'Right side memory limit (bytes)',
			control: 'integer',
			help: 'Empty: the run’s memory budget.'
		}
	],
	// Blocking on its right input (nothing is emitted before it ended); one instance.
	traits: { stateless: false, blocking: true, partitionable: false },
	summary: (p) =>
		p.on.length === 0
			? `${p.type} join (no keys)`
			: `${p.type} join on ${p.on.map((k) => (k.left === k.right ? k.left : `${k.left} = ${k.right}`)).join(', ')}`,
	usedColumns([left, right], p, [used]) {
		if (used === null) return [null, null];
		const leftNames = new Set(left.names);
		const l = new Set(p.on.map((k) => k.left));
		const r = new Set(p.on.map((k) => k.right));
		for (const name of right.names) {
			if (!leftNames.has(name)) {
				if (used.has(name)) r.add(name);
			} else if (used.has(p.rightPrefix + name)) {
				// Read as `right_<name>` only while the left has a `<name>`: keep the left's too.
				r.add(name);
				l.add(name);
			}
		}
		for (const name of left.names) if (used.has(name)) l.add(name);
		return [l, r];
	},
	inferSchema([left, right], p) {
		const inferred = joinSchema(left, right, p);
		return inferred.ok ? { ok: true, outputs: [inferred.schema] } : inferred;
	},
	kernel: joinKernel
};
