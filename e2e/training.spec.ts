// The training loop (issue 12): the tutor plans the session, a new trainee's phone shows her
// missions under a compact top bar with the tab bar at the bottom, a mission ticks itself once done,
// the hosted card page fills itself from a test-card chip; on the projector (1366 × 768) the join
// screen, the progress board and the current mission fit without scrolling and pass axe; the tutor
// demonstrates as the demo trainee and switches back.
import AxeBuilder from '@axe-core/playwright';
import type { Browser, Page } from '@playwright/test';
import { demoAccounts, DEMO_JOIN_CODE } from '../src/features/sandbox/demo-accounts.js';
import { demoWorkshopPath, expect, login, shot, test } from './fixtures.js';

const TRAINEE = { displayName: 'Ni Made Ayu', username: 'made.ayu', password: 'rahasia-ku-1' };

/** Today in the workshop's zone, as a date input wants it. */
const today = () => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Makassar' }).format(new Date());

async function phone(browser: Browser): Promise<Page> {
  const context = await browser.newContext({
    viewport: { width: 360, height: 780 },
    locale: 'id-ID',
    timezoneId: 'Asia/Makassar',
    baseURL: test.info().project.use.baseURL,
    isMobile: true,
    hasTouch: true,
  });
  return context.newPage();
}

/** No scrollbars either way: everything of the page is on the screen. */
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

