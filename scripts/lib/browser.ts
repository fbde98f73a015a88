/**
 * Launch Debian's Chromium headless with the project's flags, for the end-to-end tests
 * (`tests/e2e/harness.ts`) and the search benchmark (`scripts/bench-search.ts`). Never downloads a
 * browser; each launch gets a fresh temporary profile (Playwright's default).
 */
import { chromium, type Browser } from 'playwright-core';

/** Where Debian installs Chromium. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Launch headless Chromium: no sandbox, GPU, QUIC, first-run, background networking, updates or sync. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
