// Checks on Arrow IPC bytes that apache-arrow does not make: it slices each buffer out of a
// record batch's body as the metadata says, clamping a region that runs past the body, and
// hands on offsets and validity as they are, so a damaged file is read as wrong rows. Two
// checks, each naming the byte offset of the message at fault:
//
// - IpcScanner follows the message framing as the bytes stream past (continuation marker,
//   metadata length, flatbuffer Message, body): each record or dictionary batch's buffer regions
//   must lie inside its body, its field nodes' null counts within their lengths, and a stream
//   must not end inside a message. It keeps the offset of each record batch for the next check.
//   In the file format ("ARROW1" ... footer) it stops at the end-of-stream marker or at the
//   footer, which apache-arrow reads and checks itself.
// - checkColumn: a decoded column's buffers hold its rows (values, offsets, validity), its
//   string offsets rise within the data, its validity bitmap has as many nulls as the batch
//   says, and its dictionary indices are in range. O(rows) per column, no allocation.
//
// What no check can see: a flipped byte inside a number's value reads as another number (Arrow
// IPC has no checksums).
import { DataType, Message, type Data } from 'apache-arrow';

/** A damaged Arrow IPC input, the message naming where; shown to the user as it is. */
export class ArrowDamage extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'ArrowDamage';
	}
}

const MAGIC = [0x41, 0x52, 0x52, 0x4f, 0x57, 0x31]; // "ARROW1"
const CONTINUATION = -1;
/** Longest flatbuffer metadata believed (a schema of thousands of columns fits). */
const MAX_METADATA = 64 * 1024 * 1024;

type State = 'start' | 'prefix' | 'length' | 'meta' | 'body' | 'done';

interface Region {
	offset: number;
	length: number;
}
interface Node {
	length: number;
	nullCount: number;
}

export class IpcScanner {
	/** Byte offset of each record batch message, in order. */
	readonly batchOffsets: number[] = [];
	private state: State = 'start';
	private file = false;
	/** Bytes taken so far (the offset of the next byte). */
	private at = 0;
	private buf = new Uint8Array(8);
	private have = 0;
	private want = 8;
	private bodyLeft = 0;
	private bodyLength = 0;
	private messageAt = 0;
	private kind = '';

	/** Follows `chunk`; an ArrowDamage when the framing or a batch's metadata is wrong. */
	push(chunk: Uint8Array): void {
		let i = 0;
		while (i < chunk.length && this.state !== 'done') {
			if (this.state === 'body') {
				const n = Math.min(this.bodyLeft, chunk.length - i);
				this.bodyLeft -= n;
				this.at += n;
				i += n;
				if (this.bodyLeft === 0) this.expect('prefix', 4);
				continue;
			}
			const n = Math.min(this.want - this.have, chunk.length - i);
			this.buf.set(chunk.subarray(i, i + n), this.have);
			this.have += n;
			this.at += n;
			i += n;
			if (this.have === this.want) this.step();
		}
	}

	/** The end of the input: an ArrowDamage when a stream ends inside a message. */
	finish(): void {
		if (this.file || this.state === 'done' || this.state === 'start') return;
		if (this.state === 'prefix' && this.have === 0) return; // a stream without an end marker
		const what = this.kind || 'message';
		if (this.state === 'body')
			throw new ArrowDamage(
				`${what} at byte ${this.messageAt} declares a body of ${this.bodyLength} bytes, but the ` +
					`data ends after ${this.bodyLength - this.bodyLeft} of them (at byte ${this.at}): it is cut short`
			);
		throw new ArrowDamage(
			`the data ends inside the message at byte ${this.messageAt}: it is cut short`
		);
	}

	private expect(state: State, bytes: number): void {
		this.state = state;
		this.have = 0;
		this.want = bytes;
		if (this.buf.length < bytes) this.buf = new Uint8Array(bytes);
		if (state === 'prefix') {
			this.messageAt = this.at;
			this.kind = '';
		}
	}

	private int32(): number {
		return new DataView(this.buf.buffer, 0, 4).getInt32(0, true);
	}

	private step(): void {
		switch (this.state) {
			case 'start': {
				if (MAGIC.every((b, i) => this.buf[i] === b)) {
					this.file = true;
					this.expect('prefix', 4);
					return;
				}
				// A stream: these 8 bytes are the first message's marker and length.
				const first = this.buf.slice(0, 8);
				this.at -= 8;
				this.expect('prefix', 4);
				this.push(first);
				return;
			}
			case 'prefix': {
				const value = this.int32();
				if (value === CONTINUATION) this.expect('length', 4);
				else this.metadataLength(value); // before format 0.15: no marker
				return;
			}
			case 'length':
				this.metadataLength(this.int32());
				return;
			case 'meta':
				this.message();
				return;
		}
	}

