// The first minutes of a workshop: the organizer puts the join code on the projector, a
// participant joins from her phone, and everyone can switch the language.
import { demoAccounts } from '../src/features/sandbox/demo-accounts.js';
import { expect, login, logout, shot, test } from './fixtures.js';

test('organizer opens a workshop, a participant joins from her phone in one form', async ({ page, browser }) => {
  await login(page, demoAccounts.organizer);
  await page.getByRole('link', { name: 'Buat pelatihan' }).click();
  await page.getByLabel('Nama pelatihan').fill('Pelatihan UMKM Ubud');
  await page.getByLabel('Kota').fill('Gianyar');
  await page.getByLabel('Tempat').fill('Balai Desa Ubud');
  await page.getByLabel('Tanggal mulai').fill('2026-12-10');
  await page.getByLabel('Tanggal selesai').fill('2026-12-11');
  await shot(page, 'foundation-01-new-workshop');
  await page.getByRole('button', { name: 'Simpan' }).click();

  await expect(page.getByRole('heading', { name: 'Gabung ke PasarLatih' })).toBeVisible();
  const code = (await page.getByTestId('join-code').textContent())!.trim();
  expect(code).toMatch(/^[A-Z0-9]{3} [A-Z0-9]{3}$/);
  const qr = page.getByRole('img', { name: 'Kode QR untuk bergabung ke pelatihan' });
  await expect(qr).toBeVisible();
  expect(await qr.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
  await shot(page, 'foundation-02-projector');

  // A participant's phone: a new browser context, nobody signed in.
  const phone = await browser.newContext({
    viewport: { width: 360, height: 780 },
    locale: 'id-ID',
    baseURL: test.info().project.use.baseURL,
  });
  const trainee = await phone.newPage();
  const joinUrl = (await page.getByTestId('join-url').textContent())!.trim();
  await trainee.goto(new URL(joinUrl).pathname + new URL(joinUrl).search);
  await expect(trainee.getByLabel('Kode gabung')).toHaveValue(code.replace(' ', ''));
  await trainee.getByLabel('Nama Anda (yang dilihat orang lain)').fill('Ni Made Sari');
  await trainee.getByLabel('Nama pengguna untuk masuk').fill('made.sari');
  await trainee.getByLabel('Kata sandi').fill('rahasia-ku-1');
  await shot(trainee, 'foundation-03-join-form');
  await trainee.getByRole('button', { name: 'Gabung' }).click();
  await expect(trainee.getByRole('status')).toContainText('Selamat datang, Ni Made Sari! Anda sudah bergabung ke Pelatihan UMKM Ubud.');
  await expect(trainee.getByRole('heading', { level: 1 })).toHaveText('Pelatihan UMKM Ubud');
  await shot(trainee, 'foundation-04-joined');

  // The organizer sees one participant; then closes joining and a late phone is refused.
  await page.getByRole('link', { name: 'Kembali ke pelatihan' }).click();
  await expect(page.getByTestId('trainee-count')).toHaveText('1');
  await page.getByRole('button', { name: 'Tutup pendaftaran' }).click();
  await expect(page.getByRole('status')).toContainText('Pendaftaran ditutup');
  const late = await (
    await browser.newContext({ baseURL: test.info().project.use.baseURL, viewport: { width: 360, height: 780 } })
  ).newPage();
  await late.goto(`/join?code=${code.replace(' ', '')}`);
  await late.getByLabel('Nama Anda (yang dilihat orang lain)').fill('Terlambat');
  await late.getByLabel('Nama pengguna untuk masuk').fill('terlambat');
  await late.getByLabel('Kata sandi').fill('rahasia-ku-1');
  await late.getByRole('button', { name: 'Gabung' }).click();
  await expect(late.getByText('Pendaftaran pelatihan ini sudah ditutup. Tanyakan ke fasilitator.')).toBeVisible();
  await expect(late.getByLabel('Nama Anda (yang dilihat orang lain)')).toHaveValue('Terlambat');
  await shot(late, 'foundation-05-join-closed');
  await logout(page);
});

test('every page switches between Bahasa Indonesia and English, and unknown pages say so in both', async ({ page }) => {
  await page.goto('/login');
  await expect(page.getByRole('heading', { name: 'Masuk' })).toBeVisible();
  await page.getByRole('link', { name: 'English' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect(page).toHaveURL(/\/login$/);
  await page.goto('/tidak-ada');
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  await page.getByRole('link', { name: 'Bahasa Indonesia' }).click();
  await expect(page.getByRole('heading', { name: 'Halaman tidak ditemukan' })).toBeVisible();
  await shot(page, 'foundation-06-not-found');
});
