// The two-day, four-module workshop this product serves, as an agenda: which session teaches which
// module and opens which missions. A new workshop can start from it; staff edit it afterwards.
import type { ModuleId } from '../missions/missions.registry.js';

export type DefaultSession = {
  name: string;
  /** 0 = the workshop's first day. */
  day: number;
  start: string;
  end: string;
  modules: ModuleId[];
  missions: string[];
};

export const defaultAgenda: readonly DefaultSession[] = [
  {
    name: 'Hari 1 – Sesi 1',
    day: 0,
    start: '09:00',
    end: '12:00',
    modules: ['a'],
    missions: ['pre-questionnaire', 'open-shop', 'shop-logo', 'complete-description'],
  },
  {
    name: 'Hari 1 – Sesi 2',
    day: 0,
    start: '13:00',
    end: '16:00',
    modules: ['b'],
    missions: ['first-order', 'pay-card', 'pay-transfer', 'confirm-receipt', 'write-review'],
  },
  {
    name: 'Hari 2 – Sesi 1',
    day: 1,
    start: '09:00',
    end: '12:00',
    modules: ['c'],
    missions: ['pay-3ds', 'retry-declined'],
  },
  {
    name: 'Hari 2 – Sesi 2',
    day: 1,
    start: '13:00',
    end: '16:00',
    modules: ['d'],
    missions: ['list-products', 'accept-order', 'ship-order', 'complete-sale', 'withdraw-balance', 'reply-review', 'post-questionnaire'],
  },
];

/** The session names of the default agenda, one a line: what the new-workshop form starts with. */
export const defaultSessionNames = defaultAgenda.map((s) => s.name).join('\n');
