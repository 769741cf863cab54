import { describe, expect, it } from 'vitest';
import { resultTransferables } from './result-transfer';

describe('resultTransferables', () => {
	it('lists the whole plain buffers of typed arrays nested in an outcome, once each', () => {
		const ipc = new Uint8Array(64);
		const column = new Float64Array(8);
		const outcome = {
			ok: true,
			result: {
				results: [
					{ stage: 2, value: { kind: 'collect', ipc, rows: 8 } },
					{ stage: 3, value: { columns: [column, column] } }
				]
			}
		};
		const list = resultTransferables(outcome);
		expect(list).toHaveLength(2);
		expect(list).toContain(ipc.buffer);
		expect(list).toContain(column.buffer);
	});

	it('never lists shared memory, a partial view or an empty buffer', () => {
		const big = new ArrayBuffer(128);
		const outcome = {
			a: new Int32Array(new SharedArrayBuffer(16)),
			b: new Uint8Array(big, 8, 16),
			c: new Uint8Array(0),
			d: 'text',
			e: null
		};
		expect(resultTransferables(outcome)).toEqual([]);
	});

	it('the listed buffers really move through postMessage, leaving the sender detached', async () => {
		const ipc = new Uint8Array(1 << 20).fill(7);
		const outcome = { ok: true, result: { results: [{ stage: 0, value: { ipc } }] } };
		const { port1, port2 } = new MessageChannel();
		const got = new Promise<typeof outcome>((resolve) => {
			port2.onmessage = (e) => resolve(e.data);
		});
		port1.postMessage(outcome, resultTransferables(outcome));
		const received = await got;
		port1.close();
		port2.close();
		expect(ipc.byteLength).toBe(0);
		const moved = (received.result.results[0].value as { ipc: Uint8Array }).ipc;
		expect(moved.byteLength).toBe(1 << 20);
		expect(moved[12345]).toBe(7);
	});
});
