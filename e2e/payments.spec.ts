// Paying from a phone: card on the sandbox's hosted page (success, decline then success,
// 3-D Secure, a real-looking card refused), virtual account in the simulated m-banking, QRIS in
// the simulated e-wallet, and a paid order cancelled by the seller coming back as a refund.
import type { Page } from '@playwright/test';
import { demoAccounts, demoShopOwners } from '../src/features/sandbox/demo-accounts.js';
import { demoWorkshopPath, expect, login, logout, shot, test } from './fixtures.js';

const PRODUCT = 'Kain Endek Bali Motif Cepuk 2 m';

/** Siti buys one product from a demo shop and lands on the placed checkout; returns its URL. */
async function placeOrder(page: Page, workshop: string, product = PRODUCT): Promise<string> {
  await page.goto(`${workshop}/catalog?q=${encodeURIComponent(product)}`);
  await page.getByRole('link', { name: product }).first().click();
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
  await expect(page.getByTestId('awaiting-payment')).toBeVisible();
  return page.url();
}

async function choose(page: Page, method: RegExp) {
  await page.getByTestId('pay-button').click();
  await page.getByRole('radio', { name: method }).check();
  await page.getByRole('button', { name: 'Lanjut bayar' }).click();
}

async function typeCard(page: Page, number: string) {
  await page.getByLabel('Nomor kartu').fill(number);
  await page.getByLabel('Berlaku sampai (BB/TT)').fill('12/34');
  await page.getByLabel('CVC').fill('123');
  await page.getByLabel('Nama pada kartu').fill('Siti Aminah');
  await page.getByRole('button', { name: /^Bayar Rp/ }).click();
}

async function orderStatusOnReturn(page: Page) {
  await expect(page.getByTestId('return-outcome')).toHaveAttribute('data-outcome', 'paid');
  await expect(page.getByTestId('return-order').first()).toContainText('Diproses');
}

