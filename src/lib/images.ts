// Photos people upload: judged by their bytes (never by name or declared type), re-encoded to a
// bounded size plus a thumbnail. Re-encoding drops every metadata block (EXIF, GPS, XMP, ICC
// comments): sharp writes none unless told to with withMetadata/keepExif, which we never call.
//
// Decoding is the costly part (a 60-megapixel PNG took 1.8 s and 250 MB), so a picture is decoded
// once (the thumbnail is made from the re-encoded picture), no larger than a phone camera makes,
// and one at a time: the work waits in a queue of one, on one libvips thread, so four people
// uploading photos at once leave the other core to the pages everyone else is reading
// (bench/uploads.ts measures it).
import pLimit from 'p-limit';
import type { Metadata, Sharp, SharpOptions } from 'sharp';

// sharp (libvips) is loaded on the first picture, not at start: most requests never need it.
let sharpModule: Promise<typeof import('sharp')> | undefined;
async function sharp(input: Buffer, options?: SharpOptions): Promise<Sharp> {
  sharpModule ??= import('sharp').then((module) => {
    module.default.concurrency(1);
    // Every upload is a new picture: libvips' cache of recent operations would only hold memory.
    module.default.cache(false);
    return module;
  });
  return (await sharpModule).default(input, options);
}

/** The queue every picture's decoding and encoding goes through. */
export const imageWork = pLimit(1);

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

/**
 * The most pixels a picture may have: a phone's photo (12 MP usually, 24 MP at most in a normal
 * setting) passes; a 48- or 50-megapixel "full resolution" shot, a scan or a decompression bomb
 * does not. Listings show 1600 px at most, so nothing is lost by asking for a smaller one.
 */
export const MAX_INPUT_PIXELS = 24_000_000;

export type ImageSizes = { maxSide: number; thumbSide: number; quality?: number };

/** Judges and re-encodes one picture, after the pictures before it in the queue (imageWork). */
export function prepareImage(bytes: Buffer, sizes: ImageSizes): Promise<PreparedImage> {
  const sniffed = sniffImageFormat(bytes);
  if (!sniffed) return Promise.reject(new ImageRejectedError('notImage'));
  return imageWork(() => decodeAndEncode(bytes, sniffed, sizes));
}

async function decodeAndEncode(bytes: Buffer, sniffed: ImageFormat, sizes: ImageSizes): Promise<PreparedImage> {
  // The header alone: the size is known before a single pixel is decoded.
  let metadata: Metadata;
  try {
    metadata = await (await sharp(bytes, { limitInputPixels: false })).metadata();
  } catch {
    throw new ImageRejectedError('notImage');
  }
  if (metadata.format !== sniffed || !metadata.width || !metadata.height) throw new ImageRejectedError('notImage');
  if (metadata.width * metadata.height > MAX_INPUT_PIXELS) throw new ImageRejectedError('tooManyPixels');

  const quality = sizes.quality ?? 80;
  const encode = async (input: Buffer, side: number, upright: boolean) => {
    const pipeline = await sharp(input, { limitInputPixels: MAX_INPUT_PIXELS, failOn: 'error' });
    // The EXIF orientation is applied before the metadata goes; turning needs the whole picture
    // in memory, so a picture that is already upright streams through instead.
    if (!upright) pipeline.rotate();
    return pipeline
      .resize({ width: side, height: side, fit: 'inside', withoutEnlargement: true })
      .webp({ quality })
      .toBuffer({ resolveWithObject: true });
  };
  try {
    const main = await encode(bytes, sizes.maxSide, (metadata.orientation ?? 1) === 1);
    // From the re-encoded picture (at most maxSide wide, already upright): the upload is decoded once.
    const thumb = await encode(main.data, sizes.thumbSide, true);
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
export function rasterizeSvg(svg: string | Buffer, width: number): Promise<Buffer> {
  return imageWork(async () =>
    (await sharp(Buffer.isBuffer(svg) ? svg : Buffer.from(svg), { density: 144 })).resize({ width }).png().toBuffer(),
  );
}
