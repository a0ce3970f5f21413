import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/**
 * Debian's Chromium, driven by playwright-core (never a downloaded browser). The end-to-end tests
 * fail — they do not skip — when it is missing: docs/testing.md says `apt-get install -y chromium fonts-noto-cjk`.
 */
export function chromiumPath(): string {
  const candidates = [process.env.LCR_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].filter(Boolean) as string[];
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error('Chromium not found: install it (Debian/Ubuntu: apt-get install -y chromium fonts-noto-cjk) or set LCR_CHROMIUM');
  return found;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-dev-shm-usage'],
  });
}
