// FIFO of batches a stage emitted but has not pushed yet (its ring was full).
// Single-threaded. Grows by doubling and then never allocates again in steady state.
import type { BlockHandle } from '../contracts';

export class Outbox {
	private blocks = new Int32Array(4);
	private lengths = new Float64Array(4);
	private rowCounts = new Float64Array(4);
	private head = 0;
	private count = 0;

	get empty(): boolean {
		return this.count === 0;
	}

	get size(): number {
		return this.count;
	}

	get block(): BlockHandle {
		return this.blocks[this.head];
	}

	get byteLength(): number {
		return this.lengths[this.head];
	}

	get rows(): number {
		return this.rowCounts[this.head];
	}

	push(block: BlockHandle, byteLength: number, rows: number): void {
		if (this.count === this.blocks.length) this.grow();
		const at = (this.head + this.count) % this.blocks.length;
		this.blocks[at] = block;
		this.lengths[at] = byteLength;
		this.rowCounts[at] = rows;
		this.count++;
	}

	shift(): void {
		if (this.count === 0) return;
		this.head = (this.head + 1) % this.blocks.length;
		this.count--;
	}

	private grow(): void {
		const n = this.blocks.length;
		const blocks = new Int32Array(n * 2);
		const lengths = new Float64Array(n * 2);
		const rows = new Float64Array(n * 2);
		for (let i = 0; i < this.count; i++) {
			const from = (this.head + i) % n;
			blocks[i] = this.blocks[from];
			lengths[i] = this.lengths[from];
			rows[i] = this.rowCounts[from];
		}
		this.blocks = blocks;
		this.lengths = lengths;
		this.rowCounts = rows;
		this.head = 0;
	}
}
