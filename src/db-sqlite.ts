// Prisma's SQLite adapter runs everything on one better-sqlite3 connection. It serializes
// interactive transactions among themselves, but a statement from outside (another request's
// session write, a read) runs on that connection while a transaction is open: it becomes part of
// that transaction, is rolled back with it, and a read sees rows that may never be committed.
// This wrapper makes every statement outside a transaction wait while one is open, and a
// transaction wait for the statements before it: one lock for the connection, in arrival order.
// A transaction body must therefore use its own client (tx), never `prisma`: a statement on
// `prisma` inside the body would wait for the transaction to end (Prisma's transaction timeout
// then ends it), where before it silently joined it.
// The hot read path (src/db-read.ts) has its own read-only connection and never waits here.
import type { SqlDriverAdapter, SqlDriverAdapterFactory, SqlQuery, Transaction } from '@prisma/driver-adapter-utils';

/** A first-come lock: acquire() resolves, in order of calls, with the function that releases it. */
class Lock {
  #tail: Promise<void> = Promise.resolve();

  acquire(): Promise<() => void> {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const turn = this.#tail.then(() => release);
    this.#tail = this.#tail.then(() => held);
    return turn;
  }

  async run<T>(work: () => Promise<T>): Promise<T> {
    const release = await this.acquire();
    try {
      return await work();
    } finally {
      release();
    }
  }
}

function serialized(adapter: SqlDriverAdapter): SqlDriverAdapter {
  const lock = new Lock();
  const wrapped: SqlDriverAdapter = {
    provider: adapter.provider,
    adapterName: adapter.adapterName,
    queryRaw: (query: SqlQuery) => lock.run(() => adapter.queryRaw(query)),
    executeRaw: (query: SqlQuery) => lock.run(() => adapter.executeRaw(query)),
    executeScript: (script: string) => lock.run(() => adapter.executeScript(script)),
    dispose: () => adapter.dispose(),
    async startTransaction(isolationLevel) {
      const release = await lock.acquire();
      let transaction: Transaction;
      try {
        transaction = await adapter.startTransaction(isolationLevel);
      } catch (error) {
        release();
        throw error;
      }
      const end = (finish: () => Promise<void>) => async () => {
        try {
          await finish();
        } finally {
          release();
        }
      };
      const wrappedTransaction: Transaction = {
        provider: transaction.provider,
        adapterName: transaction.adapterName,
        options: transaction.options,
        queryRaw: (query) => transaction.queryRaw(query),
        executeRaw: (query) => transaction.executeRaw(query),
        commit: end(() => transaction.commit()),
        rollback: end(() => transaction.rollback()),
      };
      if (transaction.createSavepoint) wrappedTransaction.createSavepoint = (name) => transaction.createSavepoint!(name);
      if (transaction.rollbackToSavepoint) wrappedTransaction.rollbackToSavepoint = (name) => transaction.rollbackToSavepoint!(name);
      if (transaction.releaseSavepoint) wrappedTransaction.releaseSavepoint = (name) => transaction.releaseSavepoint!(name);
      return wrappedTransaction;
    },
  };
  if (adapter.getConnectionInfo) wrapped.getConnectionInfo = () => adapter.getConnectionInfo!();
  return wrapped;
}

/** The adapter factory with every connection it makes serialized as described above. */
export function serializeTransactions(factory: SqlDriverAdapterFactory): SqlDriverAdapterFactory {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => serialized(await factory.connect()),
  };
}
