// The lesson cards of the four modules: short cards in plain words (text in the locale files,
// lessons.json: cards.<key>.title / .body), some with a screenshot of PasarLatih itself, served
// from public/img/lessons/ (`npm run lesson-images` takes them again after a change of the pages).
import type { ModuleId } from './missions.registry.js';

export type LessonCard = { key: string; image?: { file: string; width: number; height: number } };

const shot = (file: string) => ({ file: `/static/img/lessons/${file}`, width: 360, height: 420 });

export const lessonCards: Record<ModuleId, readonly LessonCard[]> = {
  a: [{ key: 'a1' }, { key: 'a2' }, { key: 'a3' }, { key: 'a4' }, { key: 'a5' }],
  b: [{ key: 'b1', image: shot('checkout.webp') }, { key: 'b2' }, { key: 'b3' }, { key: 'b4' }, { key: 'b5' }],
  c: [{ key: 'c1', image: shot('card-page.webp') }, { key: 'c2', image: shot('otp.webp') }, { key: 'c3' }, { key: 'c4' }, { key: 'c5' }],
  d: [
    { key: 'd1' },
    { key: 'd2', image: shot('listing-coach.webp') },
    { key: 'd3', image: shot('seller-order.webp') },
    { key: 'd4' },
    { key: 'd5' },
  ],
};
