// The proxied body as a web ReadableStream pulled from the upstream IncomingMessage: one upstream
// chunk per page read (highWaterMark 0), so memory stays flat however large the dataset. It counts
// bytes against the size cap, watches the time cap (the shared abort signal), and on either
// cut-off errors the stream — the server then destroys the page's connection, so the page sees a
// body shorter than the announced Content-Length (or an unterminated chunked body) — and logs it.

import type { IncomingMessage } from 'node:http';
import { ProxyError, proxyErrors } from './errors';

export interface StreamBodyOptions {
	readonly url: string;
	/** Content-Length announced upstream, if any: a shorter body is reported as truncated. */
	readonly expected: number | undefined;
	readonly maxBytes: number;
	/** Aborted with a ProxyError when the time cap passes. */
	readonly signal: AbortSignal;
	/** Called once when the stream ends, fails or is cancelled (clears the timers). */
	readonly done: () => void;
	readonly log: (message: string) => void;
}

export function streamBody(res: IncomingMessage, opts: StreamBodyOptions) {
	const chunks = res[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
	let received = 0;
	let finished = false;
	const finish = () => {
		if (finished) return false;
		finished = true;
		opts.done();
		res.destroy();
		return true;
	};
	let fail: (error: ProxyError) => void = () => {};
	const onAbort = () => {
		const reason = opts.signal.reason;
		if (reason instanceof ProxyError) fail(reason);
	};
	return new ReadableStream<Uint8Array>(
		{
			start(controller) {
				fail = (error) => {
					if (!finish()) return;
					opts.log(`${opts.url}: cut off after ${received} bytes: ${error.message}`);
					controller.error(error);
				};
				opts.signal.addEventListener('abort', onAbort, { once: true });
			},
			async pull(controller) {
				try {
					const next = await chunks.next();
					if (finished) return;
					if (next.done) {
						if (opts.expected !== undefined && received < opts.expected)
							throw proxyErrors.truncated(opts.url, received, opts.expected);
						finish();
						controller.close();
						return;
					}
					received += next.value.byteLength;
					if (received > opts.maxBytes) throw proxyErrors.tooLarge(opts.url, opts.maxBytes);
					controller.enqueue(next.value);
				} catch (error) {
					if (finished) return;
					if (error instanceof ProxyError) fail(error);
					else if (opts.signal.reason instanceof ProxyError) fail(opts.signal.reason);
					else
						fail(
							opts.expected !== undefined
								? proxyErrors.truncated(opts.url, received, opts.expected)
								: proxyErrors.unreachable(opts.url, 'upstream', String(error))
						);
				}
			},
			cancel() {
				finish();
			}
		},
		{ highWaterMark: 0 }
	);
}
