// Small builders for the self-test's physical plans (the same shapes as the scheduler's
// run.spec.ts) and the assertions its checks make. A failed assertion throws an Error whose
// message says what was expected and what came back; the page shows it as the check's detail.
export { MiB, chain, expectedSum, source, stage } from '$lib/runtime/testing/plans';
import { expectedSum } from '$lib/runtime/testing/plans';

/** What test.verify returns for an intact, in-order stream. */
export function intact(batches: number, rows: number, offset = 0) {
	return {
		batches,
		rows: batches * rows,
		sum: expectedSum(batches, rows, offset),
		outOfOrder: 0,
		corrupt: 0
	};
}

/** Throws unless `actual` and `expected` are the same JSON (key order included). */
export function expectEqual(actual: unknown, expected: unknown, what: string): void {
	const a = JSON.stringify(actual);
	const e = JSON.stringify(expected);
	if (a !== e) throw new Error(`${what}: expected ${e}, got ${a}`);
}

/** Throws with `what` unless `ok`. */
export function expectTrue(ok: boolean, what: string): void {
	if (!ok) throw new Error(what);
}

export function sleep(ms: number): Promise<void> {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/** "1,234" style, for row counts in details. */
export function count(n: number): string {
	return n.toLocaleString('en-US');
}
