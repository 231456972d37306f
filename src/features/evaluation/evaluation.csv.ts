// The CSV summary: one row per answer option of every question, then the derived shares (top-box,
// top-2-box, "this band or higher", a quiz's right answer) and the mean, from the same
// EvaluationReport the page and the JSON show. A form too small to break down under the filters
// is one row with its count.
import { stringify } from 'csv-stringify/sync';
import type { Lang, T } from '../../i18n/index.js';
import { defuseFormula } from '../../lib/csv.js';
import type { EvaluationReport } from './evaluation.service.js';
import type { Localized } from './evaluation.stats.js';

export const summaryCsvColumns = [
  'form_id',
  'form_title',
  'question_key',
  'question_text',
  'type',
  'row',
  'option_value',
  'option_label',
  'count',
  'percent',
  'base',
  'mean',
] as const;

type Row = Record<(typeof summaryCsvColumns)[number], string | number>;

/**
 * @param separator ',' or ';': with ';' (Excel set to Indonesian) decimals are written with a comma,
 *   as that Excel reads them.
 */
export function summaryCsv(report: EvaluationReport, lang: Lang, t: T, separator: ',' | ';' = ','): string {
  const pick = (text: Localized) => (lang === 'en' ? text.en : text.id);
  const decimal = (n: number) => (separator === ';' ? String(n).replace('.', ',') : n);
  const rows: Row[] = [];
  const empty = {
    question_key: '',
    question_text: '',
    type: '',
    option_value: '',
    option_label: '',
    count: '',
    percent: '',
    base: '',
    mean: '',
  };
  for (const form of report.forms) {
    if (form.suppressed) {
      rows.push({
        ...empty,
        form_id: form.formId,
        form_title: pick(form.title),
        row: 'suppressed',
        option_label: t('evaluation:privacy.tooFew', { k: report.privacy.minGroup }),
        count: form.responses,
      });
      continue;
    }
    for (const q of form.questions) {
      const base = { form_id: form.formId, form_title: pick(form.title), question_key: q.key, question_text: pick(q.text), type: q.type };
      const row = (fields: Partial<Row>): Row => ({ ...empty, base: q.answered, ...base, row: '', ...fields });
      if (q.kind === 'text') {
        rows.push(row({ row: 'answered', option_label: t('evaluation:answered'), count: q.answered }));
        rows.push(row({ row: 'blank', option_label: t('evaluation:blank'), count: q.blank }));
        continue;
      }
      for (const o of q.options)
        rows.push(row({ row: 'option', option_value: o.value, option_label: pick(o.label), count: o.count, percent: o.percent }));
      if (q.scale) {
        rows.push(
          row({ row: 'top_box', option_label: t('evaluation:topBox'), count: q.scale.topBoxCount, percent: q.scale.topBoxPercent }),
        );
        rows.push(
          row({ row: 'top2_box', option_label: t('evaluation:top2Box'), count: q.scale.top2BoxCount, percent: q.scale.top2BoxPercent }),
        );
        rows.push(
          row({
            row: 'mean',
            option_label: t('evaluation:mean'),
            count: q.answered,
            mean: q.scale.mean === null ? '' : decimal(q.scale.mean),
          }),
        );
      }
      for (const g of q.groups)
        rows.push(
          row({
            row: 'at_least',
            option_value: g.values.join('|'),
            option_label: t('evaluation:atLeast', { label: pick(g.fromLabel) }),
            count: g.count,
            percent: g.percent,
          }),
        );
      if (q.correct)
        rows.push(
          row({
            row: 'correct',
            option_value: q.correct.value,
            option_label: t('evaluation:knowledge.correctShare'),
            count: q.correct.count,
            percent: q.correct.percent,
          }),
        );
      rows.push(row({ row: 'blank', option_label: t('evaluation:blank'), count: q.blank }));
    }
  }
  // A byte-order mark, so that spreadsheet programs read the UTF-8 labels (en dashes, accents).
  // Titles, question texts and labels are typed by organizers: a cell that starts like a formula
  // (=, +, -, @) must not run in the spreadsheet of whoever opens the file.
  const safe = rows.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, typeof v === 'string' ? defuseFormula(v) : v])));
  return stringify(safe, { header: true, columns: [...summaryCsvColumns], bom: true, delimiter: separator });
}
