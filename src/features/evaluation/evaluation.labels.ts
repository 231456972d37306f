// Words the page, the CSV and the workbook share: the filters in force, said the same way on each.
import type { Lang, T } from '../../i18n/index.js';
import type { EvaluationReport } from './evaluation.service.js';
import type { Localized } from './evaluation.stats.js';

export const pickText = (lang: Lang, text: Localized): string => (lang === 'en' ? text.en : text.id);

/** "Kuesioner: …", "Jenis kelamin: Perempuan"…, in the order of the filter form; [] without filters. */
export function describeFilters(report: EvaluationReport, lang: Lang, t: T): string[] {
  const f = report.filters;
  const c = report.choices;
  const labelOf = (list: { value: string; label: Localized }[], value: string) => {
    const found = list.find((x) => x.value === value);
    return found ? pickText(lang, found.label) : value;
  };
  const active: string[] = [];
  if (f.formId) {
    const form = c.forms.find((x) => x.id === f.formId);
    active.push(`${t('evaluation:filters.form')}: ${form ? pickText(lang, form.title) : f.formId}`);
  }
  if (f.sessionId) {
    const session = c.sessions.find((x) => x.id === f.sessionId);
    active.push(`${t('evaluation:filters.session')}: ${session ? session.name : f.sessionId}`);
  }
  if (f.gender) active.push(`${t('evaluation:filters.gender')}: ${labelOf(c.gender, f.gender)}`);
  if (f.ageBand) active.push(`${t('evaluation:filters.ageBand')}: ${labelOf(c.ageBand, f.ageBand)}`);
  if (f.occupation) active.push(`${t('evaluation:filters.occupation')}: ${labelOf(c.occupation, f.occupation)}`);
  return active;
}
