// `npm run lesson-images`: takes the screenshots of PasarLatih itself that the lesson cards show,
// from a fresh demo app (the browser tests' server, on E2E_PORT), into public/img/lessons/.
import path from 'node:path';
import { defineConfig } from '@playwright/test';
import base from '../../playwright.config.js';

const root = path.resolve(import.meta.dirname, '../..');

export default defineConfig({
  ...base,
  testDir: '.',
  testMatch: 'lesson-images.spec.ts',
  outputDir: path.join(root, '.tmp', 'lesson-images'),
  webServer: { ...base.webServer, cwd: root } as typeof base.webServer,
});
