// Production server: adapter-node's handler behind the security headers, so static assets and
// worker scripts are cross-origin isolated too (hooks.server.ts never sees them).
import { createServer } from 'node:http';
import { answerClientError, securityHeaders } from './security-headers.js';

const { handler } = await import('./build/handler.js');

const host = process.env.HOST ?? '127.0.0.1';
const port = Number(process.env.PORT ?? 4173);

const server = createServer((req, res) => {
	securityHeaders(req, res, () =>
		handler(req, res, () => {
			res.statusCode = 404;
			res.end('Not found');
		})
	);
});

// Requests Node cannot parse (bad method, oversized URL) are answered with the same headers.
server.on('clientError', answerClientError);

server.listen(port, host, () => {
	const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
	console.log(`Sluice is running at http://${shown}:${port}/`);
});

for (const signal of ['SIGINT', 'SIGTERM'])
	process.on(signal, () => server.close(() => process.exit(0)));