test.describe('payments', () => {
  let workshop: string;
  test.beforeEach(async ({ page }) => {
    await login(page, demoAccounts.siti);
    workshop = await demoWorkshopPath(page);
  });

  test('card 4242 pays: the order is Diproses', async ({ page }) => {
    await placeOrder(page, workshop);
    await shot(page, 'payments-01-placed');
    await page.getByTestId('pay-button').click();
    await expect(page.getByTestId('pay-lesson')).toBeVisible();
    await shot(page, 'payments-02-pay-page');
    await page.getByRole('radio', { name: /Kartu kredit/ }).check();
    await page.getByRole('button', { name: 'Lanjut bayar' }).click();
    await expect(page).toHaveURL(/\/c\/pay\/cs_test_/);
    await shot(page, 'payments-03-hosted-page');
    await typeCard(page, '4242 4242 4242 4242');
    await orderStatusOnReturn(page);
    await shot(page, 'payments-04-return-paid');
  });

  test('card 0002 is declined, then 4242 pays', async ({ page }) => {
    const placed = await placeOrder(page, workshop);
    await choose(page, /Kartu kredit/);
    await typeCard(page, '4000 0000 0000 0002');
    await expect(page.getByText('Pembayaran ditolak').first()).toBeVisible();
    await shot(page, 'payments-05-declined');
    await page.goto(`${placed}/pay`);
    await expect(page.getByTestId('last-decline')).toBeVisible();
    await shot(page, 'payments-06-pay-page-after-decline');
    await page.getByRole('radio', { name: /Kartu kredit/ }).check();
    await page.getByRole('button', { name: 'Lanjut bayar' }).click();
    await typeCard(page, '4242424242424242');
    await orderStatusOnReturn(page);
  });

  test('card 3184 asks for 3-D Secure: the OTP page leads to paid', async ({ page }) => {
    await placeOrder(page, workshop);
    await choose(page, /Kartu kredit/);
    await typeCard(page, '4000 0027 6000 3184');
    await expect(page).toHaveURL(/\/3ds$/);
    await shot(page, 'payments-07-otp');
    const sms = await page
      .getByText(/Kode OTP: \d{6}/)
      .first()
      .textContent();
    const code = /Kode OTP: (\d{6})/.exec(sms ?? '')![1]!;
    await page.getByLabel('Kode OTP (6 angka)').fill(code);
    await page.getByRole('button', { name: 'Verifikasi dan bayar' }).click();
    await orderStatusOnReturn(page);
  });

  test('a real-looking card number (4111 1111 1111 1111) is refused with the warning', async ({ page }) => {
    await placeOrder(page, workshop);
    await choose(page, /Kartu kredit/);
    await typeCard(page, '4111 1111 1111 1111');
    await expect(page.getByText('BERHENTI: itu bukan kartu uji')).toBeVisible();
    await shot(page, 'payments-08-real-card-refused');
  });

  test('virtual account: a wrong amount is refused, the exact amount pays, receipt stamped SIMULASI', async ({ page }) => {
    const placed = await placeOrder(page, workshop);
    await choose(page, /virtual account/);
    const va = (await page.getByTestId('va-number').getAttribute('data-va'))!;
    const amountText = (await page.getByTestId('va-amount').textContent())!;
    await shot(page, 'payments-09-va');
    await page.getByRole('link', { name: 'Buka simulasi m-banking' }).click();
    await expect(page.getByLabel('Nomor virtual account')).toHaveValue(va);
    await page.getByLabel('Jumlah transfer (Rp)').fill('1000');
    await page.getByRole('button', { name: 'Bayar' }).click();
    await expect(page.getByText('Jumlah tidak sama dengan tagihan')).toBeVisible();
    await shot(page, 'payments-10-mbanking-wrong-amount');
    await page.getByLabel('Jumlah transfer (Rp)').fill(amountText.replace(/\D/g, ''));
    await page.getByRole('button', { name: 'Bayar' }).click();
    await expect(page.getByTestId('receipt')).toContainText('SIMULASI');
    await shot(page, 'payments-11-receipt');
    await page.goto(placed);
    await expect(page.getByTestId('placed-order').first()).toContainText('Diproses');
  });

  test('QRIS: the code is shown, the simulated e-wallet pays with the PIN', async ({ page }) => {
    const placed = await placeOrder(page, workshop);
    await choose(page, /QRIS/);
    await expect(page.locator('img.qris-code')).toBeVisible();
    await shot(page, 'payments-12-qris');
    await page.getByRole('link', { name: 'Buka simulasi dompet digital' }).click();
    await expect(page.getByTestId('sim-frame')).toBeVisible();
    await page.getByLabel('PIN dompet (6 angka)').fill('123456');
    await shot(page, 'payments-13-ewallet');
    await page.getByRole('button', { name: 'Bayar' }).click();
    await expect(page.getByTestId('receipt')).toContainText('SIMULASI');
    await page.goto(placed);
    await expect(page.getByTestId('placed-order').first()).toContainText('Diproses');
  });

  test('a paid order cancelled by the seller is refunded', async ({ page }) => {
    await placeOrder(page, workshop);
    await choose(page, /Kartu kredit/);
    await typeCard(page, '4242 4242 4242 4242');
    await orderStatusOnReturn(page);
    const orderHref = (await page.getByTestId('return-order').first().getByRole('link').getAttribute('href'))!;
    const orderId = /\/orders\/(\d+)/.exec(orderHref)![1];
    await logout(page);

    await login(page, demoShopOwners.tenun);
    await page.goto(`${workshop}/seller/orders/${orderId}`);
    await page.locator('summary', { hasText: 'Tolak / batalkan pesanan' }).click();
    await page.getByLabel('Alasan pembatalan').fill('Maaf, kain rusak kena air');
    await page.getByRole('button', { name: 'Tolak / batalkan pesanan' }).click();
    await expect(page.getByRole('status').first()).toContainText('dibatalkan');
    await logout(page);

    await login(page, demoAccounts.siti);
    await page.goto(orderHref);
    await expect(page.getByTestId('order-refund')).toContainText('Dana dikembalikan');
    await expect(page.locator('.timeline')).toContainText('Dana dikembalikan');
    await shot(page, 'payments-14-refunded');
  });
});