	private metadataLength(n: number): void {
		if (n === 0) {
			this.state = 'done'; // end-of-stream marker
			return;
		}
		if (n < 0 || n > MAX_METADATA) {
			if (this.file)
				this.state = 'done'; // the footer
			else
				throw new ArrowDamage(
					`the message at byte ${this.messageAt} declares ${n} bytes of metadata, which cannot be right`
				);
			return;
		}
		this.expect('meta', n);
	}

	private message(): void {
		let message: Message;
		try {
			message = Message.decode(this.buf.subarray(0, this.want));
		} catch {
			if (this.file) {
				this.state = 'done'; // the footer
				return;
			}
			throw new ArrowDamage(`the message at byte ${this.messageAt} has damaged metadata`);
		}
		const bodyLength = Number(message.bodyLength);
		if (message.isRecordBatch()) {
			this.kind = `record batch ${this.batchOffsets.length}`;
			this.batchOffsets.push(this.messageAt);
			const header = message.header();
			this.checkRegions(header.buffers, header.nodes, bodyLength);
		} else if (message.isDictionaryBatch()) {
			this.kind = 'dictionary batch';
			const data = message.header().data;
			this.checkRegions(data.buffers, data.nodes, bodyLength);
		}
		this.bodyLength = bodyLength;
		this.bodyLeft = bodyLength;
		if (bodyLength > 0) this.state = 'body';
		else this.expect('prefix', 4);
	}

	private checkRegions(buffers: Region[], nodes: Node[], bodyLength: number): void {
		const where = `${this.kind} at byte ${this.messageAt}`;
		buffers.forEach((b, i) => {
			if (b.offset < 0 || b.length < 0 || b.offset + b.length > bodyLength)
				throw new ArrowDamage(
					`${where}: buffer ${i} (offset ${b.offset}, ${b.length} bytes) lies outside the ` +
						`batch's body of ${bodyLength} bytes`
				);
		});
		nodes.forEach((node, i) => {
			if (node.length < 0 || node.nullCount < 0 || node.nullCount > node.length)
				throw new ArrowDamage(
					`${where}: column node ${i} says ${node.nullCount} nulls in ${node.length} rows`
				);
		});
	}
}

/** Zero bits among bits [start, start + length) of `bitmap`. */
function zeroBits(bitmap: Uint8Array, start: number, length: number): number {
	let ones = 0;
	for (let i = start; i < start + length; i++) ones += (bitmap[i >> 3] >> (i & 7)) & 1;
	return length - ones;
}

/** What is wrong with a decoded column's buffers, or null when they hold its rows. */
export function checkColumn(data: Data): string | null {
	const { length, offset } = data;
	const bitmap = data.nullBitmap;
	if (bitmap && bitmap.length > 0) {
		if (bitmap.length * 8 < offset + length)
			return `its validity bitmap has ${bitmap.length} bytes for ${length} rows`;
		const nulls = zeroBits(bitmap, offset, length);
		if (data.nullCount >= 0 && nulls !== data.nullCount)
			return `its validity bitmap marks ${nulls} nulls where the batch says ${data.nullCount}`;
	}
	const type = data.type;
	if (DataType.isUtf8(type) || DataType.isLargeUtf8(type)) {
		const offsets = data.valueOffsets as ArrayLike<number | bigint>;
		if (offsets.length < offset + length + 1)
			return `its offsets buffer holds ${Math.max(0, offsets.length - 1)} of ${length} rows`;
		const bytes = data.values?.length ?? 0;
		let previous = Number(offsets[offset]);
		if (previous < 0 || previous > bytes) return `its text offset ${previous} is outside its data`;
		for (let i = offset + 1; i <= offset + length; i++) {
			const next = Number(offsets[i]);
			if (next < previous || next > bytes)
				return `its text offsets go from ${previous} to ${next} at row ${i - offset - 1} (data of ${bytes} bytes)`;
			previous = next;
		}
		return null;
	}
	if (DataType.isDictionary(type)) {
		const size = data.dictionary?.length ?? 0;
		const indices = data.values as ArrayLike<number | bigint>;
		if (indices.length < offset + length) return `its indices hold fewer than ${length} rows`;
		for (let i = offset; i < offset + length; i++) {
			if (data.nullCount > 0 && bitmap && ((bitmap[i >> 3] >> (i & 7)) & 1) === 0) continue;
			const k = Number(indices[i]);
			if (k < 0 || k >= size)
				return `its dictionary index ${k} at row ${i - offset} is outside the dictionary of ${size}`;
		}
		return null;
	}
	if (DataType.isBool(type)) {
		const values = data.values as Uint8Array;
		return values.length * 8 < offset + length
			? `its values hold ${values.length * 8} of ${length} rows`
			: null;
	}
	const values = data.values as ArrayLike<unknown> | undefined;
	const stride = data.stride ?? 1;
	if (values && values.length < (offset + length) * stride)
		return `its values hold ${Math.floor(values.length / stride)} of ${length} rows`;
	return null;
}
