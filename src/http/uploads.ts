// Uploaded pictures (shop logos, listing photos, demo pictures): multer keeps them in memory
// (5 MB each), lib/images judges and re-encodes them, and this module writes them under
// config.uploadDir with random names and serves them at /uploads/… (never-changing names, so
// browsers may cache them for a year).
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import express, { Router, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import multer from 'multer';
import { z } from 'zod';
import { config } from '../config.js';
import { ValidationError, type FieldErrors } from '../errors.js';
import { ImageRejectedError, prepareImage, type ImageSizes, type PreparedImage } from '../lib/images.js';
import { formHandler, toFieldErrors } from './validation.js';

export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;

declare module 'express-serve-static-core' {
  interface Locals {
    /** A locale key when multer refused the upload (too large, too many files). */
    uploadError?: string;
  }
}

/**
 * Parses a multipart form with up to `maxCount` files in `field`. A file that breaks a limit
 * does not fail the request: the handler sees res.locals.uploadError and shows the form again
 * with what was typed (the file input comes last in our forms, so every text field is parsed).
 */
export function imageUpload(field: string, maxCount: number): RequestHandler {
  const upload = multer({
    storage: multer.memoryStorage(),
    limits: { fileSize: MAX_UPLOAD_BYTES, files: maxCount, fields: 60, fieldSize: 64 * 1024 },
  }).array(field, maxCount);
  return (req: Request, res: Response, next: NextFunction) => {
    upload(req, res, (error: unknown) => {
      if (error instanceof multer.MulterError) {
        if (error.code === 'LIMIT_FILE_SIZE') res.locals.uploadError = 'common:upload.tooLarge';
        else if (error.code === 'LIMIT_FILE_COUNT' || error.code === 'LIMIT_UNEXPECTED_FILE')
          res.locals.uploadError = 'common:upload.tooMany';
        else res.locals.uploadError = 'common:upload.failed';
        req.body ??= {};
        return next();
      }
      next(error);
    });
  };
}

export function uploadedBuffers(req: Request): Buffer[] {
  const files = req.files;
  if (!Array.isArray(files)) return [];
  return files.filter((file) => file.size > 0).map((file) => file.buffer);
}

/** Judges every file before anything is stored; the first refusal names the reason. */
export async function prepareUploads(buffers: Buffer[], sizes: ImageSizes): Promise<{ images: PreparedImage[]; errorKey?: string }> {
  const images: PreparedImage[] = [];
  for (const buffer of buffers) {
    try {
      images.push(await prepareImage(buffer, sizes));
    } catch (error) {
      if (error instanceof ImageRejectedError) {
        return { images: [], errorKey: error.reason === 'tooManyPixels' ? 'common:upload.tooManyPixels' : 'common:upload.notImage' };
      }
      throw error;
    }
  }
  return { images };
}

export type StoredImage = { path: string; thumbPath: string; width: number; height: number };

/** Writes the image and its thumbnail under uploadDir/<folder>/ (one folder per kind of picture) with random names. */
export async function storeImage(image: PreparedImage, folder: string): Promise<StoredImage> {
  const dir = path.join(config.uploadDir, folder);
  await fs.mkdir(dir, { recursive: true });
  const name = randomBytes(16).toString('hex');
  const main = `${folder}/${name}.webp`;
  const thumb = `${folder}/${name}-t.webp`;
  await fs.writeFile(path.join(config.uploadDir, main), image.main);
  await fs.writeFile(path.join(config.uploadDir, thumb), image.thumb);
  return { path: main, thumbPath: thumb, width: image.width, height: image.height };
}

/** Removes stored files; a file already gone is not an error. Only paths under uploadDir. */
export async function removeStoredFiles(paths: Iterable<string | null | undefined>): Promise<void> {
  const root = path.resolve(config.uploadDir);
  for (const relative of paths) {
    if (!relative) continue;
    const file = path.resolve(root, relative);
    if (!file.startsWith(root + path.sep)) continue;
    await fs.rm(file, { force: true });
  }
}

/** A stored file's path under uploadDir, or null for a path that would leave it. */
function storedPath(relative: string): string | null {
  const root = path.resolve(config.uploadDir);
  const file = path.resolve(root, relative);
  return file.startsWith(root + path.sep) ? file : null;
}

/**
 * Moves stored files to the same relative paths under `keepDir` (a snapshot's folder), so that a
 * restore can bring them back. A file already gone is skipped.
 */
export async function keepStoredFiles(paths: Iterable<string | null | undefined>, keepDir: string): Promise<void> {
  for (const relative of paths) {
    const file = relative ? storedPath(relative) : null;
    if (!relative || !file) continue;
    const kept = path.resolve(keepDir, relative);
    if (!kept.startsWith(path.resolve(keepDir) + path.sep)) continue;
    await fs.mkdir(path.dirname(kept), { recursive: true });
    try {
      await fs.rename(file, kept);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') continue;
      if (code !== 'EXDEV') throw error;
      // Another disk: copy, then remove.
      await fs.copyFile(file, kept);
      await fs.rm(file, { force: true });
    }
  }
}

/** Copies files kept by keepStoredFiles back into the uploads (the snapshot keeps its copy). */
export async function restoreStoredFiles(paths: Iterable<string | null | undefined>, keepDir: string): Promise<void> {
  for (const relative of paths) {
    const file = relative ? storedPath(relative) : null;
    if (!relative || !file) continue;
    const kept = path.resolve(keepDir, relative);
    if (!kept.startsWith(path.resolve(keepDir) + path.sep)) continue;
    await fs.mkdir(path.dirname(file), { recursive: true });
    try {
      await fs.copyFile(kept, file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
}

/**
 * Folders of pictures that are not public: /uploads never serves them (a chat photo is for the
 * two parties and the workshop's staff; its feature checks who asks and sends it with sendPrivateImage).
 */
export const PRIVATE_UPLOAD_FOLDERS = ['chat'] as const;

/** Sends a stored picture of a private folder, to someone its feature has allowed; browsers keep it only for her. */
export function sendPrivateImage(res: Response, relative: string): void {
  const file = storedPath(relative);
  if (!file || !PRIVATE_UPLOAD_FOLDERS.some((folder) => relative.startsWith(`${folder}/`))) {
    res.sendStatus(404);
    return;
  }
  res.set('Cache-Control', 'private, max-age=86400, immutable');
  res.type('image/webp');
  res.sendFile(path.relative(path.resolve(config.uploadDir), file), {
    root: path.resolve(config.uploadDir),
    dotfiles: 'deny',
    cacheControl: false,
  });
}

/** The stored pictures, mounted at /uploads before the session: files need none (private folders: 404). */
export const uploadsRouter = Router();
for (const folder of PRIVATE_UPLOAD_FOLDERS) uploadsRouter.use(`/${folder}`, (_req, res) => void res.sendStatus(404));
uploadsRouter.use(
  express.static(config.uploadDir, {
    index: false,
    dotfiles: 'deny',
    redirect: false,
    immutable: true,
    maxAge: '365d',
  }),
);

/**
 * A multipart form POST with pictures, in the formHandler style: the fields are validated and
 * the files judged together, so one 422 page shows every problem with the values typed kept.
 */
export function imageFormHandler<S extends z.ZodType>(options: {
  schema: S;
  view: string;
  field: string;
  sizes: ImageSizes;
  locals?: (req: Request, res: Response) => Record<string, unknown> | Promise<Record<string, unknown>>;
  handle: (data: z.output<S>, images: PreparedImage[], req: Request, res: Response) => Promise<void>;
}): RequestHandler {
  return formHandler({
    schema: z.unknown(),
    view: options.view,
    ...(options.locals ? { locals: options.locals } : {}),
    handle: async (_body, req, res) => {
      const parsed = options.schema.safeParse(req.body ?? {});
      const errors: FieldErrors = parsed.success ? {} : toFieldErrors(parsed.error);
      let images: PreparedImage[] = [];
      if (res.locals.uploadError) errors[options.field] = res.locals.uploadError;
      else {
        const prepared = await prepareUploads(uploadedBuffers(req), options.sizes);
        if (prepared.errorKey) errors[options.field] = prepared.errorKey;
        images = prepared.images;
      }
      if (!parsed.success || Object.keys(errors).length) throw new ValidationError(errors);
      await options.handle(parsed.data, images, req, res);
    },
  });
}
