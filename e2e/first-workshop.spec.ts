// Issue 12's acceptance journey, from an EMPTY database (its own server: e2e/empty-server.ts), at
// 360 × 780: the first start's admin makes the organizer and the tutor; the organizer creates a
// workshop with the demo shops, the questionnaires and the default agenda (offered ticked); a
// trainee joins with the code, lists her products, buys from a demo shop, which ships by itself
// (the tutor set the bots to "kilat"); the tutor moves the clock a day and the order completes; a
// demo buyer buys from her, she ships, the buyer confirms and reviews, she replies, withdraws her
// balance and answers the post-training questionnaire: her missions of module (d) are all done.
// Then the tutor's board and the projector views at 1366 × 768 show it, without scrolling.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import type { Browser, BrowserContextOptions, Page } from '@playwright/test';
import { demoBuyers } from '../src/features/sandbox/demo-accounts.js';
import { expect, login, shot, test } from './fixtures.js';
import { startEmptyServer, type EmptyServer } from './empty-server.js';

const PASSWORD = 'pelatihan-gianyar-26';
const ORGANIZER = { username: 'ayu.dinas', displayName: 'Ibu Ayu (Dinas Koperasi)' };
const TUTOR = { username: 'gede.fasilitator', displayName: 'Pak Gede' };
const TRAINEE = { username: 'luh.sari', displayName: 'Ni Luh Sari', password: 'tenun-luh-2026' };
const WORKSHOP = 'Pelatihan E-Commerce UMKM Gianyar';
const SHOP = 'Tenun Luh Sari';
const PRODUCTS = ['Kain Endek Motif Cepuk', 'Selendang Songket Benang Emas', 'Tas Anyaman Ate Kecil'];
const DEMO_PRODUCT = 'Kopi Arabika Kintamani Bubuk Halus 200 g';
/** The module (d) missions: selling and buying in an online shop. */
const MODULE_D = [
  'open-shop',
  'list-products',
  'accept-order',
  'ship-order',
  'complete-sale',
  'withdraw-balance',
  'reply-review',
  'post-questionnaire',
];
/** At the "kilat" pace a bot acts 5–15 s after its cue; the job looks every 5 s; the machine may be busy. */
const BOTS = { timeout: 120_000, intervals: [1_000, 2_000, 3_000] };

/** Today in the workshop's zone, as a date input wants it. */
const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Makassar' }).format(new Date());
const tomorrow = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Makassar' }).format(new Date(Date.now() + 86_400_000));

let server: EmptyServer;
let workshop = '';
let joinCode = '';

// Each step signs in and pages through like a person does, on a machine the other runs share.
test.describe.configure({ mode: 'serial', timeout: 120_000 });
test.beforeAll(async () => {
  test.setTimeout(150_000);
  server = await startEmptyServer();
});
test.afterAll(async () => {
  await server?.stop();
});

const phone: BrowserContextOptions = {
  viewport: { width: 360, height: 780 },
  locale: 'id-ID',
  timezoneId: 'Asia/Makassar',
  isMobile: true,
  hasTouch: true,
};
const projector: BrowserContextOptions = {
  viewport: { width: 1366, height: 768 },
  locale: 'id-ID',
  timezoneId: 'Asia/Makassar',
  isMobile: false,
  hasTouch: false,
  deviceScaleFactor: 1,
};

/** A page of its own on the empty-database server. */
async function open(browser: Browser, options: BrowserContextOptions): Promise<Page> {
  const context = await browser.newContext({ ...options, baseURL: server.baseURL });
  return context.newPage();
}

/** Reloads the page until `check` passes: the bots work in the background. */
async function untilBots(page: Page, check: () => Promise<void>) {
  await expect(async () => {
    await page.reload();
    await check();
  }).toPass(BOTS);
}

/** Nothing sticks out sideways (a phone would scroll the whole page left and right). */
async function noSidewaysScroll(page: Page) {
  const [scrollWidth, innerWidth] = await page.evaluate(() => [document.scrollingElement!.scrollWidth, window.innerWidth]);
  expect(scrollWidth).toBeLessThanOrEqual(innerWidth!);
}

