// Scam drills and chat at phone size, in a workshop of its own (e2e/drills.seed.ts): a trainee
// chats with another's shop and the seller sees the unread badge; the tutor sends drill 1 (a
// "CS PasarLatih" asking for the OTP) to everyone; Ayu refuses and reports it, Made complies and
// reads the debrief; the tutor's board shows 1 spotted / 1 complied and the evaluation the share.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import sharp from 'sharp';
import type { Page } from '@playwright/test';
import { e2eDatabaseUrl, e2eRunDir, expect, login, shot, test } from './fixtures.js';
import { drillsJourney } from './drills.journey.js';

let workshop = '';

test.beforeAll(() => {
  const out = execFileSync('node_modules/.bin/tsx', ['e2e/drills.seed.ts'], {
    env: {
      ...process.env,
      DATABASE_URL: e2eDatabaseUrl,
      UPLOAD_DIR: path.join(e2eRunDir, 'uploads'),
      LOG_LEVEL: 'silent',
      NODE_ENV: 'development',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  workshop = `/workshops/${(JSON.parse(out.toString().trim().split('\n').pop()!) as { workshopId: number }).workshopId}`;
});

/** Signs out through the menu (folded at phone width). */
async function logout(page: Page) {
  await page.getByText('Menu', { exact: true }).click();
  await page.getByRole('button', { name: /Keluar/ }).click();
  await expect(page).toHaveURL(/\/$/);
}

/** Opens the chat list from the orders tab, where her unread badge sits. */
async function openChatList(page: Page) {
  await page.goto(workshop);
  await page.locator('[data-tab="orders"]').click();
  await page.getByTestId('chat-link').click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Chat');
}

test.describe.serial('chat and scam drills', () => {
  test('Ayu asks a question with "Chat penjual"; Made sees the badge on his tab bar and answers, and his answer appears on her open page', async ({
    page,
    browser,
  }) => {
    await login(page, drillsJourney.traineeA);
    await page.goto(`${workshop}/catalog`);
    await page
      .getByRole('link', { name: new RegExp(drillsJourney.product) })
      .first()
      .click();
    await page.getByRole('button', { name: 'Chat penjual' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(`Chat dengan ${drillsJourney.shop}`);
    await expect(page.getByTestId('chat-staff-note')).toContainText('Staf pelatihan');
    await page.getByLabel('Pesan').fill('Halo Kak, kainnya ukuran berapa?');
    await page.getByRole('button', { name: 'Kirim' }).click();
    await expect(page.getByTestId('chat-message')).toHaveText([/Halo Kak, kainnya ukuran berapa\?/]);
    await shot(page, 'drills-01-chat-buyer');

    const made = await (await browser.newContext()).newPage();
    await login(made, drillsJourney.traineeB);
    await made.goto(workshop);
    await expect(made.locator('[data-badge="orders"]')).toContainText('1');
    await openChatList(made);
    await shot(made, 'drills-02-chat-list-seller');
    await made.getByRole('link', { name: drillsJourney.traineeA.displayName }).click();
    await made.getByLabel('Pesan').fill('Halo, 2 x 1 meter.');
    await made.getByRole('button', { name: 'Kirim' }).click();
    await expect(made.getByTestId('chat-message')).toHaveCount(2);
    await expect(made.locator('[data-badge="orders"]')).toHaveCount(0);
    await made.context().close();

    // Her page, still open, shows the answer without a reload.
    await expect(page.getByTestId('chat-message')).toHaveText([/ukuran berapa/, /2 x 1 meter/], { timeout: 15_000 });
    await logout(page);
  });

  test('the tutor sends drill 1 to all participants', async ({ page }) => {
    await login(page, drillsJourney.tutor);
    await page.goto(workshop);
    await page.getByRole('link', { name: /^Latihan penipuan/ }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Latihan penipuan');
    await page.getByLabel(/1\. "CS PasarLatih" meminta kode OTP/).check();
    await page.getByLabel('Kepada', { exact: true }).selectOption({ label: 'Semua peserta' });
    await page.getByRole('button', { name: 'Kirim latihan' }).click();
    await expect(page.getByRole('status').first()).toContainText('Latihan dikirim ke 2 peserta.');
    await expect(page.getByTestId('drill-counts')).toHaveText('0 mengenali · 0 tertipu · 2 belum bereaksi');
    await shot(page, 'drills-03-tutor-sent');
    await logout(page);
  });

  test('Ayu refuses the "CS" and reports it', async ({ page }) => {
    await login(page, drillsJourney.traineeA);
    await openChatList(page);
    await page.getByRole('link', { name: 'CS PasarLatih Resmi ✔' }).click();
    await expect(page.getByTestId('chat-message').first()).toContainText('Customer Service PasarLatih');
    await expect(page.getByTestId('drill-debrief')).toHaveCount(0);
    await shot(page, 'drills-04-drill-arrives');
    await page.getByRole('button', { name: 'Tolak' }).click();
    await expect(page.getByTestId('drill-debrief')).toContainText('Bagus, Anda mengenali penipuan ini.');
    await page.getByRole('button', { name: 'Laporkan' }).click();
    await expect(page.getByRole('status').first()).toContainText('laporan Anda tercatat');
    await expect(page.getByTestId('drill-debrief')).toContainText('Laporkan');
    await shot(page, 'drills-05-spotted-debrief');
    await logout(page);
  });

  test('Made sends the code and reads what would have happened', async ({ page }) => {
    await login(page, drillsJourney.traineeB);
    await openChatList(page);
    await page.getByRole('link', { name: 'CS PasarLatih Resmi ✔' }).click();
    await page.getByRole('button', { name: 'Kirim kode OTP' }).click();
    const debrief = page.getByTestId('drill-debrief');
    await expect(debrief).toContainText('Ini latihan penipuan');
    await expect(debrief).toContainText('Anda tertipu kali ini.');
    await expect(debrief).toContainText('CS asli tidak pernah meminta kode OTP.');
    await shot(page, 'drills-06-complied-debrief');
    await logout(page);
  });

  test('the board shows 1 spotted and 1 complied; the evaluation shows the share who spotted it', async ({ page }) => {
    await login(page, drillsJourney.tutor);
    await page.goto(`${workshop}/drills`);
    await expect(page.getByTestId('drill-counts')).toHaveText('1 mengenali · 1 tertipu · 0 belum bereaksi');
    await expect(page.getByRole('row', { name: new RegExp(drillsJourney.traineeB.displayName) })).toContainText('Tertipu');
    await shot(page, 'drills-07-board');
    await page.goto(`${workshop}/evaluation`);
    const drills = page.getByTestId('eval-drills');
    await expect(drills).toContainText('Bukti perilaku: latihan penipuan');
    const share = drills.locator('tr[data-drill="otp-cs"]').getByTestId('drill-share');
    await expect(share).toBeVisible();
    await expect(share).toHaveText('50%');
    await drills.scrollIntoViewIfNeeded();
    await shot(page, 'drills-08-evaluation');
  });

  test('Ayu sends Made a photo, then reports and blocks him; the tutor reads the report', async ({ page }) => {
    await login(page, drillsJourney.traineeA);
    await openChatList(page);
    await page.getByRole('link', { name: drillsJourney.shop }).click();
    const photo = await sharp({ create: { width: 640, height: 480, channels: 3, background: { r: 180, g: 90, b: 40 } } })
      .jpeg()
      .toBuffer();
    await page.getByLabel('Foto (boleh tanpa teks)').setInputFiles({ name: 'kain.jpg', mimeType: 'image/jpeg', buffer: photo });
    await page.getByRole('button', { name: 'Kirim' }).click();
    const image = page.locator('img.chat-photo').last();
    await expect(image).toBeVisible();
    expect(await image.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
    await page.getByText('Laporkan atau blokir').click();
    await shot(page, 'drills-09-chat-photo-safety');
    await page.getByLabel('Keterangan (boleh kosong)').fill('Minta transfer ke rekening pribadi');
    await page.getByRole('button', { name: 'Laporkan', exact: true }).click();
    await expect(page.getByRole('status').first()).toContainText('Laporan terkirim');
    await page.getByText('Laporkan atau blokir').click();
    await page.getByRole('button', { name: 'Blokir', exact: true }).click();
    await expect(page.getByTestId('chat-blocked')).toContainText('Anda memblokir orang ini');
    await shot(page, 'drills-10-chat-blocked');
    await logout(page);

    await login(page, drillsJourney.tutor);
    await page.goto(`${workshop}/safety`);
    await expect(page.getByTestId('safety-report')).toContainText(
      `${drillsJourney.traineeA.displayName} melaporkan ${drillsJourney.traineeB.displayName}`,
    );
    await expect(page.getByTestId('safety-report')).toContainText('Minta transfer ke rekening pribadi');
    await shot(page, 'drills-11-reports');
  });
});
