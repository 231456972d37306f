// The evaluation page at phone size: responses exist (seven seeded sheets after the training, three
// before, and one typed in on the paper entry page). On a phone every form is folded under a line
// with its number of answers, each question in it under a line with its headline number; opened, a
// question shows its counts and percentages. A filter changes them; a filter that leaves fewer than
// five people shows their count only. The report prints on A4 with a cover, from a phone as from a
// desktop, and downloads as an Excel workbook.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Page } from '@playwright/test';
import { demoAccounts } from '../src/features/sandbox/demo-accounts.js';
import { e2eDatabaseUrl, expect, login, shot, test, demoWorkshopPath } from './fixtures.js';

const postTitle = /Kuesioner Akhir Pelatihan E-Commerce – Hari 1/;
const material = /kualitas materi pelatihan/;

test.beforeAll(() => {
  execFileSync('node_modules/.bin/tsx', ['e2e/evaluation.seed.ts'], {
    env: { ...process.env, DATABASE_URL: e2eDatabaseUrl, LOG_LEVEL: 'silent', NODE_ENV: 'development' },
    stdio: 'pipe',
  });
});

/** The folded block of a question, found by its heading. */
const questionBlock = (page: Page, question: RegExp) =>
  page.locator('details.question-block', { has: page.getByRole('heading', { name: question }) }).first();

/** The row of an answer in the table of a question: its count and its percent. */
const answerRow = (page: Page, question: RegExp, answer: string) =>
  questionBlock(page, question).getByRole('row', { name: new RegExp(`^${answer}`) });

/** What the phone's screen shows now, 360×780 (the long pages are cheaper to look at a screen at a time). */
const screen = (page: Page, name: string) => page.screenshot({ path: path.join('e2e', 'screenshots', `${name}.png`) });

/** Nothing on the page is wider than the screen (no sideways scrolling, no table cut off). */
async function expectNoOverflow(page: Page) {
  const overflow = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const wide = Array.from(
      document.querySelectorAll<HTMLElement>('.evaluation table, .evaluation .question-block, .evaluation .stat-card'),
    ).filter((el) => {
      const box = el.getBoundingClientRect();
      return box.width > 0 && (box.right > width + 1 || el.scrollWidth > el.clientWidth + 1);
    });
    return { page: document.documentElement.scrollWidth - width, elements: wide.map((el) => el.className) };
  });
  expect(overflow).toEqual({ page: 0, elements: [] });
}

