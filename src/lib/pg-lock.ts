// Work that one app instance at a time may do (the first start's demo data): several instances
// started together on an empty PostgreSQL database would each load it. A session advisory lock on a
// connection of its own, so the pool's connections stay free for the work itself.

export async function whileHoldingLock<T>(connectionString: string, name: string, work: () => Promise<T>): Promise<T> {
  const { default: pg } = await import('pg'); // only on PostgreSQL
  const client = new pg.Client({ connectionString, application_name: 'pasarlatih-lock' });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [name]);
    return await work();
  } finally {
    await client.end(); // ending the session releases its lock
  }
}
