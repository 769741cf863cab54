// Checks that a value is plain JSON (what survives JSON.stringify then JSON.parse unchanged), so
// a document passed in as an object saves and reloads as the same document.

/** Deepest nesting accepted in params; deeper (or circular) values are refused, not recursed. */
export const MAX_JSON_DEPTH = 64;

/** Where the first non-JSON value sits ('' for the value itself) and what is wrong with it. */
export interface JsonProblem {
	path: string;
	problem: string;
}

function describe(value: unknown): string {
	if (typeof value === 'number') return String(value);
	if (typeof value === 'object' && value !== null) {
		return `a ${Object.getPrototypeOf(value)?.constructor?.name ?? 'non-plain'} object`;
	}
	return `a ${typeof value}`;
}

function isPlainObject(value: object): boolean {
	const prototype: unknown = Object.getPrototypeOf(value);
	return prototype === Object.prototype || prototype === null;
}

function child(path: string, key: string | number): string {
	if (typeof key === 'number') return `${path}[${key}]`;
	return path === '' ? key : `${path}.${key}`;
}

/** The first problem that keeps `value` from being plain JSON, or null when it is plain JSON. */
export function findJsonProblem(value: unknown, path = '', depth = 0): JsonProblem | null {
	if (value === null || typeof value === 'string' || typeof value === 'boolean') return null;
	if (typeof value === 'number') {
		return Number.isFinite(value) ? null : { path, problem: `is ${describe(value)}` };
	}
	if (typeof value !== 'object') return { path, problem: `is ${describe(value)}` };
	if (depth >= MAX_JSON_DEPTH) {
		return { path, problem: `is nested deeper than ${MAX_JSON_DEPTH} levels (or is circular)` };
	}
	if (Array.isArray(value)) {
		for (let index = 0; index < value.length; index++) {
			const found = findJsonProblem(value[index], child(path, index), depth + 1);
			if (found !== null) return found;
		}
		return null;
	}
	if (!isPlainObject(value)) return { path, problem: `is ${describe(value)}` };
	for (const [key, entry] of Object.entries(value)) {
		const found = findJsonProblem(entry, child(path, key), depth + 1);
		if (found !== null) return found;
	}
	return null;
}

/** True for a non-null object that is not an array. */
export function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}
