#!/usr/bin/env node
// The browser tests need a Chromium. Playwright's own browser download cannot work on these
// machines, so we use Debian's. Its headless shell (package chromium-headless-shell, the build
// Playwright itself runs headless) is preferred: the full browser in headless mode also runs its
// own window UI, and measured on 2 Dec the journeys took a quarter longer with it (drills.spec:
// 55.5 s of tests against 40.9 s). On Debian as root the shell is installed when missing; elsewhere
// this stops with the one command to run. CHROMIUM_PATH points at any other Chromium. Never skips.
// playwright.config.ts picks the browser with the same function.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { pathToFileURL } from 'node:url';

/** The Chromium the browser tests use: CHROMIUM_PATH, else Debian's headless shell, else its full browser. */
export function chromiumPath() {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  return ['/usr/bin/chromium-headless-shell', '/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => fs.existsSync(p));
}

function ensure() {
  if (process.env.CHROMIUM_PATH && !fs.existsSync(process.env.CHROMIUM_PATH)) {
    console.error(`CHROMIUM_PATH=${process.env.CHROMIUM_PATH} does not exist.`);
    process.exit(1);
  }
  const isDebian = fs.existsSync('/etc/debian_version');
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const shellMissing = !process.env.CHROMIUM_PATH && !fs.existsSync('/usr/bin/chromium-headless-shell');
  if (shellMissing && isDebian && isRoot) {
    console.log("Installing Debian's Chromium headless shell for the browser tests (apt-get install chromium-headless-shell)…");
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    try {
      execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
      execFileSync('apt-get', ['install', '-y', '-qq', 'chromium-headless-shell'], { stdio: 'inherit', env });
    } catch (error) {
      // a full chromium already there still runs the tests, only slower
      if (!chromiumPath()) throw error;
      console.warn(`Could not install chromium-headless-shell (${error.message}); using ${chromiumPath()}.`);
    }
  } else if (!chromiumPath()) {
    console.error('The browser tests need Chromium, and it is not installed.');
    console.error(
      isDebian
        ? 'Run:  sudo apt-get install -y chromium-headless-shell'
        : 'Install Chromium, then run:  CHROMIUM_PATH=/path/to/chromium npm test',
    );
    process.exit(1);
  }
  const browser = chromiumPath();
  if (!browser) {
    console.error('Chromium could not be installed.');
    process.exit(1);
  }
  console.log(`Browser tests use ${browser}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) ensure();
