import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';
import { PAGE_CSP_DIRECTIVES } from './security-headers.js';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		adapter: adapter({ out: 'build' }),
		// Kit hashes its own inline bootstrap script into script-src, so pages need no
		// 'unsafe-inline' for scripts and never 'unsafe-eval'.
		csp: { mode: 'hash', directives: PAGE_CSP_DIRECTIVES }
	}
};

export default config;
