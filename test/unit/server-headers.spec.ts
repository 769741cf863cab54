import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, startApp, type AppServer } from './support/app-server';

// Every answer of the production server (`node server.js`), errors included, carries the
// isolation headers, nosniff and a CSP — also the ones Node writes itself for a request it
// cannot parse — and an unknown path is a 404, not a 500 with a stack trace in the log.

type RawResponse = { status: number; headers: Record<string, string>; body: string };

/** Sends `request` as raw bytes (what fetch refuses to send) and reads the whole answer. */
function rawRequest(port: number, request: string): Promise<RawResponse> {
	return new Promise((resolve, reject) => {
		const socket = connect(port, '127.0.0.1');
		let data = '';
		socket.setEncoding('latin1');
		socket.on('data', (d) => {
			data += d;
			// A keep-alive answer ends when its body is complete.
			const end = data.indexOf('\r\n\r\n');
			const length = /\r\ncontent-length:\s*(\d+)/i.exec(data.slice(0, end));
			if (end >= 0 && length && data.length - end - 4 >= Number(length[1])) socket.end();
		});
		socket.on('error', reject);
		socket.on('close', () => {
			const end = data.indexOf('\r\n\r\n');
			const [statusLine, ...lines] = data.slice(0, end).split('\r\n');
			const headers: Record<string, string> = {};
			for (const line of lines) {
				const colon = line.indexOf(':');
				headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
			}
			resolve({ status: Number(statusLine.split(' ')[1]), headers, body: data.slice(end + 4) });
		});
		socket.write(request);
	});
}

function expectFullHeaderSet(headers: Record<string, string>, what: string) {
	expect(headers['cross-origin-opener-policy'], `COOP on ${what}`).toBe('same-origin');
	expect(headers['cross-origin-embedder-policy'], `COEP on ${what}`).toBe('require-corp');
	expect(headers['cross-origin-resource-policy'], `CORP on ${what}`).toBe('same-origin');
	expect(headers['x-content-type-options'], `nosniff on ${what}`).toBe('nosniff');
	expect(headers['referrer-policy'], `Referrer-Policy on ${what}`).toBe('no-referrer');
	const csp = headers['content-security-policy'] ?? '';
	expect(csp, `CSP on ${what}`).toContain("script-src 'self'");
	expect(csp, `CSP on ${what}`).toContain("frame-ancestors 'none'");
	expect(csp, `CSP on ${what}`).not.toContain('unsafe-eval');
}

describe('headers and status of every answer of the production server', () => {
	let app: AppServer;

	beforeAll(async () => {
		ensureBuilt();
		app = await startApp();
	}, 240_000);
	afterAll(() => {
		app?.child.kill('SIGTERM');
	});

	for (const path of ['/no/such/page', '/api/no-such-endpoint', '/workers/missing.js']) {
		it(`answers ${path} with 404 and the full header set, logging no stack trace`, async () => {
			const res = await fetch(app.base + path);
			expect(res.status).toBe(404);
			expectFullHeaderSet(Object.fromEntries(res.headers), path);
			await res.text();
			expect(app.log()).not.toMatch(/\n\s+at /);
			expect(app.log()).not.toContain('Error:');
		});
	}

	it('answers the pages it has with 200 and the full header set', async () => {
		for (const path of ['/', '/self-test', '/favicon.svg']) {
			const res = await fetch(app.base + path);
			expect(res.status, path).toBe(200);
			expectFullHeaderSet(Object.fromEntries(res.headers), path);
			await res.text();
		}
	});

	it('answers a request with an unknown method (refused by Node) with 400 and the full header set', async () => {
		const res = await rawRequest(app.port, 'FOO / HTTP/1.1\r\nHost: x\r\n\r\n');
		expect(res.status).toBe(400);
		expectFullHeaderSet(res.headers, 'a bad method');
		expect(res.body).toBe('Bad Request\n');
	});

	it('answers a 100 KB URL (refused by Node) with 431 and the full header set', async () => {
		const res = await rawRequest(
			app.port,
			`GET /${'a'.repeat(100_000)} HTTP/1.1\r\nHost: x\r\n\r\n`
		);
		expect(res.status).toBe(431);
		expectFullHeaderSet(res.headers, 'a 100 KB URL');
	});

	it('keeps serving after the requests it refused', async () => {
		await rawRequest(app.port, 'FOO / HTTP/1.1\r\nHost: x\r\n\r\n');
		const res = await fetch(app.base + '/');
		expect(res.status).toBe(200);
		await res.text();
	});
});
