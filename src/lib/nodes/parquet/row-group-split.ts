// Which row groups of a Parquet file each instance of a split Parquet source reads, and which of
// the file's bytes count as its share for the progress bar.
//
// The compiler runs a Parquet source as P instances when its only consumer is a partitioned
// chain (compiler/physical.ts, step 2). Every instance reads the footer, then only its own row
// groups' column chunks. The groups are dealt in contiguous runs balanced by rows: group g,
// holding rows [s, s + n) of a file of N rows, goes to instance floor(P * (s + n / 2) / N) —
// the instance whose equal share of the rows holds the group's middle row. Contiguous runs (not
// round-robin) keep each instance's reads one forward sweep through the file (fewer, larger
// Range requests; sequential disk reads), and a small last group lands where it fits. With
// fewer groups than instances some instances get none and emit nothing. Every instance
// reaches the same split from the same footer.
//
// Progress (the same contract as a split CSV's: the instances' totals add up to the file): an
// instance's share of the bytes is the span of each of its row groups (first chunk start to
// last chunk end, every column, so a run reading some of the columns ends below its share);
// instance 0 also owns every byte no group covers (magic, footer), so it owns the whole file
// when it runs alone. An instance counts the bytes it fetched that fall in its share: the
// footer every instance reads is counted once, by instance 0.
import type { FileMetaData } from 'hyparquet';
import { ByteRanges } from './byte-ranges';
import { chunkRange } from './page-decode';

/** Which instance of `instances` reads each row group, given the groups' row counts. */
export function rowGroupOwners(rows: readonly number[], instances: number): number[] {
	if (!Number.isInteger(instances) || instances < 1)
		throw new RangeError(`instances must be a positive integer, got ${instances}`);
	const total = rows.reduce((a, b) => a + b, 0);
	let start = 0;
	return rows.map((n) => {
		const middle = start + n / 2;
		start += n;
		if (total === 0) return 0;
		return Math.min(instances - 1, Math.floor((instances * middle) / total));
	});
}

/** The bytes [start, end) of a row group's column chunks, or null when it has none here. */
function groupSpan(group: FileMetaData['row_groups'][number]): [number, number] | null {
	let start = Infinity;
	let end = -Infinity;
	for (const chunk of group.columns) {
		if (!chunk.meta_data || chunk.file_path) continue;
		const [s, e] = chunkRange(chunk.meta_data);
		start = Math.min(start, s);
		end = Math.max(end, e);
	}
	return end > start ? [start, end] : null;
}

/** An instance's part of a file: its row groups and its share of the bytes. */
export interface RowGroupShare {
	/** Indices of the row groups it reads, in file order. */
	groups: number[];
	/** The bytes its progress counts (see the header). */
	bytes: ByteRanges;
}

/** The part of instance `instance` of `instances` in a file of `size` bytes. */
export function rowGroupShare(
	metadata: FileMetaData,
	size: number,
	instance: number,
	instances: number
): RowGroupShare {
	const owners = rowGroupOwners(
		metadata.row_groups.map((g) => Number(g.num_rows)),
		instances
	);
	const groups = owners.flatMap((owner, g) => (owner === instance ? [g] : []));
	const mine = new ByteRanges();
	const others = new ByteRanges();
	metadata.row_groups.forEach((group, g) => {
		const span = groupSpan(group);
		if (span) (owners[g] === instance ? mine : others).add(span[0], Math.min(span[1], size));
	});
	return { groups, bytes: instance === 0 ? others.complement(size) : mine };
}
