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
		testTimeout: 30_000,
		hookTimeout: 30_000
	}
});
