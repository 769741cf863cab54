import { sveltekit } from '@sveltejs/kit/vite';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';
import { answerClientError, createSecurityHeaders, securityHeaders } from './security-headers.js';

/** Cross-origin isolation for `vite dev` and `vite preview`, static files and workers included. */
function crossOriginIsolation(): Plugin {
	return {
		name: 'sluice:cross-origin-isolation',
		configureServer(server) {
			server.middlewares.use(createSecurityHeaders({ skipHtml: true }));
			server.httpServer?.on('clientError', answerClientError);
		},
		configurePreviewServer(server) {
			server.middlewares.use(securityHeaders);
			server.httpServer.on('clientError', answerClientError);
		}
	};
}

export default defineConfig({
	plugins: [crossOriginIsolation(), sveltekit()],
	worker: { format: 'es' },
	test: {
		include: ['src/**/*.spec.ts', 'test/unit/**/*.spec.ts'],
		environment: 'node',
		// Hang guards, not speed limits: a test that boots worker pools (each worker loads its
		// TypeScript) can take tens of seconds on a loaded 2-core machine and must still pass.
		testTimeout: 90_000,
		hookTimeout: 90_000
	}
});
