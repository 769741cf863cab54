// How far a source has read, handed to its stage (`ctx.reportProgress`) for the progress bar.
//
// A source kernel counts the bytes it takes (`add`, per chunk) and calls `report` on every
// produce(); a report reaches the stage only when REPORT_EVERY_BYTES more were read since the
// last one, when the total changed (a response's Content-Length arrived), or when forced at the
// end of the input — so a 1 GB file costs about 16 000 reports, not one per chunk or per call.
// Runs on the kernel's thread only; allocates nothing after construction.
import type { KernelContext } from '../../runtime/scheduler/kernel';

/** Bytes read between two reports at most (a chunk larger than this reports once). */
export const REPORT_EVERY_BYTES = 64 * 1024;

export class ByteProgress {
	/** Bytes read so far. */
	read = 0;
	private reportedRead = -1;
	private reportedTotal = Number.NaN;

	/** Counts `bytes` more read. */
	add(bytes: number): void {
		if (bytes > 0) this.read += bytes;
	}

	/** Sets the running total (for readers that count for themselves, e.g. Parquet's ranges). */
	set(total: number): void {
		if (total > this.read) this.read = total;
	}

	/**
	 * Tells the stage `read` of `total` (-1 when unknown) if enough changed since the last
	 * report, or always when `final` (the input ended: the last figure must be exact).
	 */
	report(ctx: KernelContext, total: number, final = false): void {
		// Nothing read and no size yet (a response's headers still on their way): nothing to say,
		// and "unknown size" would be wrong the moment they arrive.
		if (!ctx.reportProgress || (this.read === 0 && total === -1 && !final)) return;
		const changed =
			final || total !== this.reportedTotal || this.read - this.reportedRead >= REPORT_EVERY_BYTES;
		if (!changed || (this.read === this.reportedRead && total === this.reportedTotal)) return;
		this.reportedRead = this.read;
		this.reportedTotal = total;
		ctx.reportProgress(this.read, total);
	}
}
