// What sort, top-k, join and group-by tell the user when their state cannot fit: one builder per message,
// so the wording is consistent and tests can match it.

/** Bytes as a person reads them: "256 MiB", "1.5 GiB", "64 KiB", "900 bytes". */
export function formatBytes(bytes: number): string {
	const units = ['bytes', 'KiB', 'MiB', 'GiB', 'TiB'];
	let value = bytes;
	let u = 0;
	while (value >= 1024 && u < units.length - 1) {
		value /= 1024;
		u++;
	}
	if (u === 0) return `${bytes} bytes`;
	return `${Number.isInteger(value) ? value : value.toFixed(1)} ${units[u]}`;
}

function formatRows(rows: number): string {
	return rows.toLocaleString('en-US');
}

export const sortMessages = {
	/** A group-by's int64/uint64 sum left its type's range (it is never wrapped). */
	sumOverflow: (aggregate: string, type: 'int64' | 'uint64', sum: bigint, value: bigint) =>
		`sum '${aggregate}' overflows ${type} (${type === 'int64' ? '-9223372036854775808 to 9223372036854775807' : '0 to 18446744073709551615'}): ` +
		`${sum} + ${value} — cast the column to float64 first to sum it approximately`,
	/** A sort or top-k holds more input than the run's memory budget. */
	overBudget: (kind: string, node: string, budgetBytes: number, rows: number) =>
		`${kind} '${node}': input exceeds the memory budget of ${formatBytes(budgetBytes)} after ` +
		`${formatRows(rows)} rows — raise the budget or filter first`,
	/** A join's build side holds more than it may. */
	buildOverBudget: (
		node: string,
		neededBytes: number,
		limitBytes: number,
		rows: number,
		byParam: boolean
	) =>
		`join '${node}': build side (right input) needed ${formatBytes(neededBytes)} after ` +
		`${formatRows(rows)} rows, more than the ${byParam ? 'maxBuildBytes limit' : 'memory budget'} ` +
		`of ${formatBytes(limitBytes)} — put the smaller table on the right or raise the ` +
		`${byParam ? 'limit' : 'budget'}`,
	/**
	 * A join whose inputs share an upstream held its left rows while reading the right input,
	 * and the two outgrew the budget.
	 */
	backlogOverBudget: (
		node: string,
		neededBytes: number,
		limitBytes: number,
		buildRows: number,
		leftRows: number
	) =>
		`join '${node}': both inputs come from one source, so the ${formatRows(leftRows)} left rows ` +
		`that arrived while the right input was read are held too: with ${formatRows(buildRows)} ` +
		`right rows they needed ${formatBytes(neededBytes)}, more than the memory budget of ` +
		`${formatBytes(limitBytes)} — raise the budget, or filter or shrink the right input`,
	/** A group-by's groups outgrew its share of the run's memory budget (no spilling yet). */
	groupsOverBudget: (node: string, groups: number, heldBytes: number, limitBytes: number) =>
		`group-by '${node}': ${formatRows(groups)} groups need ${formatBytes(heldBytes)}, more than ` +
		`its memory budget of ${formatBytes(limitBytes)} — raise the budget, group by fewer or ` +
		`shorter keys, or filter first`,
	/** One output row is bigger than the largest pool block, so no frame can carry it. */
	rowTooLarge: (kind: string, node: string, bytes: number, limitBytes: number) =>
		`${kind} '${node}': an output row needs ${formatBytes(bytes)}, more than the ` +
		`${formatBytes(limitBytes)} a batch may hold — raise the budget or shorten the strings`
};
