// The practice market at phone size, end to end: Siti opens a shop and lists a product with a
// photo; Dewi finds it by search and buys it (cart → address and courier → review → order); both
// cancel flows; Dewi pays by card (a declined card first); Siti accepts and ships, Dewi confirms
// and reviews, the tutor's progress board shows both, and the tutor's reset leaves only the demo
// shops.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import type { Page } from '@playwright/test';
import { demoAccounts } from '../src/features/sandbox/demo-accounts.js';
import { demoWorkshopPath, expect, login, logout, shot, test } from './fixtures.js';

const SHOP = 'Tenun Endek Siti';
const PRODUCT = 'Kain Endek Merah Motif Cepuk';

let workshop = '';

/** On the placed checkout: pay by card on the sandbox's hosted page. */
async function pay(page: Page, card: string, fromPlaced = true) {
  if (fromPlaced) await page.getByTestId('pay-button').click();
  await page.getByRole('radio', { name: /Kartu kredit/ }).check();
  await page.getByRole('button', { name: 'Lanjut bayar' }).click();
  await page.getByLabel('Nomor kartu').fill(card);
  await page.getByLabel('Berlaku sampai (BB/TT)').fill('12/34');
  await page.getByLabel('CVC').fill('123');
  await page.getByLabel('Nama pada kartu').fill('Ni Luh Dewi');
  await page.getByRole('button', { name: /^Bayar Rp/ }).click();
}

