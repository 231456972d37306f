import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { lessonCards } from './lessons.js';

const images = Object.values(lessonCards)
  .flat()
  .flatMap((card) => (card.image ? [card.image] : []));

describe('the lesson cards’ pictures', () => {
  it('when a card shows a picture, then its file is in public/img/lessons (npm run lesson-images), small, and twice the size the page gives it', async () => {
    expect(images.length).toBeGreaterThan(0);
    for (const image of images) {
      const file = path.join('public', image.file.replace(/^\/static\//, ''));
      expect(fs.statSync(file).size, file).toBeLessThan(60_000);
      const meta = await sharp(file).metadata();
      expect({ file, format: meta.format, width: meta.width, height: meta.height }).toEqual({
        file,
        format: 'webp',
        width: image.width * 2,
        height: image.height * 2,
      });
    }
  });
});
