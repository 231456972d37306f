#!/usr/bin/env node
// The browser tests need a Chromium. Playwright's own browser download cannot work on these
// machines, so we use Debian's: on Debian as root it is installed when missing; elsewhere this
// stops with the one command to run. CHROMIUM_PATH points at any other Chromium. Never skips.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean);

function found() {
  return candidates.find((p) => fs.existsSync(p));
}

if (process.env.CHROMIUM_PATH && !fs.existsSync(process.env.CHROMIUM_PATH)) {
  console.error(`CHROMIUM_PATH=${process.env.CHROMIUM_PATH} does not exist.`);
  process.exit(1);
}

if (!found()) {
  const isDebian = fs.existsSync('/etc/debian_version');
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (isDebian && isRoot) {
    console.log("Chromium is missing: installing Debian's chromium package (apt-get install chromium)…");
    const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
    execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
    execFileSync('apt-get', ['install', '-y', '-qq', 'chromium'], { stdio: 'inherit', env });
  } else {
    console.error('The browser tests need Chromium, and it is not installed.');
    console.error(
      isDebian ? 'Run:  sudo apt-get install -y chromium' : 'Install Chromium, then run:  CHROMIUM_PATH=/path/to/chromium npm test',
    );
    process.exit(1);
  }
}

const browser = found();
if (!browser) {
  console.error('Chromium could not be installed.');
  process.exit(1);
}
console.log(`Browser tests use ${browser}`);
