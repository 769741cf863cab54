import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
	byteAt,
	startDataServer,
	type DataServer
} from '../../src/lib/server/fetch/testing/data-server';

// /api/fetch through the real production server (`node server.js` over build/): one instance
// trusts the loopback data server via SLUICE_FETCH_ALLOW, one trusts nothing.

const ROUTE_CHUNKS = 'build/server/chunks/entries/endpoints/api/fetch';

async function freePort(): Promise<number> {
	const probe = createServer();
	await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
	const { port } = probe.address() as { port: number };
	await new Promise((resolve) => probe.close(resolve));
	return port;
}

async function startApp(
	env: Record<string, string>
): Promise<{ base: string; child: ChildProcess }> {
	const port = await freePort();
	const child = spawn(process.execPath, ['server.js'], {
		env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' },
		stdio: ['ignore', 'pipe', 'pipe']
	});
	let output = '';
	await new Promise<void>((resolve, reject) => {
		const onData = (d: Buffer) => {
			output += d;
			if (output.includes('Sluice is running')) resolve();
		};
		child.stdout!.on('data', onData);
		child.stderr!.on('data', (d) => (output += d));
		child.once('exit', (code) => reject(new Error(`server.js exited ${code}: ${output}`)));
	});
	return { base: `http://127.0.0.1:${port}`, child };
}

describe('/api/fetch in the production server', () => {
	let data: DataServer;
	let trusting: { base: string; child: ChildProcess };
	let strict: { base: string; child: ChildProcess };

	beforeAll(async () => {
		if (!existsSync(ROUTE_CHUNKS)) {
			const b = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
			if (b.status !== 0) throw new Error('npm run build failed; build/ is needed for this test');
		}
		data = await startDataServer();
		[trusting, strict] = await Promise.all([
			startApp({ SLUICE_FETCH_ALLOW: '127.0.0.1/32', SLUICE_FETCH_MAX_BYTES: '1MB' }),
			startApp({ SLUICE_FETCH_ALLOW: '' })
		]);
	}, 240_000);

	afterAll(async () => {
		trusting?.child.kill('SIGTERM');
		strict?.child.kill('SIGTERM');
		await data?.close();
	});

	const via = (app: { base: string }, url: string) =>
		`${app.base}/api/fetch?url=${encodeURIComponent(url)}`;

	it('streams an allowlisted dataset with the isolation headers', async () => {
		const res = await fetch(via(trusting, `${data.base}/data?bytes=100000`));
		expect(res.status).toBe(200);
		expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
		expect(res.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
		expect(res.headers.get('cross-origin-resource-policy')).toBe('same-origin');
		expect(res.headers.get('content-security-policy')).toContain('sandbox');
		expect(res.headers.get('set-cookie')).toBeNull();
		expect(res.headers.get('content-length')).toBe('100000');
		const bytes = new Uint8Array(await res.arrayBuffer());
		expect(bytes.length).toBe(100000);
		expect(bytes.every((b, i) => b === byteAt(i))).toBe(true);
	});

	it('passes a Range request through the production server', async () => {
		const res = await fetch(via(trusting, `${data.base}/data?bytes=100000`), {
			headers: { range: 'bytes=10-19' }
		});
		expect(res.status).toBe(206);
		expect(res.headers.get('content-range')).toBe('bytes 10-19/100000');
		expect(Array.from(new Uint8Array(await res.arrayBuffer()))).toEqual(
			Array.from({ length: 10 }, (_, i) => byteAt(10 + i))
		);
	});

	it('refuses the same URL with a 403 JSON error when nothing is allowlisted', async () => {
		const before = data.connections;
		const res = await fetch(via(strict, `${data.base}/data?bytes=100000`));
		expect(res.status).toBe(403);
		expect(res.headers.get('cross-origin-opener-policy')).toBe('same-origin');
		expect(res.headers.get('cross-origin-embedder-policy')).toBe('require-corp');
		const body = await res.json();
		expect(body.code).toBe('refused_address');
		expect(body.error).toContain('127.0.0.1');
		expect(data.connections).toBe(before);
	});

	it('makes a body cut off at the size cap fail visibly for the client', async () => {
		const res = await fetch(via(trusting, `${data.base}/data?bytes=3000000&chunked`));
		expect(res.status).toBe(200);
		await expect(res.arrayBuffer()).rejects.toThrow();
	});

	it('answers 413 JSON for an announced length over the size cap', async () => {
		const res = await fetch(via(trusting, `${data.base}/data?bytes=3000000`));
		expect(res.status).toBe(413);
		expect(await res.json()).toMatchObject({ code: 'too_large' });
	});
});
