// The page's whole memory (every worker of its agent cluster included), for the metrics panel's
// worker section where workers cannot report their own heap. Uses
// `performance.measureUserAgentSpecificMemory()`, which needs a cross-origin isolated page
// (ours is) and Chromium; it may take seconds (the browser measures at its next GC). Called by
// the UI, at most every few seconds, never per sample. Framework-free; no DOM beyond
// `performance` and `crossOriginIsolated`.

interface MemoryMeasurement {
	bytes: number;
}
type Measure = () => Promise<MemoryMeasurement>;

/** Bytes the page uses now, or why the browser cannot say (a sentence for the UI). */
export async function measurePageMemory(): Promise<{ bytes: number } | { unavailable: string }> {
	const g = globalThis as { crossOriginIsolated?: boolean; performance?: unknown };
	const measure = (g.performance as { measureUserAgentSpecificMemory?: Measure } | undefined)
		?.measureUserAgentSpecificMemory;
	if (typeof measure !== 'function') {
		return { unavailable: 'not reported by this browser (needs Chromium 89 or later)' };
	}
	if (g.crossOriginIsolated === false) {
		return { unavailable: 'not reported: the page is not cross-origin isolated' };
	}
	try {
		const result = await measure.call(g.performance);
		return Number.isFinite(result?.bytes)
			? { bytes: result.bytes }
			: { unavailable: 'not reported' };
	} catch (error) {
		const why = error instanceof Error ? error.message : String(error);
		return { unavailable: `not reported: ${why}` };
	}
}
