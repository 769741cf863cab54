// The benches' Chromium: Debian's (or the one scripts/find-chromium.mjs finds), launched with
// the args of playwright.config.ts (headless, software rendering).
import { chromium, type Browser } from '@playwright/test';
import { findChromium } from '../../scripts/find-chromium.mjs';

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

export function launchChromium(): Promise<Browser> {
	return chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
}
