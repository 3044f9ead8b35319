import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_BIN = process.env['CHROMIUM_BIN'] ?? '/usr/bin/chromium';

/**
 * Flags for Debian's Chromium on these machines: without the background-networking ones it keeps
 * trying to reach Google's hosts, which the closed network refuses.
 */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Launches Debian's Chromium through playwright-core (which never downloads a browser of its own). */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_BIN)) {
    throw new Error(
      `${CHROMIUM_BIN} not found: run "npm run setup -- test" or "apt-get install -y chromium"`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_BIN, args: CHROMIUM_ARGS, headless: true });
}
