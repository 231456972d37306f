// The room's phones (bench/room-driver.ts) reload what a person would reload, once: a 5xx or a page
// cut off half way, when the test's rule allows it. Against a local server that answers as a dying
// instance does: headers then a closed connection, or a 502, then a whole page.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Phone, type Seen } from '../bench/room-driver.js';

/** How the server answers each request to a path, in order; the last answer repeats. */
const script = new Map<string, ('cut' | 502 | 200)[]>();
let server: http.Server;
let base: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const answers = script.get(req.url!) ?? [200];
    const answer = answers.length > 1 ? answers.shift()! : answers[0]!;
    res.setHeader('x-pasarlatih-upstream', '127.0.0.1:1');
    if (answer === 'cut') {
      res.writeHead(200, { 'content-type': 'text/html', 'content-length': '1000' });
      res.write('<p>setengah');
      setTimeout(() => res.socket?.destroy(), 20);
    } else res.writeHead(answer, { 'content-type': 'text/html' }).end(`<p>${answer}</p>`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

const phone = (reloadable: boolean, seen: Seen[]) => new Phone({ reloadable: () => reloadable, onResponse: (s) => seen.push(s) });

describe('a phone of the room', () => {
  it('when a page is cut off half way and the rule allows a reload, then it loads it again once and gets the whole page', async () => {
    script.set('/cut-once', ['cut', 200]);
    const seen: Seen[] = [];
    const page = await phone(true, seen).get(`${base}/cut-once`);
    expect(page.html).toBe('<p>200</p>');
    expect(seen).toMatchObject([
      { status: 200, cut: true, retried: false },
      { status: 200, retried: true },
    ]);
    expect(seen[1]!.cut).toBeUndefined();
  });

  it('when a page is cut off and the rule does not allow a reload, then she fails with "cut off"', async () => {
    script.set('/cut', ['cut']);
    await expect(phone(false, []).get(`${base}/cut`)).rejects.toThrow(/^cut off: GET .*\/cut answered 200 \(upstream 127\.0\.0\.1:1\)$/);
  });

  it('when the reload is cut off too, then she fails with "cut off after a reload"', async () => {
    script.set('/cut-twice', ['cut']);
    await expect(phone(true, []).get(`${base}/cut-twice`)).rejects.toThrow(/^cut off after a reload: /);
  });

  it('when a 502 comes, then it is reloaded once when allowed and fails as a server error when not, or again after the reload', async () => {
    script.set('/502-once', [502, 200]);
    expect((await phone(true, []).get(`${base}/502-once`)).html).toBe('<p>200</p>');
    script.set('/502', [502]);
    await expect(phone(false, []).get(`${base}/502`)).rejects.toThrow(/^server error: GET .* answered 502/);
    await expect(phone(true, []).get(`${base}/502`)).rejects.toThrow(/^server error after a reload: /);
  });
});
