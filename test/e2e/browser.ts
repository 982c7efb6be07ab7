// Debian's Chromium driven by playwright-core (Playwright's own browser download cannot
// work offline).
import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export function chromiumPath(): string {
  const p = process.env.CHROME_PATH ?? '/usr/bin/chromium';
  if (!fs.existsSync(p)) {
    throw new Error(
      `No Chromium at ${p}. Install Debian's (apt-get install -y chromium) or set CHROME_PATH to a Chromium/Chrome binary.`,
    );
  }
  return p;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}