/** No scrollbars either way: the whole page is on the screen. */
async function fitsTheScreen(page: Page) {
  const size = await page.evaluate(() => ({
    height: document.scrollingElement!.scrollHeight,
    width: document.scrollingElement!.scrollWidth,
    innerHeight: window.innerHeight,
    innerWidth: window.innerWidth,
  }));
  expect(size.height).toBeLessThanOrEqual(size.innerHeight);
  expect(size.width).toBeLessThanOrEqual(size.innerWidth);
}

test('on an empty install, the admin printed at first start creates the organizer and the tutor', async ({ browser }) => {
  const page = await open(browser, phone);
  await login(page, server.admin, server.admin.password);
  await page.goto('/admin/users');
  const staff = page.locator('.card-list .card');
  await expect(staff).toHaveText([/@admin/]); // the empty install's only account
  await noSidewaysScroll(page);
  for (const [account, role] of [
    [ORGANIZER, 'organizer'],
    [TUTOR, 'tutor'],
  ] as const) {
    await page.getByLabel('Nama tampilan').fill(account.displayName);
    await page.getByLabel('Nama pengguna').fill(account.username);
    await page.getByLabel('Kata sandi awal').fill(PASSWORD);
    await page.getByLabel('Peran').selectOption(role);
    await page.getByRole('button', { name: 'Buat' }).click();
    await expect(page.getByRole('status').first()).toContainText(`Akun ${account.username} sudah dibuat.`);
  }
  await expect(staff).toHaveCount(3);
  await shot(page, 'first-01-admin-accounts');
  await page.context().close();
});

test('the organizer creates a workshop with the demo shops, the questionnaires and the default agenda, ticked by default, and assigns the tutor', async ({
  browser,
}) => {
  const page = await open(browser, phone);
  await login(page, ORGANIZER, PASSWORD);
  await page.goto('/workshops/new');
  await page.getByLabel('Nama pelatihan').fill(WORKSHOP);
  await page.getByLabel('Kota').fill('Gianyar');
  await page.getByLabel('Tempat').fill('Balai Banjar Teges');
  await page.getByLabel('Tanggal mulai').fill(today());
  await page.getByLabel('Tanggal selesai').fill(tomorrow());
  const extras = page.locator('fieldset.extras input[type="checkbox"]');
  await expect(extras).toHaveCount(3);
  for (const box of await extras.all()) await expect(box).toBeChecked();
  await noSidewaysScroll(page);
  await shot(page, 'first-02-new-workshop');
  await page.getByRole('button', { name: 'Simpan' }).click();
  await expect(page).toHaveURL(/\/workshops\/\d+\/join-screen$/);
  workshop = new URL(page.url()).pathname.replace(/\/join-screen$/, '');
  joinCode = (await page.getByTestId('join-code').textContent())!.replace(/\s/g, '');
  expect(joinCode).toMatch(/^[A-Z0-9]{6}$/);

  await page.goto(workshop);
  const checklist = page.getByTestId('setup-checklist');
  // What the ticked boxes put in is done; only the tutor is left.
  await expect(checklist.locator('[data-state="todo"]')).toHaveCount(1);
  await expect(checklist.locator('[data-item="tutor"]')).toHaveAttribute('data-state', 'todo');
  await page.goto(`${workshop}/members`);
  await page.getByLabel('Nama pengguna fasilitator').fill(TUTOR.username);
  await page.getByRole('button', { name: 'Tambahkan' }).click();
  await expect(page.getByRole('status').first()).toContainText(TUTOR.displayName);
  await page.goto(workshop);
  await expect(checklist.locator('[data-state="todo"]')).toHaveCount(0);
  await shot(page, 'first-03-checklist');

  await page.goto(`${workshop}/agenda`);
  await expect(page.getByText('Hari 2 – Sesi 2')).toBeVisible();
  await shot(page, 'first-04-agenda');
  await page.context().close();
});

