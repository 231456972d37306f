#!/usr/bin/env node
// Builds the server for `npm start`: src/server.ts and everything it imports from src/ in one
// ES module, dist/server.js; packages stay in node_modules. Under a second. Running the built
// file instead of TypeScript through tsx saves about 60 MB of memory and the compile at start.
//   node scripts/build.mjs
// serverArgs are the Node options and file `npm start` runs (package.json repeats them, and a test
// keeps the two equal). The heap limits make V8 collect garbage sooner rather than grow the heap
// to several hundred MB under load (400 MB at 50 connections without them); the app's live data
// is far below them (about 60 MB; the 100,000-response CSV export and evaluation fit). A 16 MB
// young generation halves the minor collections of 8 MB under load. --liftoff-only keeps V8 from
// compiling Prisma's WebAssembly query compiler a second time with its optimizing tier: about
// 25-50 MB less memory, and no slower on Prisma's queries (measured on 1,000 reads with includes).
// Both are V8 options: a Node that drops one refuses to start, which scripts/build.test.ts shows.
// Stack traces name dist/server.js lines (each module is marked `// src/...` in it); for the
// TypeScript lines add --enable-source-maps, which costs about 16 MB.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const serverArgs = ['--max-old-space-size=192', '--max-semi-space-size=16', '--liftoff-only', 'dist/server.js'];

export async function build(outfile = 'dist/server.js') {
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: ['src/server.ts'],
    outfile,
    bundle: true,
    packages: 'external',
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'linked',
    // dist/server.js is what `npm start` runs: the tutor's real run, with no error details on
    // pages, cached static files and templates compiled once. NODE_ENV set outside still wins
    // (the browser tests run it in development); `npm run dev` runs the sources, in development.
    banner: { js: "process.env.NODE_ENV ??= 'production';" },
    logLevel: 'warning',
  });
}

if (process.argv[1] && fs.realpathSync(process.argv[1]) === fs.realpathSync(fileURLToPath(import.meta.url))) await build();
