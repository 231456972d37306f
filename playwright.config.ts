// Browser journeys in Debian's Chromium headless shell (Playwright's own browser download cannot work here).
// Each run starts the app on E2E_PORT (3100) with a fresh database full of demo data.
import path from 'node:path';
import { defineConfig, devices } from '@playwright/test';
// @ts-expect-error plain JavaScript module without types
import { chromiumPath } from './scripts/ensure-chromium.mjs';

const port = Number(process.env.E2E_PORT ?? 3100);
const paymentsPort = port + 1;
const runDir = path.join('.tmp', `e2e-${port}`);
// CHROMIUM_PATH, else Debian's headless shell, else its full browser (scripts/ensure-chromium.mjs)
const chromium = chromiumPath() as string | undefined;

export default defineConfig({
  testDir: 'e2e',
  outputDir: path.join(runDir, 'results'),
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [['list'], ['html', { open: 'never', outputFolder: path.join(runDir, 'report') }]] : [['list']],
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    ...devices['Pixel 5'],
    viewport: { width: 360, height: 780 },
    locale: 'id-ID',
    timezoneId: 'Asia/Makassar',
    // A trace costs a quarter of the journeys' time (drills + marketplace: 102 s of tests with it, 75 s
    // without, 2 Dec); PW_TRACE=1 records one for each failing test. A failure always keeps its screenshot.
    trace: process.env.PW_TRACE ? 'retain-on-failure' : 'off',
    video: 'off',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: chromium,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
  projects: [{ name: 'phone', use: { browserName: 'chromium' } }],
  webServer: {
    command: `node scripts/e2e-server.mjs`,
    url: `http://127.0.0.1:${port}/healthz`,
    reuseExistingServer: false,
    timeout: 120_000,
    stdout: 'ignore',
    stderr: 'pipe',
    env: {
      PORT: String(port),
      HOST: '127.0.0.1',
      PAYMENT_SANDBOX_PORT: String(paymentsPort),
      E2E_RUN_DIR: runDir,
      LOG_LEVEL: 'warn',
      LOGIN_RATE_LIMIT: '1000',
      JOIN_RATE_LIMIT: '1000',
      ROOM_DEVICE_LIMIT: '100000',
      // The journeys in the demo workshop act as the demo shops themselves: its bots wait.
      // e2e/market.spec.ts starts the bots of its own workshop.
      MARKET_BOTS: 'paused',
    },
  },
});