test('the tutor runs module (d) today: its session now on the agenda, and the bots at their fastest pace', async ({ browser }) => {
  const page = await open(browser, phone);
  await login(page, TUTOR, PASSWORD);
  await page.goto(`${workshop}/agenda/edit`);
  const moduleD = page.locator('fieldset.agenda-edit-session').filter({ hasText: 'Hari 2 – Sesi 2' });
  await moduleD.getByLabel('Tanggal', { exact: true }).fill(today());
  await moduleD.getByLabel('Mulai', { exact: true }).fill('00:00');
  await moduleD.getByLabel('Selesai', { exact: true }).fill('23:59');
  await page.getByRole('button', { name: 'Simpan' }).click();
  await expect(page.getByRole('status').first()).toContainText('Agenda sudah disimpan');
  await expect(page.locator('.agenda-session.is-current h2')).toContainText('Hari 2 – Sesi 2');

  await page.goto(`${workshop}/market`);
  await expect(page.getByTestId('bots-state')).toHaveText('Aktif');
  await page.getByLabel(/Kilat/).check();
  await page.getByRole('button', { name: 'Simpan kecepatan' }).click();
  await expect(page.getByRole('status').first()).toContainText('Kecepatan bot: Kilat');
  await page.context().close();
});

test('a trainee joins with the code, opens her shop, lists three products with photos, and buys from a demo shop, which ships by itself', async ({
  browser,
}) => {
  test.setTimeout(240_000);
  const page = await open(browser, phone);
  await page.goto(`/join?code=${joinCode}`);
  await page.getByLabel('Nama Anda (yang dilihat orang lain)').fill(TRAINEE.displayName);
  await page.getByLabel('Nama pengguna untuk masuk').fill(TRAINEE.username);
  await page.getByLabel('Kata sandi').fill(TRAINEE.password);
  await page.getByRole('button', { name: 'Gabung' }).click();
  await expect(page.getByTestId('my-missions')).toBeVisible();
  await shot(page, 'first-05-trainee-home');

  const tabs = page.getByRole('navigation', { name: 'Menu utama' });
  await tabs.getByRole('link', { name: 'Toko' }).click();
  await page.getByRole('link', { name: 'Buka toko' }).click();
  await page.getByLabel('Nama toko').fill(SHOP);
  await page.getByLabel('Kota').fill('Gianyar');
  await page.getByLabel('Tentang toko').fill('Kain tenun dan anyaman dari Gianyar, dibuat sendiri.');
  await page.getByRole('button', { name: 'Buka toko' }).click();

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pl-first-'));
  try {
    for (const [index, product] of PRODUCTS.entries()) {
      const photo = path.join(tmp, `${index}.jpg`);
      await sharp({ create: { width: 800, height: 800, channels: 3, background: { r: 150, g: 60 + index * 40, b: 40 } } })
        .jpeg()
        .toFile(photo);
      await page.goto(`${workshop}/shop`);
      await page.getByRole('link', { name: '+ Tambah produk' }).click();
      await page.getByLabel('Nama produk').fill(product);
      await page.getByLabel('Kategori').selectOption('kain-tenun');
      await page.getByLabel('Harga (Rp)').fill(`${150 + index * 25}.000`);
      await page.getByLabel('Stok').fill('10');
      await page.getByLabel('Berat (gram)').fill('400');
      await page
        .getByLabel('Deskripsi')
        .fill(`${product} buatan tangan penenun Gianyar, warna tidak luntur, cuci tangan dengan air dingin.`);
      await page.getByLabel('Foto produk').setInputFiles(photo);
      await page.getByRole('button', { name: 'Simpan dan tampilkan' }).click();
      await expect(page.getByRole('status').first()).toContainText('sudah tampil di katalog');
    }
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  await page.goto(`${workshop}/shop`);
  await shot(page, 'first-06-shop');

  await tabs.getByRole('link', { name: 'Katalog' }).click();
  await page.goto(`${workshop}/catalog?q=${encodeURIComponent(DEMO_PRODUCT)}`);
  await page.getByRole('link', { name: DEMO_PRODUCT }).first().click();
  await page.getByRole('button', { name: 'Masukkan keranjang' }).click();
  await tabs.getByRole('link', { name: 'Keranjang' }).click();
  await page.getByRole('link', { name: 'Lanjut ke checkout' }).click();
  await page.getByLabel('Nama penerima').fill(TRAINEE.displayName);
  await page.getByLabel('Nomor HP').fill('081234567002');
  await page.getByLabel('Alamat (jalan, nomor, banjar/desa)').fill('Jl. Raya Teges No. 3');
  await page.getByLabel('Kota/Kabupaten').fill('Gianyar');
  await page.getByLabel('Kode pos').fill('80571');
  await page.getByRole('button', { name: 'Lanjut: periksa pesanan' }).click();
  await page.getByRole('button', { name: 'Buat pesanan' }).click();
  await page.getByTestId('pay-button').click();
  await page.getByRole('radio', { name: /Kartu kredit/ }).check();
  await page.getByRole('button', { name: 'Lanjut bayar' }).click();
  await page.getByRole('button', { name: /4242 4242 4242 4242/ }).click();
  await page.getByLabel('Nama pada kartu').fill(TRAINEE.displayName);
  await page.getByRole('button', { name: /^Bayar Rp/ }).click();
  await expect(page.getByTestId('return-outcome')).toHaveAttribute('data-outcome', 'paid');

  await tabs.getByRole('link', { name: 'Pesanan' }).click();
  await page.getByTestId('order-card').first().getByRole('link').click();
  await untilBots(page, async () => {
    await expect(page.getByText('Dikirim').first()).toBeVisible({ timeout: 1_000 });
    await expect(page.getByTestId('tracking-number')).toHaveText(/^[A-Z]+\d{10}$/, { timeout: 1_000 });
  });
  await shot(page, 'first-07-demo-shop-shipped');
  await page.context().close();
});

test('the tutor moves the training clock a day, and her order from the demo shop completes', async ({ browser }) => {
  const tutor = await open(browser, phone);
  await login(tutor, TUTOR, PASSWORD);
  await tutor.goto(`${workshop}/market`);
  await tutor.getByRole('button', { name: '+1 hari' }).click();
  await expect(tutor.getByRole('status').first()).toContainText('Jam pelatihan maju 1 hari');
  await shot(tutor, 'first-08-clock-moved');
  await tutor.context().close();

  const page = await open(browser, phone);
  await login(page, TRAINEE, TRAINEE.password);
  await page.goto(`${workshop}/orders`);
  await expect(page.getByTestId('clock-banner')).toBeVisible();
  await page.getByTestId('order-card').first().getByRole('link').click();
  await expect(page.getByText('Selesai otomatis (1 hari setelah dikirim)')).toBeVisible();
  await shot(page, 'first-09-order-completed');
  await page.context().close();
});

test('a demo buyer orders from her: she accepts and ships, the buyer confirms and reviews, she replies, withdraws her balance, answers the post questionnaire, and module (d) is complete', async ({
  browser,
}) => {
  test.setTimeout(300_000);
  const page = await open(browser, phone);
  await login(page, TRAINEE, TRAINEE.password);
  await page.goto(`${workshop}/seller/orders?status=diproses`);
  const ayu = page.getByTestId('order-card').filter({ hasText: demoBuyers.ayu.displayName });
  await untilBots(page, () => expect(ayu).toHaveCount(1, { timeout: 1_000 }));
  await shot(page, 'first-10-demo-buyer-orders');
  await ayu.getByRole('link').click();
  const order = new URL(page.url()).pathname;
  await page.getByRole('button', { name: 'Terima pesanan' }).click();
  await page.getByLabel('Nomor resi').fill('JNT 0012 3456 7890');
  await page.getByRole('button', { name: 'Kirim pesanan' }).click();
  await expect(page.getByTestId('tracking-number')).toHaveText('JNT001234567890');

  // The buyer confirms receipt, then reviews: both by themselves, a bot's delay apart.
  await page.goto(order);
  await untilBots(page, () => expect(page.getByTestId('review-item')).toHaveCount(1, { timeout: 1_000 }));
  await page.getByLabel('Balasan Anda').fill('Terima kasih, Kak Ayu! Ditunggu pesanan berikutnya.');
  await page.getByRole('button', { name: 'Kirim balasan' }).click();
  await expect(page.getByRole('status').first()).toContainText('Balasan terkirim.');
  await shot(page, 'first-11-review-replied');

  await page.goto(`${workshop}/shop/balance`);
  await expect(page.getByTestId('balance-available')).not.toHaveText('Rp 0');
  await page.getByLabel('Bank tujuan').selectOption('BRI');
  await page.getByLabel('Nomor rekening').fill('0123 4567 8901');
  await page.getByRole('button', { name: 'Tarik saldo' }).click();
  await expect(page.getByRole('status').first()).toContainText('Penarikan diajukan');
  await expect(page.getByTestId('withdrawal-receipt')).toContainText('SIMULASI');
  await shot(page, 'first-12-withdrawal');
  await page.getByRole('link', { name: 'Kembali ke saldo' }).click();
  await expect(page.getByTestId('balance-available')).toHaveText('Rp 0');

  await page.goto(`${workshop}/questionnaires`);
  await page
    .getByRole('link', { name: /Kuesioner Akhir/ })
    .first()
    .click();
  for (const question of await page.locator('fieldset.question').all()) {
    const choice = question.locator('label.choice').first();
    if (await choice.count()) await choice.click();
  }
  await page.getByRole('button', { name: 'Kirim jawaban' }).click();
  await expect(page.getByRole('status').first()).toContainText('Terima kasih! Jawaban Anda tersimpan.');

  // Her home shows the session's missions, all ticked by themselves; the module's page too.
  await page.getByRole('navigation', { name: 'Menu utama' }).getByRole('link', { name: 'Beranda' }).click();
  const mine = page.getByTestId('my-missions');
  await expect(mine).toContainText('Hari 2 – Sesi 2');
  await expect(mine).toContainText('7 dari 7 misi selesai');
  await shot(page, 'first-13-home-missions-done');

  await page.goto(`${workshop}/learn/d`);
  const list = page.locator('.mission-list');
  await expect(list.locator('[data-mission]')).toHaveCount(MODULE_D.length);
  for (const mission of MODULE_D) await expect(list.locator(`[data-mission="${mission}"]`)).toHaveAttribute('data-state', 'done');
  await shot(page, 'first-14-module-d-complete');
  await page.context().close();
});

test("the tutor's board and the projector views at 1366 × 768 show her work, without scrolling", async ({ browser }) => {
  const page = await open(browser, projector);
  await login(page, TUTOR, PASSWORD);

  await page.goto(`${workshop}/progress`);
  const row = page.locator(`tr[data-trainee="${TRAINEE.username}"]`);
  for (const mission of MODULE_D) await expect(row.locator(`[data-mission="${mission}"]`)).toHaveAttribute('data-state', 'done');
  await expect(page.locator('tr[data-trainee]')).toHaveCount(1); // the demo buyers are no participants
  // Each tick sits under its mission's column.
  for (const mission of MODULE_D) {
    const head = (await page.locator(`thead th[data-mission="${mission}"]`).boundingBox())!;
    const cell = (await row.locator(`[data-mission="${mission}"]`).boundingBox())!;
    expect(Math.abs(cell.x - head.x)).toBeLessThan(2);
    expect(Math.abs(cell.width - head.width)).toBeLessThan(2);
  }
  await noSidewaysScroll(page);
  await shot(page, 'first-15-board');

  await page.goto(`${workshop}/join-screen`);
  await expect(page.getByTestId('join-code')).toHaveText(`${joinCode.slice(0, 3)} ${joinCode.slice(3)}`);
  await fitsTheScreen(page);
  await shot(page, 'first-16-join-screen');

  await page.goto(`${workshop}/progress/screen`);
  await expect(page.locator(`[data-trainee="${TRAINEE.username}"]`)).toBeVisible();
  await expect(page.getByTestId('board-screen')).toContainText('1 peserta');
  await fitsTheScreen(page);
  await shot(page, 'first-17-board-screen');

  await page.goto(`${workshop}/missions/screen?m=reply-review`);
  await expect(page.getByTestId('room-count')).toContainText('1 dari 1 peserta sudah');
  await fitsTheScreen(page);
  await shot(page, 'first-18-mission-screen');
  await page.context().close();
});
