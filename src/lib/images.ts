// Photos people upload: judged by their bytes (never by name or declared type), re-encoded to a
// bounded size plus a thumbnail. Re-encoding drops every metadata block (EXIF, GPS, XMP, ICC
// comments): sharp writes none unless told to with withMetadata/keepExif, which we never call.
import type { Metadata, Sharp, SharpOptions } from 'sharp';

// sharp (libvips) is loaded on the first picture, not at start: most requests never need it.
let sharpModule: Promise<typeof import('sharp')> | undefined;
async function sharp(input: Buffer, options?: SharpOptions): Promise<Sharp> {
  sharpModule ??= import('sharp');
  return (await sharpModule).default(input, options);
}

export type ImageFormat = 'jpeg' | 'png' | 'webp';

export type PreparedImage = {
  main: Buffer;
  thumb: Buffer;
  width: number;
  height: number;
  thumbWidth: number;
  thumbHeight: number;
};

export type ImageRejection = 'notImage' | 'tooManyPixels';

export class ImageRejectedError extends Error {
  constructor(readonly reason: ImageRejection) {
    super(`Image rejected: ${reason}`);
  }
}

/** Sniffs the first bytes; only JPEG, PNG and WebP pass. */
export function sniffImageFormat(bytes: Buffer): ImageFormat | null {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.length >= 8 && bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) return 'png';
  if (bytes.length >= 12 && bytes.toString('latin1', 0, 4) === 'RIFF' && bytes.toString('latin1', 8, 12) === 'WEBP') return 'webp';
  return null;
}

// A 50-megapixel phone photo passes; a decompression bomb does not.
const maxInputPixels = 60_000_000;

export type ImageSizes = { maxSide: number; thumbSide: number; quality?: number };

export async function prepareImage(bytes: Buffer, sizes: ImageSizes): Promise<PreparedImage> {
  const sniffed = sniffImageFormat(bytes);
  if (!sniffed) throw new ImageRejectedError('notImage');
  let metadata: Metadata;
  try {
    metadata = await (await sharp(bytes, { limitInputPixels: false })).metadata();
  } catch {
    throw new ImageRejectedError('notImage');
  }
  if (metadata.format !== sniffed || !metadata.width || !metadata.height) throw new ImageRejectedError('notImage');
  if (metadata.width * metadata.height > maxInputPixels) throw new ImageRejectedError('tooManyPixels');

  const quality = sizes.quality ?? 80;
  const encode = async (side: number) =>
    (await sharp(bytes, { limitInputPixels: maxInputPixels, failOn: 'error' }))
      .rotate() // applies the EXIF orientation before the metadata goes
      .resize({ width: side, height: side, fit: 'inside', withoutEnlargement: true })
      .webp({ quality })
      .toBuffer({ resolveWithObject: true });
  try {
    const main = await encode(sizes.maxSide);
    const thumb = await encode(sizes.thumbSide);
    return {
      main: main.data,
      thumb: thumb.data,
      width: main.info.width,
      height: main.info.height,
      thumbWidth: thumb.info.width,
      thumbHeight: thumb.info.height,
    };
  } catch {
    throw new ImageRejectedError('notImage');
  }
}

/** Draws an SVG (our own demo pictures) into PNG bytes, to be fed to prepareImage like an upload. */
export async function rasterizeSvg(svg: string | Buffer, width: number): Promise<Buffer> {
  return (await sharp(Buffer.isBuffer(svg) ? svg : Buffer.from(svg), { density: 144 })).resize({ width }).png().toBuffer();
}
