// `npm start`: build the app, then serve it (prints the URL).
import { spawnSync } from 'node:child_process';

const build = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { stdio: 'inherit' });
if (build.status !== 0) {
	console.error('Build failed; nothing to serve.');
	process.exit(build.status ?? 1);
}
await import('../server.js');
