// Questionnaires at phone size: a trainee answers the pre-training questionnaire; an organizer
// types in two paper forms with the keyboard only; walk-ins answer through the anonymous link.
import { demoAccounts } from '../src/features/sandbox/demo-accounts.js';
import { expect, login, shot, test, demoWorkshopPath } from './fixtures.js';

const preTitle = 'Kuesioner Awal Pelatihan E-Commerce';

test('a trainee answers the pre-training questionnaire from her phone and can correct it', async ({ page }) => {
  await login(page, demoAccounts.siti);
  await page.goto(await demoWorkshopPath(page));
  await page.getByRole('link', { name: /Kuesioner Isi kuesioner/ }).click();
  await expect(page.getByRole('heading', { name: 'Kuesioner', level: 1 })).toBeVisible();
  const card = page.getByRole('link', { name: new RegExp(preTitle) });
  await expect(card).toContainText('Belum diisi');
  await shot(page, 'questionnaires-01-trainee-list');
  await card.click();
  await expect(page.getByRole('heading', { name: preTitle })).toBeVisible();
  await shot(page, 'questionnaires-02-trainee-form');

  // Sending too early: the missing answers are named, what she chose is kept.
  await page
    .getByRole('group', { name: /Jenis kelamin/ })
    .getByLabel('Perempuan')
    .check();
  await page.getByRole('button', { name: 'Kirim jawaban' }).click();
  await expect(page.getByRole('alert')).toContainText('Ada isian yang perlu diperbaiki');
  await expect(page.getByRole('group', { name: /Umur/ })).toContainText('Pilih salah satu jawaban.');
  await expect(page.getByRole('group', { name: /Jenis kelamin/ }).getByLabel('Perempuan')).toBeChecked();
  await shot(page, 'questionnaires-03-trainee-errors');

  const choose = async (question: RegExp, answer: string) =>
    page.getByRole('group', { name: question }).getByText(answer, { exact: true }).click();
  await choose(/Umur/, '31–40 tahun');
  await choose(/Pekerjaan/, 'Pemilik usaha (UMKM)');
  await choose(/pernah menggunakan Internet/, 'Ya');
  await choose(/situs e-commerce seperti Tokopedia/, 'Ya');
  await choose(/akun media sosial/, 'Ya');
  await choose(/pernah membeli produk/, 'Tidak');
  await choose(/pernah memasarkan produk/, 'Ya');
  await choose(/Perangkat apa/, 'Ponsel');
  await choose(/pernah membayar secara online/, 'Tidak');
  await choose(/Seberapa besar pemahaman/, '26–50%');
  await page.getByRole('button', { name: 'Kirim jawaban' }).click();
  await expect(page.getByRole('status')).toContainText('Terima kasih! Jawaban Anda tersimpan.');
  await expect(page.getByRole('link', { name: new RegExp(preTitle) })).toContainText('Sudah diisi');
  await shot(page, 'questionnaires-04-trainee-done');

  // A correction updates the same answers.
  await page.getByRole('link', { name: new RegExp(preTitle) }).click();
  await expect(page.getByText('Anda sudah mengisi kuesioner ini')).toBeVisible();
  await expect(page.getByRole('group', { name: /Umur/ }).getByLabel('31–40 tahun')).toBeChecked();
  await choose(/Seberapa besar pemahaman/, '51–75%');
  await page.getByRole('button', { name: 'Simpan perbaikan' }).click();
  await expect(page.getByRole('status')).toContainText('Perbaikan jawaban Anda tersimpan.');
});

