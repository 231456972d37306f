// The evaluation as an Excel workbook an organizer can hand in: an overview sheet (workshop,
// dates, sessions, responses per form, the filters), a summary sheet per form with the question
// texts and answer labels in the reader's language and counts and percentages as numbers, the
// before/after and knowledge-test sheets, the behaviour sheet (ratings by missions completed, the
// share who spotted each scam drill), and a raw sheet per form with one row per response and
// its time on the workshop's clock (WITA). Written with exceljs's streaming writer straight into
// the HTTP response: each sheet is finished before the next starts, and the raw rows go out a
// batch at a time, waiting while the client is slower than the database.
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import type ExcelJS from 'exceljs';
import type { Lang, T } from '../../i18n/index.js';
import { formatDate, formatDateTime, timeZoneLabel, toWallClock } from '../../lib/dates.js';
import type { ResponseRow } from '../questionnaires/responses.service.js';
import { describeFilters, pickText } from './evaluation.labels.js';
import type { Comparison, EvaluationReport, FormEvaluation, GroupCounts } from './evaluation.service.js';
import type { Localized } from './evaluation.stats.js';

export type WorkbookOptions = {
  lang: Lang;
  t: T;
  timeZone: string;
  /** The raw responses of a form under the report's filters (nothing for a form shown as a count only). */
  responses: (formId: number) => AsyncIterable<ResponseRow[]>;
};

type Sheet = ExcelJS.Worksheet;
type Cell = string | number | Date | null;

const PERCENT = '0%';
const DECIMAL = '0.00';
const bold = { bold: true } as const;
const heading = { bold: true, size: 13 } as const;

/** Sheet names: at most 31 characters, none of : \ / ? * [ ], unique in the workbook. */
function sheetNamer() {
  const used = new Set<string>();
  return (name: string) => {
    const clean = name.replace(/[:\\/?*[\]]/g, ' ').trim();
    for (let n = 1; ; n++) {
      const suffix = n === 1 ? '' : ` (${n})`;
      const candidate = clean.slice(0, 31 - suffix.length) + suffix;
      if (!used.has(candidate.toLowerCase())) {
        used.add(candidate.toLowerCase());
        return candidate;
      }
    }
  };
}

/** Adds a row and sends it on (the streaming writer keeps no committed row). */
function put(sheet: Sheet, cells: Cell[], style: { font?: Partial<ExcelJS.Font>; formats?: (string | undefined)[] } = {}): void {
  const row = sheet.addRow(cells);
  if (style.font) row.font = style.font;
  style.formats?.forEach((format, i) => {
    if (format) row.getCell(i + 1).numFmt = format;
  });
  row.commit();
}

/** What a writable holds unwritten: Node's streams and readable-stream 2 keep it in `_writableState`. */
type BufferingWritable = Writable & { _writableState: { length: number; highWaterMark: number } };

/**
 * Waits until the zip has taken in what the sheet wrote. exceljs's sheet stream (a StreamBuf)
 * passes its 64 KB buffers to the zip's entry stream without waiting (its write() always returns
 * true), so rows made faster than they are deflated pile up there. Its `pipes` (exceljs 4.4
 * internals) are the PassThrough archiver wraps it in, from readable-stream 2, which has no
 * `writableLength`: asking for that compared undefined with undefined and never waited, and the
 * whole sheet's XML stayed in the PassThrough's buffer (0.75 MB per 1,000 responses, found with a
 * heap snapshot). Its `_writableState` is there in readable-stream 2 and in Node's streams alike.
 */
async function sheetTakenIn(sheet: Sheet): Promise<void> {
  const { stream } = sheet as unknown as { stream: { pipes?: BufferingWritable[] } };
  for (const pipe of stream.pipes ?? []) {
    const state = pipe._writableState;
    while (state.length > state.highWaterMark) await once(pipe, 'drain');
  }
}

/** A percent as a number the spreadsheet can compute with, shown as the page shows it (65%). */
const fraction = (percent: number | null) => (percent === null ? null : percent / 100);