async function buyOne(page: Page, step: string, courier = /J&T EZ/) {
  await page.goto(`${workshop}/catalog`);
  await page.getByLabel('Cari produk').fill('endek CEPUK');
  await page.getByRole('button', { name: 'Cari' }).click();
  const card = page.getByTestId('product-card').filter({ hasText: PRODUCT });
  await expect(card).toHaveCount(1);
  if (step) await shot(page, `${step}-search`);
  await card.getByRole('link').click();
  await page.getByLabel('Jumlah').fill('1');
  if (step) await shot(page, `${step}-product`);
  await page.getByRole('button', { name: 'Masukkan keranjang' }).click();
  await expect(page.getByRole('status').first()).toContainText('masuk keranjang');
  await expect(page.getByTestId('cart-shop')).toContainText(SHOP);
  if (step) await shot(page, `${step}-cart`);
  await page.getByRole('link', { name: 'Lanjut ke checkout' }).click();
  if ((await page.getByLabel('Nama penerima').inputValue()) === '') {
    await page.getByLabel('Nama penerima').fill('Ni Luh Dewi');
    await page.getByLabel('Nomor HP').fill('0812 3456 7890');
    await page.getByLabel('Alamat (jalan, nomor, banjar/desa)').fill('Jl. Raya Ubud No. 8, Banjar Kawan');
    await page.getByLabel('Kota/Kabupaten').fill('Gianyar');
    await page.getByLabel('Kode pos').fill('80571');
  }
  await page.getByLabel(courier).check();
  if (step) await shot(page, `${step}-checkout`);
  await page.getByRole('button', { name: 'Lanjut: periksa pesanan' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Periksa pesanan');
  await expect(page.getByTestId('review-shop')).toContainText(PRODUCT);
  if (step) await shot(page, `${step}-review`);
  await page.getByRole('button', { name: 'Buat pesanan' }).click();
  await expect(page.getByTestId('awaiting-payment')).toContainText('Menunggu pembayaran');
  if (step) await shot(page, `${step}-placed`);
}

test.describe.serial('practice market: selling, buying, cancelling', () => {
  test('Siti opens a shop and lists a product with a photo', async ({ page }) => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pl-market-'));
    const photo = path.join(tmp, 'endek.jpg');
    await sharp({ create: { width: 1000, height: 1000, channels: 3, background: { r: 160, g: 30, b: 45 } } })
      .composite([
        {
          input: Buffer.from(
            '<svg xmlns="http://www.w3.org/2000/svg" width="1000" height="1000"><path d="M0 500 L500 0 L1000 500 L500 1000 Z" fill="#e8b04b"/></svg>',
          ),
        },
      ])
      .jpeg()
      .toFile(photo);
    await login(page, demoAccounts.siti);
    workshop = await demoWorkshopPath(page);
    await page.goto(`${workshop}/shop/new`);
    await page.getByLabel('Nama toko').fill(SHOP);
    await page.getByLabel('Kota').fill('Klungkung');
    await page.getByLabel('Tentang toko').fill('Kain endek tenunan tangan dari Sidemen, langsung dari penenun.');
    await page.getByRole('button', { name: 'Buka toko' }).click();
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(SHOP);
    await page.getByRole('link', { name: '+ Tambah produk' }).click();
    await page.getByLabel('Nama produk').fill(PRODUCT);
    await page.getByLabel('Kategori').selectOption('kain-tenun');
    await page.getByLabel('Harga (Rp)').fill('275.000');
    await page.getByLabel('Stok').fill('3');
    await page.getByLabel('Berat (gram)').fill('600');
    await page.getByLabel('Deskripsi').fill('Kain endek motif cepuk, 2 meter, pewarna alami.');
    await page.getByLabel('Foto produk').setInputFiles(photo);
    await page.getByRole('button', { name: 'Simpan dan tampilkan' }).click();
    await expect(page.getByRole('status').first()).toContainText('sudah tampil di katalog');
    await shot(page, 'market-01-listed');
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  test('Dewi finds it by search, buys it, then cancels before paying', async ({ page }) => {
    await login(page, demoAccounts.dewi);
    await buyOne(page, 'market-02');
    await page.getByRole('link', { name: 'Lihat pesanan' }).click();
    await expect(page.getByText('Menunggu pembayaran').first()).toBeVisible();
    await page.getByText('Batalkan pesanan').first().click();
    await page.getByLabel('Alasan (boleh kosong)').fill('Salah pilih warna');
    await page.getByRole('button', { name: 'Batalkan pesanan' }).click();
    await expect(page.getByRole('status').first()).toContainText('Pesanan dibatalkan');
    await expect(page.getByTestId('cancel-info')).toContainText('Dibatalkan pembeli');
    await shot(page, 'market-03-buyer-cancelled');
  });

  test('Siti cancels the next unpaid order with a reason Dewi can read', async ({ page }) => {
    await login(page, demoAccounts.dewi);
    await buyOne(page, '');
    await logout(page);
    await login(page, demoAccounts.siti);
    await page.goto(`${workshop}/seller/orders?status=menunggu_pembayaran`);
    await expect(page.getByTestId('balance')).toBeVisible();
    await shot(page, 'market-04-seller-orders');
    await page.getByTestId('order-card').first().getByRole('link').click();
    await page.getByText('Tolak / batalkan pesanan').first().click();
    await page.getByRole('button', { name: 'Tolak / batalkan pesanan' }).click();
    await expect(page.getByText('Tulis alasan pembatalan untuk pembeli.')).toBeVisible();
    await page.getByLabel('Alasan pembatalan').fill('Maaf, kain ini terjual di pasar pagi tadi.');
    await page.getByRole('button', { name: 'Tolak / batalkan pesanan' }).click();
    await expect(page.getByRole('status').first()).toContainText('Pesanan dibatalkan');
    await shot(page, 'market-05-seller-cancelled');
    await logout(page);
    await login(page, demoAccounts.dewi);
    await page.goto(`${workshop}/orders`);
    await page.getByTestId('order-card').first().getByRole('link').click();
    await expect(page.getByTestId('cancel-info')).toContainText('terjual di pasar pagi');
  });

  test('Dewi buys it once more and pays by card: declined first, then 4242', async ({ page }) => {
    await login(page, demoAccounts.dewi);
    await buyOne(page, '', /JNE YES/);
    const placed = page.url();
    await pay(page, '4000 0000 0000 0002');
    await expect(page.getByText('Pembayaran ditolak').first()).toBeVisible();
    await page.goto(`${placed}/pay`);
    await pay(page, '4242 4242 4242 4242', false);
    await expect(page.getByTestId('return-outcome')).toHaveAttribute('data-outcome', 'paid');
    await page.goto(`${workshop}/orders`);
    await expect(page.getByTestId('order-card').first()).toContainText('Diproses');
    await shot(page, 'market-06-buyer-orders-paid');
  });
});

test.describe.serial('practice market: after payment', () => {
  test('Siti checks the balance, accepts and ships with a tracking number', async ({ page }) => {
    await login(page, demoAccounts.siti);
    workshop ||= await demoWorkshopPath(page);
    await page.goto(`${workshop}/seller/orders`);
    await expect(page.getByTestId('balance-held')).toHaveText('Rp 293.000');
    await expect(page.getByText('Jangan percaya foto atau screenshot').first()).toBeVisible();
    await shot(page, 'market-07-seller-paid');
    await page.getByTestId('order-card').first().getByRole('link').click();
    await page.getByRole('button', { name: 'Terima pesanan' }).click();
    await expect(page.getByRole('status').first()).toContainText('Pesanan diterima');
    await page.getByLabel('Nomor resi').fill('abc');
    await page.getByRole('button', { name: 'Kirim pesanan' }).click();
    await expect(page.getByText('Nomor resi 8–30 huruf atau angka')).toBeVisible();
    await page.getByLabel('Nomor resi').fill('JNE 0188 2233 4455');
    await page.getByRole('button', { name: 'Kirim pesanan' }).click();
    await expect(page.getByTestId('tracking-number')).toHaveText('JNE018822334455');
    await shot(page, 'market-08-shipped');
  });

  test('Dewi confirms receipt and writes a review; Siti replies once', async ({ page }) => {
    await login(page, demoAccounts.dewi);
    await page.goto(`${workshop}/orders`);
    await page.getByTestId('order-card').filter({ hasText: 'Dikirim' }).getByRole('link').click();
    await expect(page.getByTestId('tracking-number')).toHaveText('JNE018822334455');
    await shot(page, 'market-09-buyer-shipped');
    await page.getByRole('button', { name: 'Pesanan sudah saya terima' }).click();
    await expect(page.getByRole('status').first()).toContainText('Pesanan selesai');
    await page.getByLabel(/Sangat bagus/).check();
    await page.getByLabel('Ulasan Anda').fill('Warnanya persis seperti di foto, kainnya halus. Terima kasih!');
    await shot(page, 'market-10-review-form');
    await page.getByRole('button', { name: 'Kirim ulasan' }).click();
    await expect(page.getByTestId('review')).toContainText('Warnanya persis');
    await shot(page, 'market-11-reviewed');
    await logout(page);

    await login(page, demoAccounts.siti);
    await page.goto(`${workshop}/seller/orders?status=selesai`);
    await expect(page.getByTestId('balance-available')).toHaveText('Rp 293.000');
    await page.getByTestId('order-card').first().getByRole('link').click();
    await page.getByLabel('Balasan Anda').fill('Terima kasih, Bu Dewi! Ditunggu pesanan berikutnya.');
    await page.getByRole('button', { name: 'Kirim balasan' }).click();
    await expect(page.getByTestId('review')).toContainText('Ditunggu pesanan berikutnya');
    await expect(page.getByRole('button', { name: 'Kirim balasan' })).toHaveCount(0);
    await shot(page, 'market-12-replied');
  });

  test("the tutor's progress board shows both trainees' missions; the reset leaves only the demo shops", async ({ page }) => {
    await login(page, demoAccounts.tutor);
    await page.goto(`${workshop}/progress`);
    const siti = page.locator('[data-trainee="siti"]');
    const dewi = page.locator('[data-trainee="dewi"]');
    for (const mission of ['open-shop', 'ship-order', 'accept-order'])
      await expect(siti.locator(`[data-mission="${mission}"]`)).toHaveAttribute('data-state', 'done');
    for (const mission of ['first-order', 'pay-card', 'retry-declined', 'confirm-receipt', 'write-review'])
      await expect(dewi.locator(`[data-mission="${mission}"]`)).toHaveAttribute('data-state', 'done');
    await expect(dewi.locator('[data-mission="open-shop"]')).toHaveAttribute('data-state', 'todo');
    await shot(page, 'market-13-progress');

    await page.goto(`${workshop}/sandbox/reset`);
    await page.getByLabel('Ketik RESET untuk memastikan').fill('RESET');
    await page.getByRole('button', { name: 'Reset pasar latihan sekarang' }).click();
    await expect(page.getByRole('status').first()).toContainText('Pasar latihan sudah direset');
    await page.goto(`${workshop}/catalog?q=endek+cepuk`);
    await expect(page.getByTestId('product-card').filter({ hasText: PRODUCT })).toHaveCount(0);
    await page.goto(`${workshop}/catalog`);
    await expect(page.getByTestId('product-card').filter({ hasText: SHOP })).toHaveCount(0);
    await expect(page.getByTestId('product-card').first()).toBeVisible();
    await shot(page, 'market-14-after-reset');
    await page.goto(`${workshop}/progress`);
    await expect(page.locator('[data-trainee="siti"] [data-mission="open-shop"]')).toHaveAttribute('data-state', 'todo');
  });
});
