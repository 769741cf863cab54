// A real HTTP server on loopback for the fetch proxy's tests (and the end-to-end test of the built
// server). It generates datasets on the fly — byte i of a dataset is `i % 251` — so a 200 MB
// body is never stored, honours Range and If-None-Match, and has misbehaving routes: stalls, lies
// about its length, redirect chains, a header echo. It counts connections and logs paths, so a
// test can prove a refused request never reached it.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const ETAG = '"dataset-v1"';
export const LAST_MODIFIED = 'Tue, 01 Jul 2025 12:00:00 GMT';
const CHUNK = 64 * 1024;

/** Byte `i` of every generated dataset. */
export const byteAt = (i: number) => i % 251;

export interface DataServer {
	readonly port: number;
	readonly base: string;
	/** Connections accepted so far. */
	connections: number;
	/** Paths (with query) requested so far. */
	readonly paths: string[];
	close(): Promise<void>;
}

/** Writes bytes [start, end) of the generated dataset with backpressure. */
async function writeRange(res: ServerResponse, start: number, end: number): Promise<void> {
	for (let at = start; at < end && !res.destroyed;) {
		const n = Math.min(CHUNK, end - at);
		const chunk = Buffer.allocUnsafe(n);
		for (let i = 0; i < n; i++) chunk[i] = byteAt(at + i);
		at += n;
		if (!res.write(chunk))
			await new Promise<void>((resolve) => {
				const go = () => {
					res.off('drain', go);
					res.off('close', go);
					resolve();
				};
				res.on('drain', go);
				res.on('close', go);
			});
	}
}

async function serveData(req: IncomingMessage, res: ServerResponse, q: URLSearchParams) {
	const size = Number(q.get('bytes') ?? 1000);
	const headers: Record<string, string> = {
		'content-type': 'text/csv',
		etag: ETAG,
		'last-modified': LAST_MODIFIED,
		'accept-ranges': 'bytes',
		'set-cookie': 'session=secret; HttpOnly',
		'www-authenticate': 'Basic realm="x"'
	};
	if (req.headers['if-none-match'] === ETAG) return res.writeHead(304, headers).end();
	const range = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
	let start = 0;
	let end = size;
	if (range) {
		start = Number(range[1]);
		end = range[2] ? Math.min(size, Number(range[2]) + 1) : size;
		headers['content-range'] = `bytes ${start}-${end - 1}/${size}`;
	}
	if (q.get('chunked') === null) headers['content-length'] = String(end - start);
	res.writeHead(range ? 206 : 200, headers);
	if (req.method === 'HEAD') return res.end();
	await writeRange(res, start, end);
	res.end();
}

function route(req: IncomingMessage, res: ServerResponse, base: string) {
	const url = new URL(req.url ?? '/', base);
	const q = url.searchParams;
	switch (url.pathname) {
		case '/data':
			return void serveData(req, res, q);
		case '/echo':
			res.writeHead(200, { 'content-type': 'application/json', 'set-cookie': 'a=b' });
			return void res.end(JSON.stringify(req.headers));
		case '/stall':
			// Headers and a little data, then nothing: only the time cap ends this.
			res.writeHead(200, { 'content-type': 'text/csv' });
			return void res.write('a,b\n1,2\n');
		case '/no-headers':
			return; // never answers
		case '/lie':
			res.writeHead(200, { 'content-length': '1000' });
			res.write(Buffer.alloc(500, 65));
			return void setTimeout(() => res.destroy(), 20);
		case '/redirect': {
			const n = Number(q.get('n') ?? 0);
			const next = n > 0 ? `/redirect?n=${n - 1}` : '/data?bytes=10';
			return void res.writeHead(302, { location: next }).end();
		}
		case '/to':
			return void res.writeHead(302, { location: q.get('location') ?? '/' }).end();
		case '/status':
			return void res.writeHead(Number(q.get('code') ?? 500)).end('no');
		default:
			return void res.writeHead(404).end('not found');
	}
}

/** Starts the server on `host` (loopback) and an ephemeral port, or on `port` if given. */
export async function startDataServer(host = '127.0.0.1', port = 0): Promise<DataServer> {
	let server: Server | undefined;
	const state = { connections: 0, paths: [] as string[] };
	const open = new Set<import('node:net').Socket>();
	server = createServer((req, res) => {
		state.paths.push(req.url ?? '');
		route(req, res, `http://${req.headers.host ?? 'x'}`);
	});
	server.on('connection', (socket) => {
		state.connections++;
		open.add(socket);
		socket.on('close', () => open.delete(socket));
	});
	await new Promise<void>((resolve, reject) => {
		server!.once('error', reject);
		server!.listen(port, host, resolve);
	});
	const actual = (server.address() as AddressInfo).port;
	const shown = host.includes(':') ? `[${host}]` : host;
	return Object.assign(state, {
		port: actual,
		base: `http://${shown}:${actual}`,
		close: () =>
			new Promise<void>((resolve) => {
				for (const s of open) s.destroy();
				server!.close(() => resolve());
				server = undefined;
			})
	});
}
