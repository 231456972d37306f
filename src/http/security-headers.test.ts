import express from 'express';
import helmet from 'helmet';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { securityHeaders } from './security-headers.js';

/** helmet's options as the app's: one directive depends on the request's Host header. */
const options = () =>
  helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        formAction: ["'self'", (req) => `http://${String(req.headers.host).split(':')[0]}:3001`],
        frameAncestors: ["'none'"],
      },
    },
    strictTransportSecurity: false,
  });

function appWith(middleware: express.RequestHandler) {
  const app = express();
  app.use(middleware);
  app.get('/', (_req, res) => void res.set('X-Powered-By', 'leak').send('ok'));
  return app;
}

/** The headers a page gets, without those every response gets (date, length...). */
async function headersOf(app: express.Express, host: string) {
  const res = await request(app).get('/').set('Host', host);
  const { date: _date, etag: _etag, 'content-length': _length, connection: _connection, ...rest } = res.headers;
  return rest;
}

describe('security headers', () => {
  it("when pages are asked for on several hosts, again and again, then each carries exactly helmet's headers for its host", async () => {
    const byHelmet = appWith(options());
    const recorded = appWith(securityHeaders(options()));
    for (const host of ['localhost:3000', '192.168.1.10:3000', 'localhost:3000', '192.168.1.10:3000', 'pasarlatih.test']) {
      const expected = await headersOf(byHelmet, host);
      expect(expected['content-security-policy']).toContain(`form-action 'self' http://${host.split(':')[0]}:3001`);
      expect(await headersOf(recorded, host)).toEqual(expected);
    }
  });

  it('when more forged Host headers arrive than are remembered, then each still gets the policy of its own host', async () => {
    const recorded = appWith(securityHeaders(options()));
    for (let i = 0; i < 120; i++) {
      const csp = (await request(recorded).get('/').set('Host', `h${i}.test`)).headers['content-security-policy'];
      expect(csp).toContain(`form-action 'self' http://h${i}.test:3001`);
    }
  });
});