export async function writeWorkbook(out: Writable, report: EvaluationReport, options: WorkbookOptions): Promise<void> {
  const { lang, t, timeZone } = options;
  const L = (text: Localized) => pickText(lang, text);
  const name = sheetNamer();
  const filters = describeFilters(report, lang, t);
  const filterLine = `${t('evaluation:filters.active')}: ${filters.length ? filters.join(' · ') : t('evaluation:filters.none')}`;
  const privacyLine = t('evaluation:privacy.note', { k: report.privacy.minGroup });
  // Loaded on the first export, not at start: exceljs holds about 20 MB that pages never use.
  const { default: excel } = await import('exceljs');
  const workbook = new excel.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  workbook.creator = 'PasarLatih';

  /** The title of a sheet, then the filters in force: a sheet read alone still says what it counts. */
  const header = (sheet: Sheet, title: string) => {
    put(sheet, [title], { font: heading });
    put(sheet, [`${report.workshop.name} · ${report.workshop.city}`]);
    put(sheet, [filterLine]);
    put(sheet, [privacyLine]);
    put(sheet, []);
  };
  const splitCells = (g: GroupCounts): Cell[] => {
    const women = g.byGender?.female ?? null;
    const men = g.byGender?.male ?? null;
    const withoutAccount = g.bySource ? g.responses - (g.bySource.trainee ?? 0) : null;
    return [g.responses, women, fraction(g.femalePercent), men, withoutAccount];
  };

  // ------------------------------------------------------------ overview
  const overview = workbook.addWorksheet(name(t('evaluation:workbook.overview')));
  overview.columns = [{ width: 48 }, { width: 12 }, { width: 12 }, { width: 12 }, { width: 12 }, { width: 14 }];
  header(overview, t('evaluation:title'));
  put(overview, [t('evaluation:cover.venue'), `${report.workshop.venue}, ${report.workshop.city}`]);
  put(overview, [
    t('evaluation:cover.dates'),
    `${formatDate(report.workshop.startDate, lang, timeZone)} – ${formatDate(report.workshop.endDate, lang, timeZone)}`,
  ]);
  put(overview, [t('evaluation:cover.printed'), formatDateTime(new Date(), lang, timeZone)]);
  put(overview, [t('evaluation:summary.responses'), report.summary.responses]);
  put(overview, [t('evaluation:summary.trainees'), report.summary.respondents.total]);
  put(overview, [t('evaluation:summary.withAccount'), report.summary.respondents.withAccount]);
  put(overview, [t('evaluation:summary.withoutAccount'), report.summary.respondents.withoutAccount]);
  put(overview, []);
  put(overview, [t('evaluation:cover.sessions')], { font: bold });
  for (const s of report.choices.sessions) put(overview, [s.name, s.startsAt ? formatDateTime(s.startsAt, lang, timeZone) : '']);
  put(overview, []);
  const splitHeader = [
    t('evaluation:columns.responses'),
    t('evaluation:columns.women'),
    t('evaluation:columns.womenPercent'),
    t('evaluation:columns.men'),
    t('evaluation:columns.withoutAccount'),
  ];
  const splitFormats = [undefined, undefined, undefined, PERCENT];
  put(overview, [t('evaluation:perForm.title')], { font: bold });
  put(overview, [t('evaluation:columns.form'), ...splitHeader], { font: bold });
  for (const row of report.perForm) {
    const label = `${L(row.title)}${row.sessionName ? ` (${row.sessionName})` : ''}`;
    put(overview, [label, ...splitCells(row)], { formats: splitFormats });
  }
  put(overview, []);
  put(overview, [t('evaluation:perSession.title')], { font: bold });
  put(overview, [t('evaluation:columns.session'), ...splitHeader], { font: bold });
  for (const row of report.perSession)
    put(overview, [row.name ?? t('evaluation:perSession.noSession'), ...splitCells(row)], { formats: splitFormats });
  overview.commit();

  // ------------------------------------------------------------ one summary sheet per form
  report.forms.forEach((form, index) => {
    const sheet = workbook.addWorksheet(name(`${index + 1}. ${L(form.title)}`));
    sheet.columns = [{ width: 60 }, { width: 12 }, { width: 12 }, { width: 12 }];
    header(sheet, L(form.title));
    put(sheet, [t(`evaluation:kind.${form.kind}`), form.sessionName ?? '']);
    put(sheet, [t('evaluation:columns.responses'), form.responses]);
    put(sheet, []);
    writeFormSummary(sheet, form, report, t, L);
    sheet.commit();
  });

  // ------------------------------------------------------------ before and after, the knowledge test
  for (const comparison of [report.prePost, report.followUp]) {
    if (!comparison.items.length && !comparison.suppressed) continue;
    const sheet = workbook.addWorksheet(name(t(`evaluation:workbook.compare.${comparison.after}`)));
    sheet.columns = [{ width: 48 }, { width: 12 }, { width: 12 }, { width: 12 }, { width: 12 }];
    header(sheet, t(`evaluation:compare.${comparison.after}.title`));
    writeComparison(sheet, comparison, report, t, L);
    sheet.commit();
  }
  if (report.knowledge) {
    const k = report.knowledge;
    const sheet = workbook.addWorksheet(name(t('evaluation:knowledge.title')));
    sheet.columns = [{ width: 48 }, { width: 14 }, { width: 14 }, { width: 14 }];
    header(sheet, t('evaluation:knowledge.title'));
    put(sheet, [t('evaluation:knowledge.questions'), k.questions]);
    put(sheet, [t('evaluation:knowledge.allBefore'), k.before.n, fraction(k.before.meanPercent)], {
      formats: [undefined, undefined, '0.0%'],
    });
    put(sheet, [t('evaluation:knowledge.allAfter'), k.after.n, fraction(k.after.meanPercent)], { formats: [undefined, undefined, '0.0%'] });
    put(sheet, [t('evaluation:knowledge.pairedN'), k.paired.n]);
    if (k.suppressed) put(sheet, [t('evaluation:privacy.tooFew', { k: report.privacy.minGroup })], { font: bold });
    else {
      put(sheet, [t('evaluation:knowledge.meanBefore'), fraction(k.paired.meanBeforePercent)], { formats: [undefined, '0.0%'] });
      put(sheet, [t('evaluation:knowledge.meanAfter'), fraction(k.paired.meanAfterPercent)], { formats: [undefined, '0.0%'] });
      put(sheet, [t('evaluation:knowledge.meanGain'), k.paired.meanGainPoints], { formats: [undefined, '0.0'] });
      put(sheet, [t('evaluation:knowledge.normalizedGain'), k.paired.normalizedGain], { formats: [undefined, DECIMAL] });
      put(sheet, []);
      put(sheet, [t('evaluation:knowledge.question'), t('evaluation:knowledge.correctBefore'), t('evaluation:knowledge.correctAfter')], {
        font: bold,
      });
      for (const item of k.items)
        put(sheet, [L(item.text), fraction(item.before.percent), fraction(item.after.percent)], { formats: [undefined, PERCENT, PERCENT] });
      put(sheet, []);
      put(sheet, [t('evaluation:knowledge.trainee'), t('evaluation:knowledge.before'), t('evaluation:knowledge.after')], { font: bold });
      k.paired.trainees.forEach((p, i) => put(sheet, [t('evaluation:knowledge.traineeN', { n: i + 1 }), p.before, p.after]));
    }
    sheet.commit();
  }

  // ------------------------------------------------------------ behaviour: missions and scam drills
  // Ratings by missions only when a trainee answered with her account: paper and links cannot be matched.
  const mr = report.missionRatings;
  const ratings = mr && mr.atLeastHalf.trainees + mr.fewer.trainees > 0 ? mr : null;
  if (report.drills.length || ratings) {
    const sheet = workbook.addWorksheet(name(t('evaluation:missions.sheet')));
    sheet.columns = [{ width: 60 }, { width: 18 }, { width: 18 }, { width: 18 }, { width: 18 }];
    header(sheet, t('evaluation:missions.sheet'));
    if (ratings) {
      put(sheet, [t('evaluation:missions.title')], { font: bold });
      put(sheet, [t('evaluation:missions.intro', { threshold: ratings.threshold, missions: ratings.missions })]);
      const groups = [
        t('evaluation:missions.atLeastHalf', { threshold: ratings.threshold, n: ratings.atLeastHalf.trainees }),
        t('evaluation:missions.fewer', { threshold: ratings.threshold, n: ratings.fewer.trainees }),
      ];
      put(sheet, [t('evaluation:missions.question'), ...groups], { font: bold });
      for (const item of ratings.items)
        put(sheet, [L(item.text), fraction(item.atLeastHalf?.percent ?? null), fraction(item.fewer?.percent ?? null)], {
          formats: [undefined, PERCENT, PERCENT],
        });
      if (ratings.atLeastHalf.suppressed || ratings.fewer.suppressed)
        put(sheet, [t('evaluation:missions.tooFewGroup', { k: report.privacy.minGroup })]);
      put(sheet, []);
    }
    if (report.drills.length) {
      put(sheet, [t('evaluation:missions.drillsTitle')], { font: bold });
      put(
        sheet,
        [
          t('drills:evaluation.scenario'),
          t('drills:evaluation.share'),
          t('drills:evaluation.spotted'),
          t('drills:evaluation.complied'),
          t('drills:evaluation.delivered'),
        ],
        { font: bold },
      );
      for (const d of report.drills)
        put(sheet, [t(`drills:scenarios.${d.scenario}.title`), d.share, d.spotted, d.complied, d.delivered], {
          formats: [undefined, PERCENT],
        });
    }
    sheet.commit();
  }

  // ------------------------------------------------------------ raw responses, streamed
  const zone = timeZoneLabel(timeZone);
  for (const [index, form] of report.forms.entries()) {
    const sheet = workbook.addWorksheet(name(`${t('evaluation:workbook.raw')} ${index + 1}. ${L(form.title)}`));
    // Column widths go out with the first row: set before it.
    sheet.columns = [{ width: 8 }, { width: 14 }, { width: 18 }, { width: 20 }, ...form.questions.map(() => ({ width: 24 }))];
    header(sheet, `${t('evaluation:workbook.raw')}: ${L(form.title)}`);
    if (form.suppressed) {
      put(sheet, [t('evaluation:privacy.tooFew', { k: report.privacy.minGroup })], { font: bold });
      put(sheet, [t('evaluation:columns.responses'), form.responses]);
      sheet.commit();
      continue;
    }
    const labels = new Map(
      form.questions.map((q) => [q.questionId, new Map(q.kind === 'choice' ? q.options.map((o) => [o.value, L(o.label)]) : [])]),
    );
    put(
      sheet,
      [
        t('evaluation:workbook.number'),
        t('evaluation:workbook.source'),
        t('evaluation:columns.session'),
        t('evaluation:workbook.time', { zone }),
        ...form.questions.map((q) => L(q.text)),
      ],
      { font: bold },
    );
    const formats = [undefined, undefined, undefined, 'dd/mm/yyyy hh:mm:ss'];
    for await (const batch of options.responses(form.formId)) {
      for (const r of batch) {
        const answers = form.questions.map((q) => {
          const values = r.values.get(q.questionId) ?? [];
          const names = labels.get(q.questionId)!;
          return values.map((v) => names.get(v) ?? v).join('; ');
        });
        put(sheet, [r.id, t(`questionnaires:source.${r.source}`), r.sessionName ?? '', toWallClock(r.submittedAt, timeZone), ...answers], {
          formats,
        });
      }
      // Let the batch be compressed and leave before the next one is read: memory stays at one batch.
      await sheetTakenIn(sheet);
      if (out.writableNeedDrain) await once(out, 'drain');
    }
    sheet.commit();
  }
  await workbook.commit();
}

