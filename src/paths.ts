// Where the project's files are, from the running code's own place: src/paths.ts under tsx,
// dist/server.js when built (scripts/build.mjs); both sit one folder below the project root.
// Files that ship beside the code (locales, questionnaire templates, demo pictures, views) are
// found from here, never from a module's own folder, which the bundle flattens.
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const sourcePath = (...parts: string[]): string => path.join(projectRoot, 'src', ...parts);
