// The window behind the pay button: a trainee pays an order by card, then the tutor opens the
// payment sandbox's dashboard from her tools page and finds that payment and its webhook delivery,
// every tab within a 360 px phone's width, then signs out with "Keluar".
import { demoAccounts } from '../src/features/sandbox/demo-accounts.js';
import { demoWorkshopPath, expect, login, logout, shot, test } from './fixtures.js';

const PRODUCT = 'Kain Endek Bali Motif Cepuk 2 m';

test('a tutor opens the payments dashboard from the app and sees a paid order and its webhook delivery', async ({ page }) => {
  // Two people's journeys in one test: a trainee's purchase, then the tutor's look behind it.
  test.setTimeout(180_000);
  await login(page, demoAccounts.siti);
  const workshop = await demoWorkshopPath(page);
  await page.goto(`${workshop}/catalog?q=${encodeURIComponent(PRODUCT)}`);
  await page.getByRole('link', { name: PRODUCT }).first().click();
  await page.getByRole('button', { name: 'Masukkan keranjang' }).click();
  await page.goto(`${workshop}/cart`);
  await page.getByRole('link', { name: 'Lanjut ke checkout' }).click();
  const name = page.getByLabel('Nama penerima');
  if (!(await name.inputValue())) {
    await name.fill('Siti Aminah');
    await page.getByLabel('Nomor HP').fill('081234567890');
    await page.getByLabel('Alamat (jalan, nomor, banjar/desa)').fill('Jl. Gatot Subroto No. 12');
    await page.getByLabel('Kota/Kabupaten').fill('Denpasar');
    await page.getByLabel('Kode pos').fill('80116');
  }
  await page.getByRole('button', { name: 'Lanjut: periksa pesanan' }).click();
  await page.getByRole('button', { name: 'Buat pesanan' }).click();
  await page.getByTestId('pay-button').click();
  await page.getByRole('radio', { name: /Kartu kredit/ }).check();
  await page.getByRole('button', { name: 'Lanjut bayar' }).click();
  await page.getByLabel('Nomor kartu').fill('4242 4242 4242 4242');
  await page.getByLabel('Berlaku sampai (BB/TT)').fill('12/34');
  await page.getByLabel('CVC').fill('123');
  await page.getByLabel('Nama pada kartu').fill('Siti Aminah');
  await page.getByRole('button', { name: /^Bayar Rp/ }).click();
  await expect(page.getByTestId('return-outcome')).toHaveAttribute('data-outcome', 'paid');
  await page.goto(workshop);
  await logout(page);

  await login(page, demoAccounts.tutor);
  await page.goto(`${workshop}/sandbox`);
  await page.getByTestId('payments-dashboard-link').click();
  await expect(page).toHaveURL(/:\d+\/dashboard$/);
  await expect(page.getByRole('heading', { name: 'Pembayaran (PaymentIntent)' })).toBeVisible();
  await shot(page, 'payments-dashboard-01-payments');

  const payment = page.getByTestId('payment-intents').getByRole('listitem').first();
  await expect(payment).toContainText('succeeded');
  await payment.getByRole('link').click();
  await expect(page.getByTestId('pi-status')).toHaveText('succeeded');
  const completed = page.locator('[data-event="checkout.session.completed"]');
  await expect(completed).toContainText('Terkirim');
  await expect(completed).toContainText('HTTP 200');
  await shot(page, 'payments-dashboard-02-payment');

  await completed.getByRole('link').first().click();
  await expect(page.getByTestId('delivery-status')).toContainText('Terkirim');
  await expect(page.getByTestId('answer-status').first()).toHaveText('HTTP 200');
  await expect(page.getByTestId('answer-body').first()).toContainText('"received":true');
  await expect(page.getByRole('button', { name: 'Kirim ulang' })).toBeVisible();
  await shot(page, 'payments-dashboard-03-delivery');

  const tabs = page.getByRole('navigation', { name: 'Bagian dasbor' });
  for (const name of ['Pembayaran', 'Refund', 'Event', 'Webhook']) {
    const box = (await tabs.getByRole('link', { name, exact: true }).boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(0);
    expect(box.x + box.width).toBeLessThanOrEqual(360);
  }
  await tabs.getByRole('link', { name: 'Event', exact: true }).click();
  await expect(page.getByTestId('events-pager')).toContainText(/1–\d+ dari \d+/);
  await shot(page, 'payments-dashboard-04-events');

  await page.getByRole('button', { name: 'Keluar' }).click();
  await expect(page.getByText('Anda sudah keluar dari dasbor.')).toBeVisible();
  await shot(page, 'payments-dashboard-05-signed-out');
  await page.goBack();
  await page.reload();
  await expect(page.getByText('Anda belum masuk ke dasbor ini')).toBeVisible();
  await expect(page.getByTestId('events')).toHaveCount(0);
});
