// The built app behind the production server (server.js), for the editor bench: builds it
// first when build/handler.js is missing, listens on a free 127.0.0.1 port, and stops on close.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';

const ROOT = new URL('../../', import.meta.url).pathname;
const READY_TIMEOUT_MS = 30_000;

export interface AppServer {
	url: string;
	close(): Promise<void>;
}

/** `npx vite build` when there is no build yet; its output goes to stderr. */
export function ensureBuild(log: (line: string) => void): void {
	if (existsSync(`${ROOT}build/handler.js`)) return;
	log('no build/handler.js: building the app (npx vite build)');
	const r = spawnSync('npx', ['vite', 'build'], { cwd: ROOT, stdio: ['ignore', 2, 2] });
	if (r.status !== 0) throw new Error(`npx vite build failed with status ${r.status}`);
}

function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const probe = createServer();
		probe.once('error', reject);
		probe.listen(0, '127.0.0.1', () => {
			const address = probe.address();
			const port = typeof address === 'object' && address ? address.port : 0;
			probe.close(() => resolve(port));
		});
	});
}

function stop(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
	return new Promise((resolve) => {
		const force = setTimeout(() => child.kill('SIGKILL'), 3000);
		child.once('exit', () => {
			clearTimeout(force);
			resolve();
		});
		child.kill('SIGTERM');
	});
}

/** `node server.js` on a free port; resolves once `/` answers 200. */
export async function startServer(): Promise<AppServer> {
	const port = await freePort();
	const url = `http://127.0.0.1:${port}`;
	const child = spawn(process.execPath, ['server.js'], {
		cwd: ROOT,
		env: { ...process.env, PORT: String(port), HOST: '127.0.0.1' },
		stdio: ['ignore', 'ignore', 'inherit']
	});
	const deadline = Date.now() + READY_TIMEOUT_MS;
	for (;;) {
		if (child.exitCode !== null) throw new Error(`server.js exited with ${child.exitCode}`);
		try {
			if ((await fetch(`${url}/`)).ok) break;
		} catch {
			// not listening yet
		}
		if (Date.now() > deadline) {
			await stop(child);
			throw new Error(`server.js did not answer on ${url} within ${READY_TIMEOUT_MS} ms`);
		}
		await new Promise((r) => setTimeout(r, 100));
	}
	return { url, close: () => stop(child) };
}
