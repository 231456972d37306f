// A trainee opens her shop from her phone, lists a product with a photo, and finds it in the
// catalogue by search; a wrong file is refused without losing what she typed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { demoAccounts, demoWorkshop } from '../src/features/sandbox/demo-accounts.js';
import { demoWorkshopPath, expect, login, shot, test } from './fixtures.js';

test('trainee opens a shop, lists a product with a photo and finds it by search', async ({ page }) => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pl-shop-'));
  const photo = path.join(tmp, 'pie-susu.jpg');
  const pretend = path.join(tmp, 'bukan-foto.jpg');
  await sharp({ create: { width: 1200, height: 900, channels: 3, background: { r: 214, g: 140, b: 43 } } })
    .composite([
      {
        input: Buffer.from(
          '<svg xmlns="http://www.w3.org/2000/svg" width="1200" height="900"><circle cx="600" cy="450" r="300" fill="#f7e3a1"/></svg>',
        ),
      },
    ])
    .jpeg()
    .withExif({ IFD0: { Make: 'HP Siti' } })
    .toFile(photo);
  fs.writeFileSync(pretend, 'ini hanya teks, bukan foto');

  await login(page, demoAccounts.siti);
  const workshop = await demoWorkshopPath(page);
  await page.goto(workshop);
  await page
    .getByRole('link', { name: /Toko saya/ })
    .first()
    .click();
  await shot(page, 'shops-01-no-shop');
  await page.getByRole('link', { name: 'Buka toko' }).click();
  await page.getByLabel('Nama toko').fill('Pie Susu Bu Siti');
  await page.getByLabel('Kota').fill('Denpasar');
  await page.getByLabel('Tentang toko').fill('Pie susu buatan rumah, dibuat setiap pagi di Denpasar.');
  await shot(page, 'shops-02-open-form');
  await page.getByRole('button', { name: 'Buka toko' }).click();
  await expect(page.getByRole('status').first()).toContainText('Toko Pie Susu Bu Siti sudah dibuka');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Pie Susu Bu Siti');
  await shot(page, 'shops-03-my-shop-empty');

  await page.getByRole('link', { name: '+ Tambah produk' }).click();
  await page.getByLabel('Nama produk').fill('Pie Susu Keju Bu Siti isi 10');
  await page.getByLabel('Kategori').selectOption('makanan-camilan');
  await page.getByLabel('Harga (Rp)').fill('45.000');
  await page.getByLabel('Stok').fill('20');
  await page.getByLabel('Berat (gram)').fill('350');
  await page.getByLabel('Deskripsi').fill('Pie susu dengan taburan keju, isi 10 buah. Tahan 7 hari di suhu ruang, 14 hari di kulkas.');

  // A text file named .jpg: refused, and what was typed stays.
  await page.getByLabel('Foto produk').setInputFiles(pretend);
  await page.getByRole('button', { name: 'Simpan dan tampilkan' }).click();
  await expect(page.getByText('File ini bukan foto JPG, PNG atau WebP')).toBeVisible();
  await expect(page.getByLabel('Nama produk')).toHaveValue('Pie Susu Keju Bu Siti isi 10');
  await expect(page.getByLabel('Harga (Rp)')).toHaveValue('45.000');
  await shot(page, 'shops-04-wrong-file-kept');

  await page.getByLabel('Foto produk').setInputFiles(photo);
  await page.getByRole('button', { name: 'Simpan dan tampilkan' }).click();
  await expect(page.getByRole('status').first()).toContainText('sudah tampil di katalog');
  await shot(page, 'shops-05-after-listing');

  await page.goto(`${workshop}/shop`);
  await expect(page.getByTestId('my-listing')).toHaveCount(1);
  await shot(page, 'shops-06-my-shop');

  await page.getByRole('link', { name: 'Katalog' }).first().click();
  await page.getByLabel('Cari produk').fill('PIE susu KEJU');
  await page.getByRole('button', { name: 'Cari' }).click();
  const card = page.getByTestId('product-card').filter({ hasText: 'Pie Susu Keju Bu Siti isi 10' });
  await expect(card).toHaveCount(1);
  await expect(card).toContainText('Rp 45.000');
  await expect(card).toContainText('Pie Susu Bu Siti');
  const thumb = card.locator('img');
  expect(await thumb.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
  await shot(page, 'shops-07-search');

  await card.getByRole('link').click();
  await expect(page.getByTestId('own-product')).toContainText('Ini produk Anda.');
  await shot(page, 'shops-08-own-product');

  // The demo catalogue, as a buyer sees it.
  await page.goto(`${workshop}/catalog`);
  await page.getByLabel('Urutkan').selectOption('price-asc');
  await expect(page).toHaveURL(/sort=price-asc/);
  await expect(page.getByTestId('product-card').first()).toContainText('Rp 15.000');
  await shot(page, 'shops-09-catalogue');
  await page.getByTestId('product-card').filter({ hasText: 'Kopi Arabika Kintamani Biji' }).getByRole('link').click();
  await expect(page.getByRole('button', { name: /keranjang/i })).toBeVisible();
  await shot(page, 'shops-10-product');
  fs.rmSync(tmp, { recursive: true, force: true });
});

test('tutor resets the practice market: the workshop name is refused, the word RESET leaves only the demo shops', async ({ page }) => {
  await login(page, demoAccounts.tutor);
  const workshop = await demoWorkshopPath(page);
  await page.goto(workshop);
  await page.getByRole('link', { name: /Alat fasilitator/ }).click();
  await page.getByRole('link', { name: 'Reset pasar latihan' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Reset pasar latihan');
  await shot(page, 'shops-11-reset-page');

  await page.getByLabel('Ketik RESET untuk memastikan').fill(demoWorkshop.name);
  await page.getByRole('button', { name: 'Reset pasar latihan sekarang' }).click();
  await expect(page.getByText('Kata yang diketik bukan RESET')).toBeVisible();
  await shot(page, 'shops-12-reset-wrong-name');

  await page.getByLabel('Ketik RESET untuk memastikan').fill('reset');
  await page.getByRole('button', { name: 'Reset pasar latihan sekarang' }).click();
  await expect(page.getByRole('status').first()).toContainText(/Cadangan: workshop-\d+-.*\.json/);
  await shot(page, 'shops-13-reset-done');

  await page.goto(`${workshop}/catalog?q=keju`);
  await expect(page.getByTestId('result-count')).toHaveText('0 produk untuk "keju"');
  await page.goto(`${workshop}/catalog`);
  await expect(page.getByTestId('result-count')).toHaveText('18 produk');
});