test('the organizer reads the evaluation on a phone, filters it, prints it and downloads the workbook', async ({ page, browser }) => {
  test.setTimeout(420_000);
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
  await expect(page.locator('[data-stat="responses"]')).toHaveText('11');
  await expect(page.locator('[data-stat="women"]')).toHaveText('9');
  // Three trainees with an account, and five sheets without one on the post-training form.
  await expect(page.locator('[data-stat="trainees"]')).toHaveText('8');

  // Folded on a phone: the page is short, each form says how many answered, each question its headline number.
  const postSection = page.locator('details.form-fold', { has: page.getByRole('heading', { name: postTitle, level: 2 }) });
  await expect(postSection).not.toHaveAttribute('open', /.*/);
  await expect(postSection.locator(':scope > summary')).toContainText('8 jawaban');
  const height = await page.evaluate(() => document.documentElement.scrollHeight);
  expect(height).toBeLessThan(4500);
  await expectNoOverflow(page);
  await shot(page, 'evaluation-01-phone-folded');
  await postSection.locator(':scope > summary').click();
  const block = questionBlock(page, material);
  await expect(block).not.toHaveAttribute('open', /.*/);
  await expect(block.locator('[data-headline]')).toHaveText('88% dua nilai teratas · rata-rata 3,38');

  // Opened: eight post-training sheets, "very clear" 4 (50%), "clear" 3 (38%), "not very clear" 1 (12%);
  // the top-2-box is 7 of 8, 88%, its own share.
  await block.locator(':scope > summary').click();
  await expect(answerRow(page, material, 'Sangat jelas')).toContainText(/4\s*50%/);
  await expect(answerRow(page, material, 'Jelas')).toContainText(/3\s*38%/);
  await expect(answerRow(page, material, 'Kurang jelas')).toContainText(/1\s*12%/);
  await expect(block.locator('[data-top2-box]')).toContainText('88%');
  await expect(block.locator('canvas[data-chart]')).toBeVisible();
  await expect(page.locator('[data-pre-post="understanding"]')).toContainText('Peserta yang mengisi keduanya: 3');
  // The per-gender table reads as cards at 360 px: every number labelled, nothing cut.
  const perForm = page.locator('[data-table="per-form"] tbody tr').filter({ hasText: 'Kuesioner Akhir' });
  await expect(perForm.locator('td[data-label="Perempuan"]')).toBeVisible();
  await expectNoOverflow(page);
  await block.scrollIntoViewIfNeeded();
  await screen(page, 'evaluation-02-phone-question-open');
  await block.screenshot({ path: path.join('e2e', 'screenshots', 'evaluation-02b-question-at-360.png') });
  await page
    .locator('[data-table="per-form"]')
    .screenshot({ path: path.join('e2e', 'screenshots', 'evaluation-02c-per-gender-at-360.png') });

  // Behaviour beside opinion: the three trainees with an account split by missions completed; both
  // groups are under k = 5, so only their sizes show. Beside it, the share who spotted each drill.
  const missionsSection = page.getByTestId('eval-missions');
  await missionsSection.locator(':scope > summary').click();
  await expect(missionsSection.getByRole('heading', { name: 'Bukti perilaku: penilaian menurut misi yang selesai' })).toBeVisible();
  await expect(missionsSection.getByRole('note')).toContainText('Kelompok kurang dari 5 peserta');
  const groupSizes = await missionsSection.locator('th[data-group]').allTextContents();
  expect(groupSizes.reduce((sum, label) => sum + Number(/n = (\d+)/.exec(label)![1]), 0)).toBe(3);
  await expect(missionsSection.locator('tr[data-item="material_quality"] td').first()).toHaveText('–');
  await expectNoOverflow(page);
  await missionsSection.screenshot({ path: path.join('e2e', 'screenshots', 'evaluation-02d-missions-at-360.png') });
  await page.getByTestId('eval-drills').screenshot({ path: path.join('e2e', 'screenshots', 'evaluation-02e-drills-at-360.png') });

  // Women only, on the post-training form: six women, 4 "very clear" and 2 "clear".
  await page.getByRole('combobox', { name: 'Kuesioner' }).selectOption({ label: 'Kuesioner Akhir Pelatihan E-Commerce – Hari 1' });
  await page.getByRole('combobox', { name: 'Jenis kelamin' }).selectOption({ label: 'Perempuan' });
  await page.getByRole('button', { name: 'Terapkan' }).click();
  await expect(page).toHaveURL(/gender=female/);
  await expect(page.getByTestId('active-filters')).toContainText('Jenis kelamin: Perempuan');
  await expect(page.locator('[data-stat="responses"]')).toHaveText('6');
  await page.locator('details[data-form-section] > summary').first().click();
  await questionBlock(page, material).locator(':scope > summary').click();
  await expect(answerRow(page, material, 'Sangat jelas')).toContainText(/4\s*67%/);
  await expect(answerRow(page, material, 'Jelas')).toContainText(/2\s*33%/);
  await expect(answerRow(page, material, 'Kurang jelas')).toContainText(/0\s*0%/);
  await questionBlock(page, material).scrollIntoViewIfNeeded();
  await screen(page, 'evaluation-03-filtered');

  // Men only: two men, fewer than five, so only their count shows and no suggestion is read.
  await page.getByRole('combobox', { name: 'Jenis kelamin' }).selectOption({ label: 'Laki-laki' });
  await page.getByRole('button', { name: 'Terapkan' }).click();
  await expect(page.getByTestId('privacy-note')).toContainText('Kurang dari 5 responden');
  await expect(page.locator('[data-stat="responses"]')).toHaveText('2');
  await expect(page.locator('details.question-block')).toHaveCount(0);
  await shot(page, 'evaluation-04-small-group');

  // The workbook of the whole evaluation.
  await page.goto(`${workshop}/evaluation`);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Unduh laporan Excel (.xlsx)' }).click(),
  ]);
  const file = path.join('e2e', 'screenshots', 'evaluation-report.xlsx');
  await download.saveAs(file);
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(file);
  expect(book.worksheets.map((s) => s.name)).toContain('Ringkasan');
  expect(book.worksheets.some((s) => s.name.startsWith('Data'))).toBe(true);
  fs.rmSync(file);

  // Print from the phone: the print button opens every section and draws every chart first.
  await page.evaluate(() => {
    window.print = () => document.body.setAttribute('data-printed', 'yes');
  });
  await page.getByRole('button', { name: 'Cetak laporan' }).click();
  await expect(page.locator('body')).toHaveAttribute('data-printed', 'yes');
  const charts = await page.locator('canvas[data-chart]').count();
  expect(charts).toBeGreaterThan(10);
  await expect.poll(() => page.locator('img.chart-print[src^="data:image/png"]').count()).toBe(charts);
  await page.emulateMedia({ media: 'print' });
  await expect(page.getByTestId('print-cover')).toBeVisible();
  await expect(page.getByTestId('print-cover')).toContainText('Laporan evaluasi pelatihan');
  await expect(page.getByTestId('print-cover')).toContainText('Responden per kuesioner');
  await expect(page.locator('.eval-filters')).toBeHidden();
  await expect(page.locator('.main-nav')).toBeHidden();
  const tables = page.locator('table.distribution');
  for (let i = 0; i < (await tables.count()); i++) await expect(tables.nth(i)).toBeVisible();
  await expect(answerRow(page, material, 'Sangat jelas')).toContainText(/4\s*50%/);
  await expectNoOverflow(page);
  await page.evaluate(() => window.scrollTo(0, 0));
  await screen(page, 'evaluation-05-print-at-360');

  // The PDF at 360 px and at a desktop width: A4 pages, nothing past the paper.
  for (const width of [360, 1024]) {
    const context = await browser.newContext({
      baseURL: test.info().project.use.baseURL,
      locale: 'id-ID',
      viewport: { width, height: 800 },
    });
    const report = await context.newPage();
    await login(report, demoAccounts.organizer);
    await report.goto(`${workshop}/evaluation`);
    await report.evaluate(() => {
      window.print = () => document.body.setAttribute('data-printed', 'yes');
    });
    await report.getByRole('button', { name: 'Cetak laporan' }).click();
    await expect(report.locator('body')).toHaveAttribute('data-printed', 'yes');
    await expect.poll(() => report.locator('img.chart-print[src^="data:image/png"]').count()).toBe(charts);
    const pdf = await report.pdf({
      path: path.join('e2e', 'screenshots', `evaluation-report-${width}.pdf`),
      format: 'A4',
      printBackground: true,
    });
    expect(pdf.length).toBeGreaterThan(50_000);
    // Laid out at the paper's width, as the PDF is: nothing wider than the page.
    await report.setViewportSize({ width: 718, height: 1000 });
    await report.emulateMedia({ media: 'print' });
    await expectNoOverflow(report);
    if (width === 1024) await screen(report, 'evaluation-06-print-a4');
    await context.close();
  }
});