async function axeViolations(page: Page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

test.describe.configure({ mode: 'serial' });

test.describe('on the phone', () => {
  test("the tutor plans today's session; a new trainee sees its missions, the tab bar, and a mission ticking itself", async ({
    page,
    browser,
  }) => {
    test.setTimeout(150_000); // two people and seven full-page screenshots, on a machine shared with other runs
    await login(page, demoAccounts.tutor);
    const workshop = await demoWorkshopPath(page);
    await page.goto(`${workshop}/agenda/edit`);
    const first = page.locator('fieldset.agenda-edit-session').first();
    await first.getByLabel('Tanggal', { exact: true }).fill(today());
    await first.getByLabel('Mulai', { exact: true }).fill('00:00');
    await first.getByLabel('Selesai', { exact: true }).fill('23:59');
    await shot(page, 'training-01-agenda-edit');
    await page.getByRole('button', { name: 'Simpan' }).click();
    await expect(page.getByRole('status').first()).toContainText('Agenda sudah disimpan');
    await expect(page.locator('.agenda-session.is-current h2')).toContainText('Hari 1 – Sesi 1');
    await shot(page, 'training-02-agenda');

    const trainee = await phone(browser);
    await trainee.goto(`/join?code=${DEMO_JOIN_CODE}`);
    await trainee.getByLabel('Nama Anda (yang dilihat orang lain)').fill(TRAINEE.displayName);
    await trainee.getByLabel('Nama pengguna untuk masuk').fill(TRAINEE.username);
    await trainee.getByLabel('Kata sandi').fill(TRAINEE.password);
    await trainee.getByRole('button', { name: 'Gabung' }).click();
    const missions = trainee.getByTestId('my-missions');
    await expect(missions).toContainText('Hari 1 – Sesi 1');
    await expect(missions).toContainText('0 dari 4 misi selesai');
    await expect(missions.locator('[data-state="next"]')).toHaveCount(1);
    await expect(missions.locator('[data-state="next"]')).toContainText('Isi kuesioner awal');

    // A compact top bar (one row) and the five tabs at the bottom of the screen.
    const header = await trainee.locator('.site-header').boundingBox();
    expect(header!.height).toBeLessThanOrEqual(60);
    const tabs = trainee.getByRole('navigation', { name: 'Menu utama' });
    await expect(tabs.getByRole('link')).toHaveText(['Beranda', 'Katalog', 'Keranjang', 'Pesanan', 'Toko']);
    const bar = await tabs.boundingBox();
    expect(Math.round(bar!.y + bar!.height)).toBe(780);
    await shot(trainee, 'training-03-trainee-home');
    await trainee.screenshot({ path: 'e2e/screenshots/training-03b-trainee-home-screen.png' }); // what the phone shows, tab bar included

    // The menu holds the rest; one workshop only, so no "Ganti pelatihan".
    await trainee.getByText('Menu', { exact: true }).click();
    const menu = trainee.getByRole('navigation', { name: 'Menu', exact: true });
    await expect(menu.getByRole('link', { name: 'Agenda' })).toBeVisible();
    await expect(menu.getByRole('link', { name: 'Ganti pelatihan' })).toHaveCount(0);
    await trainee.screenshot({ path: 'e2e/screenshots/training-04-menu.png' });
    await trainee.getByText('Menu', { exact: true }).click();

    // She opens her shop from the tab bar; back home, the mission has ticked itself.
    await tabs.getByRole('link', { name: 'Toko' }).click();
    await trainee.getByRole('link', { name: 'Buka toko' }).click();
    await trainee.getByLabel('Nama toko').fill('Tenun Made Ayu');
    await trainee.getByLabel('Kota').fill('Gianyar');
    await trainee.getByLabel('Tentang toko').fill('Kain tenun ikat dari Gianyar, ditenun sendiri.');
    await trainee.getByRole('button', { name: 'Buka toko' }).click();
    await expect(tabs.getByRole('link', { name: 'Toko' })).toHaveAttribute('aria-current', 'page');
    await tabs.getByRole('link', { name: 'Beranda' }).click();
    await expect(missions.locator('[data-mission="open-shop"]')).toHaveAttribute('data-state', 'done');
    await expect(missions).toContainText('1 dari 4 misi selesai');
    await expect(missions.locator('progress')).toHaveAttribute('value', '1');
    await shot(trainee, 'training-05-mission-ticked');

    await tabs.getByRole('link', { name: 'Beranda' }).click();
    await trainee.getByRole('link', { name: 'Semua modul dan pelajaran' }).click();
    await trainee.getByRole('link', { name: /Panduan keamanan belanja online/ }).click();
    await expect(trainee.getByText('Cek alamat halaman bayar')).toBeVisible();
    await shot(trainee, 'training-06-lessons');
    await trainee.context().close();
  });

  test('on the hosted card page a test-card chip fills the form, and the lessons fold away', async ({ page }) => {
    await page.goto('/login');
    await page.getByLabel('Nama pengguna').fill(TRAINEE.username);
    await page.getByLabel('Kata sandi').fill(TRAINEE.password);
    await page.getByRole('button', { name: 'Masuk' }).click();
    const workshop = await demoWorkshopPath(page);
    await page.goto(`${workshop}/catalog?q=pie+susu`);
    await page
      .getByRole('link', { name: /Pie Susu Bali/ })
      .first()
      .click();
    await page.getByRole('button', { name: 'Masukkan keranjang' }).click();
    await page.getByRole('link', { name: 'Lanjut ke checkout' }).click();
    await page.getByLabel('Nama penerima').fill(TRAINEE.displayName);
    await page.getByLabel('Nomor HP').fill('081234567890');
    await page.getByLabel('Alamat (jalan, nomor, banjar/desa)').fill('Jl. Raya Ubud No. 8');
    await page.getByLabel('Kota/Kabupaten').fill('Gianyar');
    await page.getByLabel('Kode pos').fill('80571');
    await page.getByRole('button', { name: 'Lanjut: periksa pesanan' }).click();
    await page.getByRole('button', { name: 'Buat pesanan' }).click();
    await page.getByTestId('pay-button').click();
    await page.getByRole('radio', { name: /Kartu kredit/ }).check();
    await page.getByRole('button', { name: 'Lanjut bayar' }).click();

    const chip = page.getByRole('button', { name: /4242 4242 4242 4242/ });
    const chipBox = await chip.boundingBox();
    expect(chipBox!.y).toBeLessThan(500); // at the top, not 1,350 px down
    await expect(page.locator('details.ps-lesson')).not.toHaveAttribute('open', '');
    await shot(page, 'training-07-card-chips');
    await chip.click();
    await expect(page.getByLabel('Nomor kartu')).toHaveValue('4242 4242 4242 4242');
    await expect(page.getByLabel('CVC')).toHaveValue('123');
    await page.getByLabel('Nama pada kartu').fill(TRAINEE.displayName);
    await page.getByRole('button', { name: /^Bayar Rp/ }).click();
    await expect(page.getByTestId('return-outcome')).toHaveAttribute('data-outcome', 'paid');
  });
});

test.describe('on the projector', () => {
  test.use({ viewport: { width: 1366, height: 768 }, isMobile: false, hasTouch: false, deviceScaleFactor: 1 });

  test('the join screen, the progress board and the current mission fit 1366 × 768 without scrolling and pass axe', async ({ page }) => {
    await login(page, demoAccounts.tutor);
    const workshop = await demoWorkshopPath(page);

    await page.goto(`${workshop}/join-screen`);
    await expect(page.getByTestId('join-code')).toHaveText('DPS 226');
    const url = await page.getByTestId('join-url').evaluate((el) => parseFloat(getComputedStyle(el).fontSize));
    expect(url).toBeGreaterThanOrEqual(36);
    const qr = await page.getByRole('img', { name: 'Kode QR untuk bergabung ke pelatihan' }).boundingBox();
    const code = await page.getByTestId('join-code').boundingBox();
    expect(code!.x).toBeGreaterThan(qr!.x + qr!.width); // beside the QR code
    await fitsTheScreen(page);
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, 'training-08-join-screen');

    await page.goto(`${workshop}/progress/screen`);
    await expect(page.locator(`[data-trainee="${TRAINEE.username}"]`)).toBeVisible();
    await fitsTheScreen(page);
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, 'training-09-board-screen');

    await page.goto(`${workshop}/missions/screen`);
    await expect(page.getByTestId('room-count')).toContainText('peserta sudah');
    await fitsTheScreen(page);
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, 'training-10-mission-screen');

    // The full board: the whole width, no sideways scroll, no scroll region axe would flag.
    await page.goto(`${workshop}/progress`);
    await expect(page.locator(`tr[data-trainee="${TRAINEE.username}"] [data-mission="open-shop"]`)).toHaveAttribute('data-state', 'done');
    const width = await page.evaluate(() => [document.scrollingElement!.scrollWidth, window.innerWidth]);
    expect(width[0]).toBeLessThanOrEqual(width[1]!);
    const table = await page.locator('.board-table').boundingBox();
    expect(table!.width).toBeGreaterThan(1200);
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, 'training-11-board');
  });

  test('the tutor demonstrates as the demo trainee without a second account, and switches back', async ({ page }) => {
    await login(page, demoAccounts.tutor);
    const workshop = await demoWorkshopPath(page);
    await page.goto(workshop);
    await page.getByRole('button', { name: 'Demo sebagai peserta' }).first().click();
    await expect(page.getByTestId('acting-banner')).toContainText('bertindak sebagai Peserta Demo');
    await expect(page.getByTestId('my-missions')).toBeVisible();
    await page.getByRole('navigation', { name: 'Menu utama' }).getByRole('link', { name: 'Katalog' }).click();
    await page
      .getByRole('link', { name: /Kopi Arabika Kintamani Biji/ })
      .first()
      .click();
    await page.getByRole('button', { name: 'Masukkan keranjang' }).click();
    await expect(page.getByRole('status').first()).toContainText('masuk keranjang');
    await shot(page, 'training-12-demo-as-trainee');
    await page.getByRole('button', { name: 'Kembali ke akun saya' }).click();
    await expect(page.getByTestId('acting-banner')).toHaveCount(0);
    await expect(page.getByTestId('staff-log')).toContainText('sebagai Peserta Demo: POST');
    await shot(page, 'training-13-tools');

    await page.goto(`${workshop}/handouts/login-slips?blank=2`);
    await expect(page.locator(`[data-username="${TRAINEE.username}"]`)).toBeVisible();
    await shot(page, 'training-14-login-slips');
  });
});
