// The pictures on the lesson cards (src/features/missions/lessons.ts): the top 360 × 420 of a page
// at phone width, 2× pixels for sharp text, saved as WebP into public/img/lessons/. Run by
// `npm run lesson-images` (playwright.config.ts beside this file) after a page they show changes.
import path from 'node:path';
import sharp from 'sharp';
import type { Page } from '@playwright/test';
import { demoAccounts, demoShopOwners } from '../../src/features/sandbox/demo-accounts.js';
import { demoWorkshopPath, expect, login, test } from '../../e2e/fixtures.js';

const outDir = path.resolve(import.meta.dirname, '../../public/img/lessons');
const size = { viewport: { width: 360, height: 420 }, deviceScaleFactor: 2 };

test.use(size);

async function save(page: Page, name: string) {
  const png = await page.screenshot();
  await sharp(png)
    .webp({ quality: 72 })
    .toFile(path.join(outDir, `${name}.webp`));
}

test('lesson pictures', async ({ page, browser }) => {
  test.setTimeout(180_000);
  await login(page, demoAccounts.siti);
  const workshop = await demoWorkshopPath(page);

  // Module B: the checkout. Module C: the hosted card page's lesson, then 3-D Secure's OTP.
  await page.goto(`${workshop}/catalog?q=kopi+arabika+kintamani+biji`);
  await page
    .getByRole('link', { name: /Kopi Arabika Kintamani Biji/ })
    .first()
    .click();
  await page.getByRole('button', { name: 'Masukkan keranjang' }).click();
  await page.getByRole('link', { name: 'Lanjut ke checkout' }).click();
  await save(page, 'checkout');
  await page.getByLabel('Nama penerima').fill('Siti Aminah');
  await page.getByLabel('Nomor HP').fill('081234567890');
  await page.getByLabel('Alamat (jalan, nomor, banjar/desa)').fill('Jl. Gatot Subroto No. 12');
  await page.getByLabel('Kota/Kabupaten').fill('Denpasar');
  await page.getByLabel('Kode pos').fill('80116');
  await page.getByRole('button', { name: 'Lanjut: periksa pesanan' }).click();
  await page.getByRole('button', { name: 'Buat pesanan' }).click();
  await page.getByTestId('pay-button').click();
  await page.getByRole('radio', { name: /Kartu kredit/ }).check();
  await page.getByRole('button', { name: 'Lanjut bayar' }).click();
  await page.locator('details.ps-lesson summary').click();
  await page.locator('details.ps-lesson').scrollIntoViewIfNeeded();
  await save(page, 'card-page');
  await page.getByRole('button', { name: /4000 0027 6000 3184/ }).click();
  await page.getByLabel('Nama pada kartu').fill('Siti Aminah');
  await page.getByRole('button', { name: /^Bayar Rp/ }).click();
  await expect(page.getByText(/Kode OTP: \d{6}/)).toBeVisible();
  await save(page, 'otp');
  const code = /Kode OTP: (\d{6})/.exec((await page.getByText(/Kode OTP: \d{6}/).textContent()) ?? '')![1]!;
  await page.getByLabel('Kode OTP (6 angka)').fill(code);
  await page.getByRole('button', { name: 'Verifikasi dan bayar' }).click();
  await expect(page.getByTestId('return-outcome')).toHaveAttribute('data-outcome', 'paid');

  // Module D: the listing coach on a product saved with a short title and no photo.
  await page.goto(`${workshop}/shop/new`);
  await page.getByLabel('Nama toko').fill('Tenun Ibu Siti');
  await page.getByLabel('Kota').fill('Denpasar');
  await page.getByLabel('Tentang toko').fill('Kain tenun dari Denpasar.');
  await page.getByRole('button', { name: 'Buka toko' }).click();
  await page.goto(`${workshop}/shop/listings/new`);
  await page.getByLabel('Nama produk').fill('Kain');
  await page.getByLabel('Harga (Rp)').fill('150.000');
  await page.getByLabel('Stok').fill('2');
  await page.getByLabel('Berat (gram)').fill('500');
  await page.getByRole('button', { name: 'Simpan dan tampilkan' }).click();
  await page.getByTestId('coach').scrollIntoViewIfNeeded();
  await save(page, 'listing-coach');

  // Module D: the order Siti paid, as the coffee shop's seller sees it once accepted.
  const seller = await browser.newPage({ ...size, baseURL: test.info().project.use.baseURL });
  await login(seller, demoShopOwners.kopi);
  await seller.goto(`${workshop}/seller/orders`);
  await seller.getByTestId('order-card').first().getByRole('link').click();
  await seller.getByRole('button', { name: 'Terima pesanan' }).click();
  await seller.getByLabel('Nomor resi').scrollIntoViewIfNeeded();
  await save(seller, 'seller-order');
});
