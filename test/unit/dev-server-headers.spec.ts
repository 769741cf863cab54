import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type ViteDevServer } from 'vite';

// `vite dev` must serve every response cross-origin isolated, workers and static files included.
describe('vite dev server', () => {
	let server: ViteDevServer;
	let base: string;

	beforeAll(async () => {
		server = await createServer({
			configFile: 'vite.config.ts',
			server: { port: 0, host: '127.0.0.1' },
			logLevel: 'silent'
		});
		await server.listen();
		const address = server.httpServer!.address();
		if (!address || typeof address === 'string') throw new Error('dev server has no port');
		base = `http://127.0.0.1:${address.port}`;
	}, 60_000);
	afterAll(async () => server?.close());

	for (const path of ['/', '/favicon.svg', '/src/workers/probe.ts?worker_file&type=module']) {
		it(`sends COOP, COEP, CORP and a CSP without unsafe-eval on ${path}`, async () => {
			const res = await fetch(base + path);
			expect(res.status).toBe(200);
			expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
			expect(res.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
			expect(res.headers.get('cross-origin-resource-policy')).toBe('same-origin');
			const csp = res.headers.get('content-security-policy') ?? '';
			expect(csp).toContain("script-src 'self'");
			expect(csp).not.toContain('unsafe-eval');
		});
	}
});
