/** Edit distance (insert, delete, substitute, swap two neighbours), case-insensitive. */
export function editDistance(a: string, b: string): number {
	const s = a.toLowerCase();
	const t = b.toLowerCase();
	const rows: number[][] = [];
	for (let i = 0; i <= s.length; i++) {
		rows.push([i]);
		for (let j = 1; j <= t.length; j++) {
			if (i === 0) {
				rows[0].push(j);
				continue;
			}
			const cost = s[i - 1] === t[j - 1] ? 0 : 1;
			let d = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
			if (i > 1 && j > 1 && s[i - 1] === t[j - 2] && s[i - 2] === t[j - 1]) {
				d = Math.min(d, rows[i - 2][j - 2] + 1);
			}
			rows[i].push(d);
		}
	}
	return rows[s.length][t.length];
}

/**
 * The known name closest to `name`, or undefined when none is close enough to be a plausible
 * typo (at most a third of the letters wrong, or a prefix of at least three letters).
 */
export function closestName(name: string, known: readonly string[]): string | undefined {
	let best: string | undefined;
	let bestDistance = Infinity;
	for (const candidate of known) {
		const d = editDistance(name, candidate);
		if (d < bestDistance) {
			best = candidate;
			bestDistance = d;
		}
	}
	if (best === undefined) return undefined;
	const limit = Math.max(1, Math.floor(Math.max(name.length, best.length) / 3));
	if (bestDistance <= limit) return best;
	const lower = name.toLowerCase();
	if (lower.length >= 3) return known.find((k) => k.toLowerCase().startsWith(lower));
	return undefined;
}
