// The real production server (`node server.js` over build/) on a free loopback port, for tests
// that speak HTTP to it. Builds the app first when build/ is missing.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';

export type AppServer = {
	base: string;
	port: number;
	child: ChildProcess;
	/** Everything the server printed so far (stdout and stderr). */
	log: () => string;
};

/** Builds the app unless `marker` (a path under build/) exists. */
export function ensureBuilt(marker = 'build/handler.js'): void {
	if (existsSync(marker)) return;
	const b = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
	if (b.status !== 0) throw new Error('npm run build failed; build/ is needed for this test');
}

export async function freePort(): Promise<number> {
	const probe = createServer();
	await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
	const { port } = probe.address() as { port: number };
	await new Promise((resolve) => probe.close(resolve));
	return port;
}

export async function startApp(env: Record<string, string> = {}): Promise<AppServer> {
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
	return { base: `http://127.0.0.1:${port}`, port, child, log: () => output };
}
