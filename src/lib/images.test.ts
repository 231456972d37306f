import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { imageWork, prepareImage } from './images.js';

describe('image work', () => {
  it('when several uploads arrive at once, then their pictures are decoded one at a time, in a queue', async () => {
    const photo = await sharp({ create: { width: 2400, height: 1800, channels: 3, background: { r: 200, g: 120, b: 40 } } })
      .jpeg()
      .toBuffer();
    let mostAtOnce = 0;
    let mostWaiting = 0;
    const watch = setInterval(() => {
      mostAtOnce = Math.max(mostAtOnce, imageWork.activeCount);
      mostWaiting = Math.max(mostWaiting, imageWork.pendingCount);
    }, 1);
    const prepared = await Promise.all(Array.from({ length: 4 }, () => prepareImage(photo, { maxSide: 1600, thumbSide: 400 })));
    clearInterval(watch);
    expect(prepared.map((p) => [p.width, p.thumbWidth])).toEqual(Array(4).fill([1600, 400]));
    expect(mostAtOnce).toBe(1);
    expect(mostWaiting).toBeGreaterThanOrEqual(2);
  });
});
