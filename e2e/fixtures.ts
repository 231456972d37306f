// Shared steps of the browser journeys: sign in like a person, take phone screenshots.
import fs from 'node:fs';
import path from 'node:path';
import { expect, type Page } from '@playwright/test';
import { DEMO_PASSWORD, demoWorkshop } from '../src/features/sandbox/demo-accounts.js';

export { expect, test } from '@playwright/test';

const port = Number(process.env.E2E_PORT ?? 3100);
/** The run's own folder: the app's database, uploads and snapshots of this browser test run. */
export const e2eRunDir = path.resolve('.tmp', `e2e-${port}`);
export const e2eDatabaseUrl = `file:${path.join(e2eRunDir, 'app.db')}`;

const screenshotDir = path.resolve('e2e', 'screenshots');

/** A full-page screenshot at phone width, saved for people to look at (e2e/screenshots/). */
export async function shot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: true });
}

/** Signs in through the form as a demo account (demo-accounts.ts), with the demo password unless told. */
export async function login(page: Page, account: { username: string }, password = DEMO_PASSWORD): Promise<void> {
  await page.goto('/login');
  await page.getByLabel('Nama pengguna').fill(account.username);
  await page.getByLabel('Kata sandi').fill(password);
  await page.getByRole('button', { name: 'Masuk' }).click();
  await expect(page.getByRole('status').first()).toContainText('Selamat datang');
}

/** Signs out from the top bar's menu, where the sign-out button lives. */
export async function logout(page: Page): Promise<void> {
  await page.locator('.site-header').getByText('Menu', { exact: true }).click();
  await page.getByRole('button', { name: /Keluar/ }).click();
  await expect(page).toHaveURL(/\/$/);
}

/** The id of the demo workshop, read from the "my workshops" page. */
export async function demoWorkshopPath(page: Page): Promise<string> {
  await page.goto('/workshops');
  const href = await page.getByRole('link', { name: new RegExp(demoWorkshop.name) }).getAttribute('href');
  if (!href) throw new Error('Demo workshop not found');
  return href;
}