test('an organizer types in two paper forms with the keyboard only', async ({ page }) => {
  await login(page, demoAccounts.organizer);
  await page.goto(`${await demoWorkshopPath(page)}/questionnaires`);
  await shot(page, 'questionnaires-05-organizer-list');
  await page.getByRole('link', { name: new RegExp(preTitle) }).click();
  const before = Number(await page.getByTestId('response-count').evaluate((el) => el.firstChild?.textContent?.trim() ?? '0'));
  await shot(page, 'questionnaires-06-manage');
  await page.getByRole('link', { name: 'Input kertas' }).click();
  await expect(page.getByRole('heading', { name: 'Input kuesioner kertas' })).toBeVisible();

  // Sheet 1: number keys. The first option of the first question has the focus already.
  await expect(page.getByRole('group', { name: /Jenis kelamin/ }).getByLabel('Perempuan')).toBeFocused();
  for (const key of ['1', '3', '1', '1', '1', '1', '2', '2', '1', '1', '2']) await page.keyboard.press(key);
  await expect(page.getByRole('button', { name: 'Simpan dan isi berikutnya' })).toBeFocused();
  await shot(page, 'questionnaires-07-paper-filled');
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status')).toContainText(`Jawaban #${before + 1} tersimpan`);
  await expect(page.getByRole('group', { name: /Jenis kelamin/ }).getByLabel('Perempuan')).not.toBeChecked();
  await expect(page.getByRole('group', { name: /Jenis kelamin/ }).getByLabel('Perempuan')).toBeFocused();
  await shot(page, 'questionnaires-08-paper-next');

  // Sheet 2: plain keys only (arrows choose within a question, Tab moves on, Enter sends).
  await page.keyboard.press('ArrowDown'); // Laki-laki
  for (let question = 1; question < 11; question++) {
    await page.keyboard.press('Tab');
    await page.keyboard.press('Space');
  }
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Simpan dan isi berikutnya' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('status')).toContainText(`Jawaban #${before + 2} tersimpan`);

  await page.getByRole('link', { name: '← Kembali ke kuesioner' }).click();
  await expect(page.getByTestId('response-count')).toContainText(String(before + 2));
  await expect(page.getByTestId('response-count')).toContainText('kertas 2');
});

test('walk-ins answer through the anonymous link and its QR code', async ({ page, browser }) => {
  await login(page, demoAccounts.organizer);
  await page.goto(`${await demoWorkshopPath(page)}/questionnaires`);
  await page.getByRole('link', { name: /Kuesioner Akhir Pelatihan E-Commerce – Hari 1/ }).click();
  await page.getByRole('button', { name: 'Aktifkan tautan anonim' }).click();
  await expect(page.getByRole('status')).toContainText('Tautan anonim aktif.');
  const qr = page.getByRole('img', { name: 'Kode QR tautan anonim kuesioner' });
  await expect(qr).toBeVisible();
  await expect.poll(() => qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
  await shot(page, 'questionnaires-09-anonymous-qr');
  const link = new URL((await page.getByTestId('anonymous-url').textContent())!.trim());

  const phone = await browser.newContext({
    viewport: { width: 360, height: 780 },
    locale: 'id-ID',
    baseURL: test.info().project.use.baseURL,
  });
  const walkIn = await phone.newPage();
  await walkIn.goto(link.pathname);
  await expect(walkIn.getByRole('heading', { name: /Kuesioner Akhir Pelatihan/ })).toBeVisible();
  await shot(walkIn, 'questionnaires-10-anonymous-form');
  await walkIn.getByRole('button', { name: 'Kirim jawaban' }).click();
  await expect(walkIn.getByRole('alert')).toBeVisible();
  for (const group of await walkIn.locator('fieldset.question').all()) {
    const first = group.locator('input[type=radio]').first();
    if (await first.count()) await first.check();
  }
  await walkIn.getByLabel(/Saran dan masukan/).fill('Waktu praktiknya ditambah, ya.');
  await walkIn.getByRole('button', { name: 'Kirim jawaban' }).click();
  await expect(walkIn.getByRole('heading', { name: 'Terima kasih!' })).toBeVisible();
  await shot(walkIn, 'questionnaires-11-anonymous-thanks');
  await phone.close();

  await page.reload();
  await expect(page.getByTestId('response-count')).toContainText('tautan anonim 1');
});

test('the organizer edits a question and sees the import page', async ({ page }) => {
  await login(page, demoAccounts.organizer);
  await page.goto(`${await demoWorkshopPath(page)}/questionnaires`);
  await page.getByRole('link', { name: new RegExp(preTitle) }).click();
  await page.locator('#questions li').first().getByRole('link', { name: 'Ubah' }).click();
  await expect(page.getByRole('heading', { name: 'Ubah pertanyaan' })).toBeVisible();
  await shot(page, 'questionnaires-12-question-edit');
  await page.goBack();
  await page.getByRole('link', { name: 'Tambah pertanyaan' }).click();
  await shot(page, 'questionnaires-13-question-new');
  await page.goBack();
  await page.getByRole('link', { name: 'Impor CSV' }).click();
  await expect(page.getByRole('heading', { name: 'Impor jawaban dari CSV' })).toBeVisible();
  await shot(page, 'questionnaires-14-import');
});
