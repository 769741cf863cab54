// JSON text of a nested value (a JSON record's array or object kept as one text column), written
// with an explicit stack instead of recursion: JSON.stringify overflows the call stack on a value
// nested 10,000 deep, which JSON.parse reads fine. Same text as JSON.stringify for what JSON.parse
// and the Parquet reader produce, except that a bigint is written as its digits in quotes.

/** Text to emit as it is (punctuation, keys), as opposed to a value still to be written. */
class Raw {
	constructor(readonly text: string) {}
}

function leaf(value: unknown): string | undefined {
	if (typeof value === 'bigint') return `"${value}"`;
	if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
	if (typeof value === 'string' || typeof value === 'boolean' || value === null)
		return JSON.stringify(value);
	return undefined;
}

/** Whether JSON.stringify leaves this object member out. */
const skipped = (v: unknown) => v === undefined || typeof v === 'function' || typeof v === 'symbol';

export function jsonText(value: unknown): string {
	const out: string[] = [];
	const stack: unknown[] = [value];
	while (stack.length > 0) {
		let v = stack.pop();
		if (v instanceof Raw) {
			out.push(v.text);
			continue;
		}
		if (
			v !== null &&
			typeof v === 'object' &&
			typeof (v as { toJSON?: unknown }).toJSON === 'function'
		)
			v = (v as { toJSON: () => unknown }).toJSON();
		const text = leaf(v);
		if (text !== undefined) {
			out.push(text);
			continue;
		}
		if (Array.isArray(v)) {
			// Pushed in reverse, so popped in order.
			stack.push(new Raw(']'));
			for (let i = v.length - 1; i >= 0; i--) {
				stack.push(skipped(v[i]) ? null : v[i]);
				if (i > 0) stack.push(new Raw(','));
			}
			out.push('[');
		} else if (v !== null && typeof v === 'object') {
			const keys = Object.keys(v).filter((k) => !skipped((v as Record<string, unknown>)[k]));
			stack.push(new Raw('}'));
			for (let i = keys.length - 1; i >= 0; i--) {
				stack.push((v as Record<string, unknown>)[keys[i]]);
				stack.push(new Raw(`${i > 0 ? ',' : ''}${JSON.stringify(keys[i])}:`));
			}
			out.push('{');
		} else out.push('null');
	}
	return out.join('');
}
