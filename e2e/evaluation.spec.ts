// The evaluation page at phone size: responses exist (five seeded sheets and one typed in on the
// paper entry page), the page shows their counts and percentages, a filter changes them, and the
// print view keeps every chart and number.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { demoAccounts } from '../src/features/sandbox/demo-accounts.js';
import { e2eDatabaseUrl, expect, login, shot, test, demoWorkshopPath } from './fixtures.js';

const postTitle = /Kuesioner Akhir Pelatihan E-Commerce – Hari 1/;

test.beforeAll(() => {
  execFileSync('node_modules/.bin/tsx', ['e2e/evaluation.seed.ts'], {
    env: { ...process.env, DATABASE_URL: e2eDatabaseUrl, LOG_LEVEL: 'silent', NODE_ENV: 'development' },
    stdio: 'pipe',
  });
});

/** The row of an answer in the table of a question: its count and its percent. */
function answerRow(page: import('@playwright/test').Page, question: RegExp, answer: string) {
  return page
    .locator('article.question-block', { has: page.getByRole('heading', { name: question }) })
    .first()
    .getByRole('row', { name: new RegExp(`^${answer}`) });
}

test('the organizer reads the evaluation, filters it and prints it', async ({ page, browser }) => {
  test.setTimeout(180_000);
  await login(page, demoAccounts.organizer);
  const workshop = await demoWorkshopPath(page);

  // One more sheet typed in from paper: the first answer of every question.
  await page.goto(`${workshop}/questionnaires`);
  await page.getByRole('link', { name: postTitle }).click();
  await page.getByRole('link', { name: 'Input kertas' }).click();
  for (const group of await page.locator('fieldset.question').all()) {
    const first = group.locator('input[type=radio]').first();
    if (await first.count()) await first.check();
  }
  await page.getByRole('button', { name: 'Simpan dan isi berikutnya' }).click();
  await expect(page.getByRole('status')).toContainText('tersimpan');

  await page.goto(workshop);
  await page
    .getByRole('link', { name: /^Evaluasi/ })
    .first()
    .click();
  await expect(page.getByRole('heading', { name: 'Evaluasi kuesioner', level: 1 })).toBeVisible();
  await expect(page.locator('[data-stat="responses"]')).toHaveText('9');
  await expect(page.locator('[data-stat="women"]')).toHaveText('7');
  // Six post-training sheets: "very clear" 3 (50%), "clear" 2 (33%), "not very clear" 1 (17%).
  const material = /kualitas materi pelatihan/;
  await expect(answerRow(page, material, 'Sangat jelas')).toContainText(/3\s*50%/);
  await expect(answerRow(page, material, 'Jelas')).toContainText(/2\s*33%/);
  await expect(answerRow(page, material, 'Kurang jelas')).toContainText(/1\s*17%/);
  await expect(page.locator('[data-pre-post="understanding"]')).toContainText('Peserta yang mengisi keduanya: 3');
  await expect(page.locator('canvas[data-chart]').first()).toBeVisible();
  await shot(page, 'evaluation-01-page');

  // Women only, on the post-training form: 3 of 4 said "very clear".
  await page.getByRole('combobox', { name: 'Kuesioner' }).selectOption({ label: 'Kuesioner Akhir Pelatihan E-Commerce – Hari 1' });
  await page.getByRole('combobox', { name: 'Jenis kelamin' }).selectOption({ label: 'Perempuan' });
  await page.getByRole('button', { name: 'Terapkan' }).click();
  await expect(page).toHaveURL(/gender=female/);
  await expect(page.getByTestId('active-filters')).toContainText('Jenis kelamin: Perempuan');
  await expect(page.locator('[data-stat="responses"]')).toHaveText('4');
  await expect(answerRow(page, material, 'Sangat jelas')).toContainText(/3\s*75%/);
  await expect(answerRow(page, material, 'Jelas')).toContainText(/1\s*25%/);
  await expect(answerRow(page, material, 'Kurang jelas')).toContainText(/0\s*0%/);
  await shot(page, 'evaluation-02-filtered');

  // Print: no navigation or filters, a picture of every chart, every table.
  await page.goto(`${workshop}/evaluation`);
  const charts = await page.locator('canvas[data-chart]').count();
  expect(charts).toBeGreaterThan(10);
  await expect.poll(() => page.locator('img.chart-print[src^="data:image/png"]').count()).toBe(charts);
  await page.emulateMedia({ media: 'print' });
  await expect(page.locator('.eval-filters')).toBeHidden();
  await expect(page.locator('.main-nav')).toBeHidden();
  const pictures = page.locator('img.chart-print');
  for (let i = 0; i < charts; i++) {
    await expect(pictures.nth(i)).toBeVisible();
    expect(await pictures.nth(i).evaluate((img: HTMLImageElement) => img.naturalWidth > 0 && img.getBoundingClientRect().height > 20)).toBe(
      true,
    );
  }
  const tables = page.locator('table.distribution');
  for (let i = 0; i < (await tables.count()); i++) await expect(tables.nth(i)).toBeVisible();
  await expect(answerRow(page, material, 'Sangat jelas')).toContainText(/3\s*50%/);
  await shot(page, 'evaluation-03-print');

  // The PDF as a desktop browser prints it (Chromium does not print in phone emulation).
  const desktop = await browser.newContext({
    baseURL: test.info().project.use.baseURL,
    locale: 'id-ID',
    viewport: { width: 1024, height: 900 },
  });
  const report = await desktop.newPage();
  await login(report, demoAccounts.organizer);
  await report.goto(`${workshop}/evaluation`);
  await expect.poll(() => report.locator('img.chart-print[src^="data:image/png"]').count()).toBe(charts);
  await report.setViewportSize({ width: 794, height: 1123 }); // A4 at 96 dpi, for a look without a PDF reader
  await report.emulateMedia({ media: 'print' });
  await shot(report, 'evaluation-04-print-a4');
  const pdf = await report.pdf({ path: path.join('e2e', 'screenshots', 'evaluation-report.pdf'), format: 'A4', printBackground: true });
  expect(pdf.length).toBeGreaterThan(50_000);
  await desktop.close();
});
