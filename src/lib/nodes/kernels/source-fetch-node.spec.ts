import * as threads from 'node:worker_threads';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { NodeFetchChunks } from './source-fetch-node';

async function closedPort(): Promise<number> {
	const probe = createServer();
	await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
	const { port } = probe.address() as { port: number };
	await new Promise((resolve) => probe.close(resolve));
	return port;
}

async function failureOf(url: string): Promise<string> {
	const source = new NodeFetchChunks(threads, url, 1 << 20);
	for (let i = 0; i < 2000; i++) {
		try {
			source.poll();
		} catch (error) {
			return (error as Error).message;
		}
		await new Promise((resolve) => setTimeout(resolve, 5));
	}
	throw new Error('the fetch never failed');
}

describe('NodeFetchChunks (URL reads in the CLI)', () => {
	it('says the connection was refused instead of "fetch failed"', async () => {
		const url = `http://127.0.0.1:${await closedPort()}/data.csv`;
		const message = await failureOf(url);
		expect(message).toMatch(
			new RegExp(`cannot fetch '${url}': connection refused \\(.*ECONNREFUSED`)
		);
	});

	it('says the host name did not resolve', async () => {
		const message = await failureOf('http://no-such-host.invalid/data.csv');
		expect(message).toMatch(/the host name did not resolve \(DNS\)/);
	});
});
