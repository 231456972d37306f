// Prisma CLI configuration (Prisma 7 reads no datasource url from the schema).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'prisma/config';

const projectRoot = path.dirname(fileURLToPath(import.meta.url));

// The CLI would download a native schema engine, which cannot be fetched here (see the header of
// prisma/schema-engine.mjs): use our stand-in that runs Prisma's WebAssembly build of the engine.
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= path.join(projectRoot, 'prisma', 'schema-engine.mjs');

// A relative SQLite path is resolved against the project root, as src/config.ts does for the
// app, so the CLI and the app always open the same file whatever the current directory.
function resolveDatabaseUrl(url: string): string {
  if (!url.startsWith('file:')) return url;
  const file = url.slice('file:'.length);
  return path.isAbsolute(file) ? url : `file:${path.resolve(projectRoot, file)}`;
}

const url = resolveDatabaseUrl(process.env.DATABASE_URL ?? 'file:./data/pasarlatih.db');
// A schema and its migrations belong to one provider: PostgreSQL uses the generated copy
// (scripts/postgres-schema.mjs) and its own migrations.
const dir = /^postgres(ql)?:\/\//.test(url) ? 'prisma/postgres' : 'prisma';

export default defineConfig({
  schema: `${dir}/schema.prisma`,
  migrations: {
    path: `${dir}/migrations`,
    seed: 'tsx prisma/seed.ts',
  },
  datasource: { url },
});
