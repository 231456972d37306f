// Pictures for tests, made with sharp: a photo-like JPEG carrying EXIF with GPS, a PNG, and
// bytes that only pretend to be a photo.
import sharp from 'sharp';

/** A phone photo (1600 × 1200 unless told) whose EXIF names the camera, the owner and where it was taken. */
export async function jpegWithGps(options: { width?: number; height?: number } = {}): Promise<Buffer> {
  const { width = 1600, height = 1200 } = options;
  return sharp({ create: { width, height, channels: 3, background: { r: 200, g: 120, b: 40 } } })
    .jpeg({ quality: 90 })
    .withExif({
      IFD0: { Make: 'TestPhone', Model: 'PL-1', Copyright: 'Ibu Sari' },
      IFD3: { GPSLatitudeRef: 'S', GPSLatitude: '8/1 39/1 0/1', GPSLongitudeRef: 'E', GPSLongitude: '115/1 13/1 0/1' },
    })
    .toBuffer();
}

/** A 320 × 240 PNG of one colour. */
export async function smallPng(options: { color?: { r: number; g: number; b: number } } = {}): Promise<Buffer> {
  return sharp({ create: { width: 320, height: 240, channels: 3, background: options.color ?? { r: 20, g: 110, b: 80 } } })
    .png()
    .toBuffer();
}

export const textPretendingToBeJpeg = Buffer.from('This is not a photo at all, just text saved as foto.jpg\n'.repeat(20));

/** A PNG of one colour with more pixels than a phone camera makes (a scan, a "50 MP" shot): small in bytes, costly to decode. */
export async function hugePng(options: { width?: number; height?: number } = {}): Promise<Buffer> {
  const { width = 6000, height = 4500 } = options;
  return sharp({ create: { width, height, channels: 3, background: { r: 250, g: 250, b: 250 } } })
    .png()
    .toBuffer();
}
