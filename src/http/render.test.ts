import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import ejs from 'ejs';
import { escapeHtml, layoutEngine, localNames } from './render.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pl-views-'));
const write = (name: string, text: string) => {
  fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
  fs.writeFileSync(path.join(dir, name), text);
};
write('layouts/main.ejs', '<title><%= typeof title !== "undefined" && title ? title : "PasarLatih" %></title><main><%- body %></main>');
write(
  'shop/show.ejs',
  [
    '<% const base = "/shops/" + shop.id; %>',
    '<h1><%= shop.name %></h1><a href="<%= base %>">x</a>',
    '<% for (const item of items) { %><%- include("/shop/_item", { item }) %><% } %>',
    '<p><%= encodeURIComponent(shop.name) %> <%= Math.max(...counts) %></p>',
  ].join('\n'),
);
// The partial reads `item` and `money`; `shop` and `base` are not declared in it.
write('shop/_item.ejs', '<li><%= item.title %> <%= money(item.price) %></li>');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function render(file: string, locals: object, cache: boolean): Promise<string> {
  const engine = layoutEngine(dir, cache);
  return new Promise((resolve, reject) => engine(path.join(dir, file), locals, (err, html) => (err ? reject(err) : resolve(html!))));
}

describe('the EJS engine', () => {
  it('when a template declares a name, reads globals and spreads a local, then only its locals are declared for it', () => {
    const source = fs.readFileSync(path.join(dir, 'shop/show.ejs'), 'utf8');
    expect(localNames(source)).toEqual(['counts', 'items', 'shop']);
    expect(localNames('<%# a comment with words %><%= `${a}` + b.c + "d e" %>')).toEqual(['a', 'b']);
  });

  for (const cache of [true, false]) {
    it(`when a page with a partial and a layout renders (cache ${cache}), then every value is escaped and in its place`, async () => {
      const locals = {
        title: 'Toko <Bu Made>',
        shop: { id: 7, name: 'Kain & Tenun' },
        items: [
          { title: '<b>Songket</b>', price: 350000 },
          { title: 'Endek', price: 200000 },
        ],
        counts: [1, 5, 3],
        money: (n: number) => `Rp ${n}`,
      };
      const html = await render('shop/show.ejs', locals, cache);
      expect(html).toContain('<title>Toko &lt;Bu Made&gt;</title>');
      expect(html).toContain('<h1>Kain &amp; Tenun</h1><a href="/shops/7">x</a>');
      expect(html).toContain('<li>&lt;b&gt;Songket&lt;/b&gt; Rp 350000</li>');
      expect(html).toContain('<li>Endek Rp 200000</li>');
      expect(html).toContain('<p>Kain%20%26%20Tenun 5</p>');
    });
  }

  it('when a value is escaped, then it gets exactly the entities EJS writes', () => {
    for (const value of [
      '',
      'Kopi',
      `<a href="x" title='y'>&amp;</a>`,
      '&&<<>>""\'\'',
      0,
      12.5,
      false,
      null,
      undefined,
      ['<b>'],
      { toString: () => '<i>' },
    ]) {
      expect(escapeHtml(value)).toBe(ejs.escapeXML(value as string));
    }
  });

  it('when a view includes another, then it names it from views/ (a relative name makes EJS search the disk on every render)', () => {
    const viewsDir = path.join(path.dirname(new URL(import.meta.url).pathname), '../../views');
    const relative = fs
      .readdirSync(viewsDir, { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ejs'))
      .flatMap((file) =>
        [...fs.readFileSync(path.join(viewsDir, file), 'utf8').matchAll(/include\(\s*['"]([^'"]+)/g)].map((m) => `${file}: ${m[1]}`),
      )
      .filter((entry) => !entry.split(': ')[1]!.startsWith('/'));
    expect(relative).toEqual([]);
  });

  it('when the page has no title, then the layout falls back instead of failing', async () => {
    const html = await render('shop/show.ejs', { shop: { id: 1, name: 'A' }, items: [], counts: [0], money: String }, true);
    expect(html).toContain('<title>PasarLatih</title>');
  });
});
