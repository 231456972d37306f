// helmet decides the security headers; this sets them. helmet runs a dozen small middlewares per
// response, each with its own next() and a directive function call (ours builds a URL from the Host
// header), about 2% of a catalogue page (bench/catalogue.ts). Its headers here depend on the request
// only through its Host header (form-action names the payment page on the host the phone used), so
// helmet itself runs once per Host against a recording response, and each response gets what it
// recorded. security-headers.test.ts checks that responses carry exactly helmet's headers.
import type { Request, RequestHandler, Response } from 'express';

type Recorded = { set: [name: string, value: string | string[]][]; removed: string[] };

/** Hosts remembered: a room uses two or three; a forged Host header cannot grow this for ever. */
const MAX_HOSTS = 100;

function record(helmetMiddleware: RequestHandler, req: Request): Recorded {
  const recorded: Recorded = { set: [], removed: [] };
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      recorded.set.push([name, Array.isArray(value) ? [...(value as string[])] : String(value)]);
    },
    removeHeader(name: string) {
      recorded.removed.push(name);
    },
  };
  let done = false;
  let failure: unknown;
  void helmetMiddleware(req, recorder as unknown as Response, (err?: unknown) => {
    done = true;
    failure = err;
  });
  if (!done || failure) throw new Error('helmet did not set its headers synchronously', { cause: failure });
  return recorded;
}

/** Sets the headers `helmetMiddleware` sets for a request with the same Host header. */
export function securityHeaders(helmetMiddleware: RequestHandler): RequestHandler {
  const byHost = new Map<string, Recorded>();
  return (req, res, next) => {
    const host = req.headers.host ?? '';
    let recorded = byHost.get(host);
    if (!recorded) {
      recorded = record(helmetMiddleware, req);
      if (byHost.size >= MAX_HOSTS) byHost.delete(byHost.keys().next().value!);
      byHost.set(host, recorded);
    }
    for (const [name, value] of recorded.set) res.setHeader(name, value);
    for (const name of recorded.removed) res.removeHeader(name);
    next();
  };
}
