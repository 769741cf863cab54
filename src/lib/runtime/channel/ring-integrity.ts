// Integrity mode's checksum of a block's bytes, through the pool's BlockMemory view.
// Reads only; throws (RangeError) if the handle's range is outside its buffer.
import type { BlockHandle, BlockMemory } from '../contracts';
import { checksum } from '../memory/checksum';

/** Unsigned 32-bit checksum of a block's first `byteLength` bytes. */
export function blockChecksum(memory: BlockMemory, block: BlockHandle, byteLength: number): number {
	return checksum(memory.bufferOf(block), memory.offsetOf(block), byteLength);
}
