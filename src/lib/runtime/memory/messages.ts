// The memory pool's messages, in one place so wording stays consistent and testable.
// Only setup and error paths call these: they build strings, so never on the hot path.

/** "4 KiB", "16 MiB", "512 B". */
export function formatBytes(bytes: number): string {
	if (bytes >= 2 ** 30 && bytes % 2 ** 30 === 0) return `${bytes / 2 ** 30} GiB`;
	if (bytes >= 2 ** 20 && bytes % 2 ** 20 === 0) return `${bytes / 2 ** 20} MiB`;
	if (bytes >= 1024 && bytes % 1024 === 0) return `${bytes / 1024} KiB`;
	return `${bytes} B`;
}

export const optionError = {
	notObject: () => new TypeError('pool options must be an object like { budgetBytes: 64 << 20 }'),
	notNumber: (name: string, value: unknown) =>
		new TypeError(`${name} must be a number, got ${typeof value}`),
	notBoolean: (name: string, value: unknown) =>
		new TypeError(`${name} must be a boolean, got ${typeof value}`),
	powerOfTwo: (name: string, value: number, floor: number) =>
		new RangeError(`${name} must be a power of two of at least ${floor}, got ${value}`),
	maxBlock: (value: number, ceiling: number) =>
		new RangeError(
			`maxBlockBytes must be a power of two of at most ${formatBytes(ceiling)}, got ${value}`
		),
	maxBelowMin: (max: number, min: number) =>
		new RangeError(`maxBlockBytes (${max}) must be at least minBlockBytes (${min})`),
	budgetTooSmall: (budget: number, maxBlock: number) =>
		new RangeError(
			`budgetBytes must be an integer of at least maxBlockBytes (${maxBlock}), got ${budget}`
		),
	budgetTooLarge: (budget: number, ceiling: number) =>
		new RangeError(`budgetBytes must be at most ${formatBytes(ceiling)}, got ${budget}`),
	payloadTooLarge: (bytes: number, max: number) =>
		new RangeError(
			`payload of ${bytes} bytes does not fit the largest block (${max} payload bytes); ` +
				'raise maxBlockBytes or split the batch'
		),
	badPayload: (bytes: unknown) =>
		new RangeError(`payload bytes must be a non-negative number, got ${String(bytes)}`),
	badTimeout: (ms: unknown) =>
		new RangeError(`timeoutMs must be a non-negative number, got ${String(ms)}`),
	noSharedMemory: () =>
		new TypeError(
			'MemoryPool needs SharedArrayBuffer: serve the page cross-origin isolated (COOP/COEP)'
		),
	badDescriptor: (what: string) => new TypeError(`pool descriptor: ${what}`)
};

export const poolMessage = {
	garbage: (handle: number) =>
		`release of ${handle} refused: not a block handle of this pool (no such block was carved)`,
	stale: (id: number, handleGen: number, blockGen: number) =>
		`release of block ${id} generation ${handleGen} refused: stale handle, the block was ` +
		`freed and reused since (now generation ${blockGen})`,
	double: (id: number, handleGen: number, blockGen: number) =>
		`release of block ${id} generation ${handleGen} refused: double release, the block is ` +
		`already free (now generation ${blockGen})`,
	header: (id: number, handleGen: number) =>
		`release of block ${id} generation ${handleGen} refused: its header was overwritten ` +
		'(the previous block was written past its capacity)',
	guard: (id: number, handleGen: number, classBytes: number, damaged: number) =>
		`release of block ${id} generation ${handleGen} (${formatBytes(classBytes)} class) ` +
		`refused: ${damaged} guard bytes after the payload were overwritten; the block is kept ` +
		'out of the pool',
	guardReport: (id: number, classBytes: number, damaged: number) =>
		`block ${id} (${formatBytes(classBytes)} class): ${damaged} guard bytes overwritten`,
	headerReport: (id: number, classBytes: number) =>
		`block ${id} (${formatBytes(classBytes)} class): header overwritten`
};
