// "Did you mean": the known name closest to a misspelt one, by edit distance.

/** Names longer than this are not compared (no kind name is; it bounds the work). */
const MAX_COMPARED_CHARS = 64;

/**
 * Edit distance counting an insertion, a deletion, a substitution or a swap of two neighbouring
 * letters as one edit ('cvs' is one edit from 'csv'): optimal string alignment, three rows.
 */
export function editDistance(a: string, b: string): number {
	let beforePrevious: number[] = [];
	let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
	for (let i = 1; i <= a.length; i++) {
		const current = [i];
		for (let j = 1; j <= b.length; j++) {
			const cost = a[i - 1] === b[j - 1] ? 0 : 1;
			current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost);
			if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
				current[j] = Math.min(current[j], beforePrevious[j - 2] + 1);
			}
		}
		beforePrevious = previous;
		previous = current;
	}
	return previous[b.length];
}

/**
 * The candidate closest to `name` (case-insensitive), or undefined when none is close: a match
 * must differ in at most a third of the name's letters (at least one), so 'fliter' finds
 * 'filter' but 'xyz' finds nothing. Ties go to the earlier candidate.
 */
export function closestName(name: string, candidates: readonly string[]): string | undefined {
	if (name.length > MAX_COMPARED_CHARS) return undefined;
	const wanted = name.toLowerCase();
	const allowed = Math.max(1, Math.floor(wanted.length / 3));
	let best: string | undefined;
	let bestDistance = allowed + 1;
	for (const candidate of candidates) {
		if (candidate.length > MAX_COMPARED_CHARS) continue;
		const distance = editDistance(wanted, candidate.toLowerCase());
		if (distance < bestDistance) {
			best = candidate;
			bestDistance = distance;
		}
	}
	return best;
}