function writeFormSummary(sheet: Sheet, form: FormEvaluation, report: EvaluationReport, t: T, L: (text: Localized) => string): void {
  if (form.suppressed) {
    put(sheet, [t('evaluation:privacy.tooFew', { k: report.privacy.minGroup })], { font: bold });
    return;
  }
  const columns = [t('evaluation:columns.option'), t('evaluation:columns.count'), t('evaluation:columns.percent')];
  const shareRow = (label: string, count: number, percent: number) =>
    put(sheet, [label, count, fraction(percent)], { formats: [undefined, undefined, PERCENT] });
  for (const q of form.questions) {
    put(sheet, [L(q.text)], { font: bold });
    if (q.kind === 'text') {
      put(sheet, [t('evaluation:answered'), q.answered]);
      put(sheet, [t('evaluation:blank'), q.blank]);
      for (const a of q.latest) put(sheet, [a.text]);
      put(sheet, []);
      continue;
    }
    put(sheet, columns, { font: { italic: true } });
    for (const o of q.options) shareRow(L(o.label), o.count, o.percent);
    put(sheet, [t('evaluation:answered'), q.answered, q.multiple ? null : fraction(q.answered ? 100 : 0)], {
      formats: [undefined, undefined, PERCENT],
    });
    put(sheet, [t('evaluation:blank'), q.blank]);
    if (q.scale) {
      const [best, second] = q.options;
      shareRow(t('evaluation:topBoxOf', { best: best ? L(best.label) : '' }), q.scale.topBoxCount, q.scale.topBoxPercent);
      shareRow(
        t('evaluation:top2BoxOf', { best: best ? L(best.label) : '', second: second ? L(second.label) : '' }),
        q.scale.top2BoxCount,
        q.scale.top2BoxPercent,
      );
      put(sheet, [t('evaluation:mean'), q.scale.mean, null, q.scale.maxScore], { formats: [undefined, DECIMAL] });
    }
    for (const g of q.groups) shareRow(t('evaluation:atLeast', { label: L(g.fromLabel) }), g.count, g.percent);
    if (q.correct) shareRow(t('evaluation:knowledge.correctShare'), q.correct.count, q.correct.percent);
    put(sheet, []);
  }
}

