#!/usr/bin/env node
// Builds what `npm start` runs: src/server.ts (the app) and src/payment-sandbox/main.ts (the
// payment sandbox), each with everything it imports from src/ in one ES module, dist/server.js and
// dist/payment-sandbox.js; packages stay in node_modules. Under a second. Running the built files
// instead of TypeScript through tsx saves about 60 MB of memory per process and the compile at start.
//   node scripts/build.mjs
// `npm start` runs scripts/start.mjs, which starts both as child processes with serverArgs and
// sandboxArgs (a test keeps package.json and startArgs equal). The heap limits make V8 collect
// garbage sooner rather than grow the heap to several hundred MB under load (400 MB at 50
// connections without them); the app's live data is far below them (about 60 MB; the
// 100,000-response CSV export and evaluation fit). A 16 MB young generation halves the minor
// collections of 8 MB under load. --liftoff-only keeps V8 from compiling Prisma's WebAssembly
// query compiler a second time with its optimizing tier: about 25-50 MB less memory, and no slower
// on Prisma's queries (measured on 1,000 reads with includes). --no-allocation-site-pretenuring:
// under load V8 saw the objects of requests in flight outlive a minor collection and began
// allocating them straight in the old generation, where they died and cost major collections
// (concurrent marking and sweeping, a fifth of the CPU). With the flag a catalogue page took 24-34%
// less CPU and the app 8-13 MB less memory (an A/B of two app processes with and without the
// flag, three paired runs; README, "Catalogue benchmark"). The sandbox has no Prisma and a small
// heap. All are V8 options: a Node that drops one refuses to start, which scripts/build.test.ts
// shows.
// Stack traces name dist/*.js lines (each module is marked `// src/...` in it); for the
// TypeScript lines add --enable-source-maps, which costs about 16 MB.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const serverArgs = [
  '--max-old-space-size=192',
  '--max-semi-space-size=16',
  '--liftoff-only',
  '--no-allocation-site-pretenuring',
  'dist/server.js',
];
// Outside the heap: compression gzips pages on libuv's worker threads, and glibc gave each thread
// its own malloc arena that kept its freed memory (the app's RSS grew 60 MB under load with a
// heap of 85 MB; two arenas: 30 MB less, bench:catalogue's gzip turn no slower). Set in the
// environment of the app's process (glibc reads it at start); a value set outside wins.
export const serverEnv = { MALLOC_ARENA_MAX: '2' };
export const sandboxArgs = ['--max-old-space-size=64', '--max-semi-space-size=4', 'dist/payment-sandbox.js'];
/** `npm start` after the build: the supervisor of both. */
export const startArgs = ['scripts/start.mjs'];

/** Writes dist/server.js and dist/payment-sandbox.js (into `outdir`). */
export async function build(outdir = 'dist') {
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: { server: 'src/server.ts', 'payment-sandbox': 'src/payment-sandbox/main.ts' },
    outdir,
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
