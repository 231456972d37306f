// The market that answers back, at phone size, in a workshop of its own (e2e/market.seed.ts):
// the tutor sets the bots' pace; a trainee lists her first product and buys from a demo shop,
// which accepts and ships by itself; the tutor moves the training clock a day and the order
// completes; demo buyers have ordered from her: she ships one, the buyer confirms by itself, and
// she withdraws her balance to a (simulated) bank account.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import type { Page } from '@playwright/test';
import { demoBuyers } from '../src/features/sandbox/demo-accounts.js';
import { e2eDatabaseUrl, e2eRunDir, expect, login, logout, shot, test } from './fixtures.js';
import { marketJourney } from './market.journey.js';

const DEMO_PRODUCT = 'Kopi Arabika Kintamani Bubuk Halus 200 g';
const PRODUCT = 'Lawar Kacang Panjang Kemasan Beku';
/** The bots act within seconds at the "kilat" pace; the job looks every 5 s; the machine may be busy. */
const BOTS = { timeout: 120_000, intervals: [1_000, 2_000, 3_000] };

let workshop = '';

test.beforeAll(() => {
  const out = execFileSync('node_modules/.bin/tsx', ['e2e/market.seed.ts'], {
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

/** Reloads the page until `check` passes (the bots work in the background). */
async function untilBots(page: Page, check: () => Promise<void>) {
  await expect(async () => {
    await page.reload();
    await check();
  }).toPass(BOTS);
}

async function tutorOnMarket(page: Page) {
  await login(page, marketJourney.tutor);
  await page.goto(workshop);
  await page.getByRole('link', { name: /^Pasar Jam pelatihan/ }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Pasar');
}

test.describe.serial('the market answers back', () => {
  test('the tutor sets the bots to the "kilat" pace on the Pasar page', async ({ page }) => {
    await tutorOnMarket(page);
    await expect(page.getByTestId('bots-state')).toHaveText('Aktif');
    await page.getByLabel(/Kilat/).check();
    await page.getByRole('button', { name: 'Simpan kecepatan' }).click();
    await expect(page.getByRole('status').first()).toContainText('Kecepatan bot: Kilat');
    await shot(page, 'pasar-01-tutor-market');
  });

  test('Wulan lists her first product, buys from a demo shop and pays by card; the demo shop accepts and ships by itself', async ({
    page,
  }) => {
    test.setTimeout(240_000);
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pl-pasar-'));
    const photo = path.join(tmp, 'lawar.jpg');
    await sharp({ create: { width: 800, height: 800, channels: 3, background: { r: 60, g: 140, b: 60 } } })
      .jpeg()
      .toFile(photo);
    await login(page, marketJourney.trainee);
    await page.goto(`${workshop}/shop`);
    await page.getByRole('link', { name: '+ Tambah produk' }).click();
    await page.getByLabel('Nama produk').fill(PRODUCT);
    await page.getByLabel('Kategori').selectOption('makanan-camilan');
    await page.getByLabel('Harga (Rp)').fill('35.000');
    await page.getByLabel('Stok').fill('10');
    await page.getByLabel('Berat (gram)').fill('500');
    await page.getByLabel('Deskripsi').fill('Lawar kacang panjang bumbu genep, dibekukan, tahan 1 bulan.');
    await page.getByLabel('Foto produk').setInputFiles(photo);
    await page.getByRole('button', { name: 'Simpan dan tampilkan' }).click();
    await expect(page.getByRole('status').first()).toContainText('sudah tampil di katalog');
    fs.rmSync(tmp, { recursive: true, force: true });

    await page.goto(`${workshop}/catalog?q=${encodeURIComponent(DEMO_PRODUCT)}`);
    await page.getByRole('link', { name: DEMO_PRODUCT }).first().click();
    await page.getByRole('button', { name: 'Masukkan keranjang' }).click();
    await page.goto(`${workshop}/cart`);
    await page.getByRole('link', { name: 'Lanjut ke checkout' }).click();
    await page.getByLabel('Nama penerima').fill(marketJourney.trainee.displayName);
    await page.getByLabel('Nomor HP').fill('081234567001');
    await page.getByLabel('Alamat (jalan, nomor, banjar/desa)').fill('Jl. Raya Ubud No. 8, Banjar Kawan');
    await page.getByLabel('Kota/Kabupaten').fill('Gianyar');
    await page.getByLabel('Kode pos').fill('80571');
    await page.getByRole('button', { name: 'Lanjut: periksa pesanan' }).click();
    await page.getByRole('button', { name: 'Buat pesanan' }).click();
    await page.getByTestId('pay-button').click();
    await page.getByRole('radio', { name: /Kartu kredit/ }).check();
    await page.getByRole('button', { name: 'Lanjut bayar' }).click();
    await page.getByLabel('Nomor kartu').fill('4242 4242 4242 4242');
    await page.getByLabel('Berlaku sampai (BB/TT)').fill('12/34');
    await page.getByLabel('CVC').fill('123');
    await page.getByLabel('Nama pada kartu').fill(marketJourney.trainee.displayName);
    await page.getByRole('button', { name: /^Bayar Rp/ }).click();
    await expect(page.getByTestId('return-outcome')).toHaveAttribute('data-outcome', 'paid');

    await page.goto(`${workshop}/orders`);
    await page.getByTestId('order-card').first().getByRole('link').click();
    await untilBots(page, async () => {
      await expect(page.getByText('Dikirim').first()).toBeVisible({ timeout: 1_000 });
      await expect(page.getByTestId('tracking-number')).toHaveText(/^[A-Z]+\d{10}$/, { timeout: 1_000 });
    });
    await expect(page.getByText('Pesanan diterima penjual')).toBeVisible();
    await shot(page, 'pasar-02-demo-shop-shipped');
  });

  test('the tutor moves the training clock a day: the shipped order completes, and every page shows the workshop time', async ({
    page,
  }) => {
    await tutorOnMarket(page);
    await page.getByRole('button', { name: '+1 hari' }).click();
    await expect(page.getByRole('status').first()).toContainText('Jam pelatihan maju 1 hari');
    await expect(page.getByTestId('clock-offset')).toContainText('1 hari 0 jam lebih maju');
    await expect(page.getByTestId('clock-banner')).toContainText('Jam pelatihan:');
    await shot(page, 'pasar-03-clock-moved');
    await logout(page);

    await login(page, marketJourney.trainee);
    await page.goto(`${workshop}/orders`);
    await expect(page.getByTestId('clock-banner')).toBeVisible();
    await page.getByTestId('order-card').first().getByRole('link').click();
    await expect(page.getByText('Selesai otomatis (1 hari setelah dikirim)')).toBeVisible();
    await shot(page, 'pasar-04-order-completed');
  });

  test('a demo buyer has ordered from her: she accepts and ships, the buyer confirms by itself, and she withdraws her balance', async ({
    page,
  }) => {
    test.setTimeout(240_000);
    await login(page, marketJourney.trainee);
    await page.goto(`${workshop}/seller/orders?status=diproses`);
    const rina = page.getByTestId('order-card').filter({ hasText: demoBuyers.rina.displayName });
    await untilBots(page, () => expect(rina).toHaveCount(1, { timeout: 1_000 }));
    await shot(page, 'pasar-05-demo-buyer-orders');
    await rina.getByRole('link').click();
    await page.getByRole('button', { name: 'Terima pesanan' }).click();
    await page.getByLabel('Nomor resi').fill('JNT 0099 8877 6655');
    await page.getByRole('button', { name: 'Kirim pesanan' }).click();
    await expect(page.getByTestId('tracking-number')).toHaveText('JNT009988776655');

    await page.goto(`${workshop}/shop/balance`);
    await untilBots(page, () => expect(page.getByTestId('balance-available')).not.toHaveText('Rp 0', { timeout: 1_000 }));
    await shot(page, 'pasar-06-balance');
    await page.getByLabel('Bank tujuan').selectOption('BCA');
    await page.getByLabel('Nomor rekening').fill('1234 5678 90');
    await page.getByRole('button', { name: 'Tarik saldo' }).click();
    await expect(page.getByRole('status').first()).toContainText('Penarikan diajukan');
    const receipt = page.getByTestId('withdrawal-receipt');
    await expect(receipt).toContainText('SIMULASI');
    await expect(receipt).toContainText('Diproses bank');
    await expect(receipt).toContainText('••••••7890');
    await shot(page, 'pasar-07-withdrawal-receipt');
    await page.getByRole('link', { name: 'Kembali ke saldo' }).click();
    await expect(page.getByTestId('balance-available')).toHaveText('Rp 0');
    await expect(page.getByTestId('withdrawal')).toHaveCount(1);
  });

  test('the tutor reads what the bots did', async ({ page }) => {
    await tutorOnMarket(page);
    const log = page.getByTestId('bot-log');
    await expect(log).toContainText('mengirim pesanan');
    await expect(log).toContainText(`memesan dari ${marketJourney.shop} (Kartu kredit/debit)`);
    await expect(log).toContainText(`${demoBuyers.rina.displayName} menerima pesanan`);
    await shot(page, 'pasar-08-bot-log');
  });
});
