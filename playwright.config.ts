import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS } from './scripts/chromium-args.mjs';

const PORT = Number(process.env.E2E_PORT ?? 4319);

export default defineConfig({
	testDir: 'test/e2e',
	timeout: 60_000,
	fullyParallel: false,
	workers: 1,
	retries: 0,
	reporter: [['list'], ['json', { outputFile: 'reports/playwright.json' }]],
	use: {
		baseURL: `http://127.0.0.1:${PORT}`,
		launchOptions: {
			executablePath: process.env.CHROMIUM_PATH,
			args: CHROMIUM_ARGS
		}
	},
	webServer: {
		command: 'node server.js',
		url: `http://127.0.0.1:${PORT}/`,
		// The fetch proxy may reach loopback only for data-io.spec.ts's test server (127.0.0.1/32).
		env: { PORT: String(PORT), HOST: '127.0.0.1', SLUICE_FETCH_ALLOW: '127.0.0.1/32' },
		reuseExistingServer: false,
		timeout: 60_000
	}
});
