import { fetchExample, fetchExampleIndex, FIRST_EXAMPLE } from '$lib/editor/components/examples';
import type { PageLoad } from './$types';

// The editor runs in the browser only (workers, shared memory, the canvas).
export const ssr = false;

/** The examples index and the first example, so `/` opens a working pipeline. */
export const load: PageLoad = async ({ fetch }) => {
	const [examples, first] = await Promise.all([
		fetchExampleIndex(fetch).catch(() => []),
		fetchExample(FIRST_EXAMPLE, fetch)
	]);
	return { examples, initial: first.ok ? first.doc : undefined };
};
