// The db-benchmark group-by questions Sluice's group-by can express (its aggregates: count, sum,
// mean, min, max, count_distinct; a derive node for q7's difference): q1–q5, q7 and q10. Not
// here: q6 (median, standard deviation), q8 (top 2 per group), q9 (correlation).
// Each question: the SQL the db-benchmark runs on DuckDB, and the same as Sluice nodes.
export interface Question {
	id: string;
	title: string;
	sql: (from: string) => string;
	keys: string[];
	aggregates: { op: 'count' | 'sum' | 'mean' | 'min' | 'max'; column?: string; as: string }[];
	/** A column computed after the group-by (q7). */
	derive?: { column: string; expression: string };
	/** The answer's columns, keys first, as DuckDB names them. */
	columns: string[];
}

const sum = (column: string) => ({ op: 'sum' as const, column, as: column });
const mean = (column: string) => ({ op: 'mean' as const, column, as: column });

function question(
	id: string,
	title: string,
	keys: string[],
	select: string,
	aggregates: Question['aggregates'],
	values: string[],
	derive?: Question['derive']
): Question {
	return {
		id,
		title,
		keys,
		aggregates,
		derive,
		columns: [...keys, ...values],
		sql: (from) => `SELECT ${keys.join(', ')}, ${select} FROM ${from} GROUP BY ${keys.join(', ')}`
	};
}

export const QUESTIONS: Question[] = [
	question('q1', 'sum v1 by id1', ['id1'], 'sum(v1) AS v1', [sum('v1')], ['v1']),
	question('q2', 'sum v1 by id1:id2', ['id1', 'id2'], 'sum(v1) AS v1', [sum('v1')], ['v1']),
	question(
		'q3',
		'sum v1 mean v3 by id3',
		['id3'],
		'sum(v1) AS v1, avg(v3) AS v3',
		[sum('v1'), mean('v3')],
		['v1', 'v3']
	),
	question(
		'q4',
		'mean v1:v3 by id4',
		['id4'],
		'avg(v1) AS v1, avg(v2) AS v2, avg(v3) AS v3',
		[mean('v1'), mean('v2'), mean('v3')],
		['v1', 'v2', 'v3']
	),
	question(
		'q5',
		'sum v1:v3 by id6',
		['id6'],
		'sum(v1) AS v1, sum(v2) AS v2, sum(v3) AS v3',
		[sum('v1'), sum('v2'), sum('v3')],
		['v1', 'v2', 'v3']
	),
	question(
		'q7',
		'max v1 - min v2 by id3',
		['id3'],
		'max(v1) - min(v2) AS range_v1_v2',
		[
			{ op: 'max', column: 'v1', as: 'max_v1' },
			{ op: 'min', column: 'v2', as: 'min_v2' }
		],
		['range_v1_v2'],
		{ column: 'range_v1_v2', expression: 'max_v1 - min_v2' }
	),
	question(
		'q10',
		'sum v3 count by id1:id6',
		['id1', 'id2', 'id3', 'id4', 'id5', 'id6'],
		'sum(v3) AS v3, count(*) AS count',
		[sum('v3'), { op: 'count', as: 'count' }],
		['v3', 'count']
	)
];
