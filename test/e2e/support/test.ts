// The one `test` every browser test imports: Playwright's, with an automatic fixture that fails
// the test on any console error or uncaught page error in any page of its context.
// A test that provokes an error on purpose lists the expected text in `allowConsoleErrors`
// (test.use({ allowConsoleErrors: [/404/] })), so nothing else can slip through unseen.
import { expect, test as base } from '@playwright/test';

export { expect };
export type { Page, Request, BrowserContext, Locator } from '@playwright/test';

type Options = { allowConsoleErrors: RegExp[] };
type Fixtures = { consoleGuard: void };

export const test = base.extend<Options & Fixtures>({
	allowConsoleErrors: [[], { option: true }],
	consoleGuard: [
		async ({ context, allowConsoleErrors }, use) => {
			const problems: string[] = [];
			const allowed = (text: string) => allowConsoleErrors.some((re) => re.test(text));
			const watch = (page: import('@playwright/test').Page) => {
				page.on('console', (msg) => {
					if (msg.type() !== 'error') return;
					const text = msg.text();
					if (!allowed(text)) problems.push(`console error: ${text}`);
				});
				page.on('pageerror', (e) => {
					if (!allowed(e.message)) problems.push(`page error: ${e.message}`);
				});
			};
			context.pages().forEach(watch);
			context.on('page', watch);
			await use();
			expect(problems, 'console errors during the test').toEqual([]);
		},
		{ auto: true }
	]
});