function writeComparison(sheet: Sheet, comparison: Comparison, report: EvaluationReport, t: T, L: (text: Localized) => string): void {
  put(sheet, [t('evaluation:columns.before'), comparison.responses.before]);
  put(sheet, [t('evaluation:columns.after'), comparison.responses.after]);
  if (comparison.suppressed) {
    put(sheet, [t('evaluation:privacy.tooFew', { k: report.privacy.minGroup })], { font: bold });
    return;
  }
  put(sheet, []);
  for (const item of comparison.items) {
    put(sheet, [L(item.text)], { font: bold });
    put(sheet, [t('evaluation:columns.option'), t('evaluation:columns.before'), '%', t('evaluation:columns.after'), '%'], {
      font: { italic: true },
    });
    item.post.options.forEach((o, i) => {
      const p = item.pre.options[i] ?? { count: 0, percent: 0 };
      put(sheet, [L(o.label), p.count, fraction(p.percent), o.count, fraction(o.percent)], {
        formats: [undefined, undefined, PERCENT, undefined, PERCENT],
      });
    });
    if (item.paired?.pairs) {
      put(sheet, [t('evaluation:prePost.pairedTitle', { n: item.paired.pairs })]);
      put(sheet, [t('evaluation:prePost.movedUp'), item.paired.movedUp]);
      put(sheet, [t('evaluation:prePost.same'), item.paired.same]);
      put(sheet, [t('evaluation:prePost.movedDown'), item.paired.movedDown]);
      put(sheet, [t('evaluation:prePost.meanBefore'), item.paired.meanBefore], { formats: [undefined, DECIMAL] });
      put(sheet, [t('evaluation:prePost.meanAfter'), item.paired.meanAfter], { formats: [undefined, DECIMAL] });
    }
    put(sheet, []);
  }
}
