// Test worker (Node worker_thread, started through src/workers/node-bootstrap.mjs): the
// fallback host as it runs in a page that is not cross-origin isolated. It removes
// SharedArrayBuffer from its global scope *before* loading the host, so any module of the host
// that touches SharedArrayBuffer at load time or on the message-passing path fails the worker.
const scope = globalThis as { SharedArrayBuffer?: unknown };
delete scope.SharedArrayBuffer;
if (typeof scope.SharedArrayBuffer !== 'undefined') {
	throw new Error('could not remove SharedArrayBuffer from the worker');
}
await import('../../../workers/fallback-host');

export {};
