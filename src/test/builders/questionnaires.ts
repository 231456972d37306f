import { prisma } from '../../db.js';
import { insertFormFromTemplate } from '../../features/questionnaires/questionnaires.service.js';
import { getTemplate, type TemplateKey } from '../../features/questionnaires/templates.js';
import { idOf, type Ref } from './ref.js';

/** A questionnaire of the workshop made from a shipped template (post-training unless told), open for answers. */
export async function makeForm(options: {
  workshop: Ref;
  template?: TemplateKey;
  session?: Ref | null;
  status?: 'draft' | 'open' | 'closed';
  /** Append the short knowledge test (eight quiz questions). */
  knowledgeTest?: boolean;
}) {
  const id = await insertFormFromTemplate(prisma, idOf(options.workshop), getTemplate(options.template ?? 'post-training')!, {
    sessionId: options.session == null ? null : idOf(options.session),
    status: options.status ?? 'open',
    knowledgeTest: options.knowledgeTest ?? false,
  });
  return prisma.form.findUniqueOrThrow({ where: { id } });
}

/**
 * Answers to every question of the pre-training template, keyed by question key as the services
 * take them (a form posts them as `q_<key>`): a woman of 31-40 who owns a small business, has used
 * the internet and social media but not bought or sold online, understanding 26-50%. `overrides`
 * replace some.
 */
export function preTrainingAnswers(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    gender: 'female',
    age_band: '31_40',
    occupation: 'umkm_owner',
    used_internet: 'yes',
    knows_ecommerce_sites: 'yes',
    has_social_media: 'yes',
    bought_online: 'no',
    sold_online: 'no',
    main_device: 'phone',
    paid_online: 'yes',
    understanding: '26_50',
    ...overrides,
  };
}

/**
 * A filled-in questionnaire: `answers` keyed by question key (a list for multiple choice). With a
 * `user` it is that trainee's, otherwise a paper sheet; its session is the form's unless told.
 * Gender, age band and occupation are copied from the answers as the app does, unless given.
 */
export async function makeResponse(options: {
  form: Ref;
  user?: Ref | null;
  session?: Ref | null;
  answers?: Record<string, string | string[]>;
  gender?: string;
  ageBand?: string;
  occupation?: string;
}) {
  const form = await prisma.form.findUniqueOrThrow({ where: { id: idOf(options.form) }, include: { questions: true } });
  const questionId = new Map(form.questions.map((q) => [q.key, q.id]));
  const answers = options.answers ?? {};
  const single = (key: string) => {
    const value = answers[key];
    return typeof value === 'string' ? value : null;
  };
  const session = options.session === undefined ? form.sessionId : options.session;
  const user = options.user ?? null;
  // The answers carry copies of these for the evaluation's filters, as the app writes them.
  const copies = {
    sessionId: session === null ? null : idOf(session),
    gender: options.gender ?? single('gender'),
    ageBand: options.ageBand ?? single('age_band'),
    occupation: options.occupation ?? single('occupation'),
  };
  return prisma.response.create({
    data: {
      workshopId: form.workshopId,
      formId: form.id,
      userId: user === null ? null : idOf(user),
      source: user === null ? 'paper' : 'trainee',
      ...copies,
      answers: {
        create: Object.entries(answers).flatMap(([key, value]) =>
          (Array.isArray(value) ? value : [value]).map((v) => {
            const id = questionId.get(key);
            if (id === undefined) throw new Error(`The form has no question "${key}"`);
            return { questionId: id, value: v, ...copies };
          }),
        ),
      },
    },
  });
}
