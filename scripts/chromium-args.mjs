// How every Chromium of the project is launched (Playwright's tests and the benches): headless,
// software rendering, no sandbox (root in containers), nothing that reaches the network.
export const CHROMIUM_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-quic',
	'--no-first-run',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-sync'
];
