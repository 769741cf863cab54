// The benches' Chromium: Debian's (or the one scripts/find-chromium.mjs finds), launched with
// the args of playwright.config.ts (scripts/chromium-args.mjs).
import { chromium, type Browser } from '@playwright/test';
import { CHROMIUM_ARGS } from '../../scripts/chromium-args.mjs';
import { findChromium } from '../../scripts/find-chromium.mjs';

export function launchChromium(): Promise<Browser> {
	return chromium.launch({ executablePath: findChromium(), args: CHROMIUM_ARGS });
}
