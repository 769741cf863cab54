import { fetchExample, fetchExampleIndex, FIRST_EXAMPLE } from '$lib/editor/components/examples';
import { bootSession } from '$lib/editor/library/boot';
import type { PageLoad } from './$types';

/**
 * The examples index, the first example and the session (a share link, else the last pipeline
 * from the library), read in parallel so `/` opens a working pipeline as fast as before.
 */
export const load: PageLoad = async ({ fetch }) => {
	const boot = bootSession(location.hash);
	const [examples, first] = await Promise.all([
		fetchExampleIndex(fetch).catch(() => []),
		fetchExample(FIRST_EXAMPLE, fetch)
	]);
	return { examples, initial: first.ok ? first.doc : undefined, boot: await boot };
};
