import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isStringOneByteRepresentation } from 'node:v8';
import ejs from 'ejs';
import { Linter } from 'eslint';
import globals from 'globals';
import { afterAll, describe, expect, it } from 'vitest';
import { projectRoot } from '../paths.js';
import { createTemplates, escapeHtml, layoutEngine, MAX_SHARED_VIEWS } from './render.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pl-views-'));
const write = (name: string, text: string) => {
  fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
  fs.writeFileSync(path.join(dir, name), text);
};
write('layouts/main.ejs', '<title><%= it.title ? it.title : "PasarLatih" %></title><main><%~ it.body %></main>');
write(
  'shop/show.ejs',
  [
    '<% const base = "/shops/" + it.shop.id; %>',
    '<h1><%= it.shop.name %></h1><a href="<%= base %>">x</a>',
    '<% for (const item of it.items) { %><%~ include("/shop/_item", { item }) %><% } %>',
    '<p><%= encodeURIComponent(it.shop.name) %> <%= Math.max(...it.counts) %></p>',
  ].join('\n'),
);
// The partial reads its own `item` and the page's `money`; an optional `note` it may not get.
write('shop/_item.ejs', '<li><%= it.item.title %> <%= it.money(it.item.price) %><% if (it.note) { %> (<%= it.note %>)<% } %></li>');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function render(file: string, locals: object, cache = true, engine = layoutEngine(dir, cache)): Promise<string> {
  return new Promise((resolve, reject) => engine(path.join(dir, file), locals, (err, html) => (err ? reject(err) : resolve(html!))));
}

const shopLocals = () => ({
  title: 'Toko <Bu Made>',
  shop: { id: 7, name: 'Kain & Tenun' },
  items: [
    { title: '<b>Songket</b>', price: 350000 },
    { title: 'Endek', price: 200000 },
  ],
  counts: [1, 5, 3],
  money: (n: number) => `Rp ${n}`,
});

describe('the view engine', () => {
  for (const cache of [true, false]) {
    it(`when a page with a partial and a layout renders (cache ${cache}), then every value is escaped and in its place`, async () => {
      const html = await render('shop/show.ejs', shopLocals(), cache);
      expect(html).toContain('<title>Toko &lt;Bu Made&gt;</title>');
      expect(html).toContain('<h1>Kain &amp; Tenun</h1><a href="/shops/7">x</a>');
      expect(html).toContain('<li>&lt;b&gt;Songket&lt;/b&gt; Rp 350000</li>');
      expect(html).toContain('<li>Endek Rp 200000</li>');
      expect(html).toContain('<p>Kain%20%26%20Tenun 5</p>');
    });
  }

  it('when a value holds & < > " \', then <%= %> writes the entities EJS writes, and nothing for undefined or null', () => {
    write('escape.ejs', '<p title="<%= it.text %>"><%= it.text %>|<%= it.none %>|<%= it.empty %></p>');
    const html = createTemplates(dir, true).render('escape', { text: `&<>"'`, none: undefined, empty: null });
    expect(html).toBe('<p title="&amp;&lt;&gt;&#34;&#39;">&amp;&lt;&gt;&#34;&#39;||</p>');
  });

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

  it('when a value or the template itself holds characters beyond Latin-1, then the page has numeric references instead and stays one byte per character', () => {
    write('latin1.ejs', '<p title="<%= it.text %>">← Kembali · <%= it.text %> ★</p>');
    const html = createTemplates(dir, true).render('latin1', { text: 'Kain – tenun 😀 café' });
    expect(html).toBe('<p title="Kain &#8211; tenun &#128512; café">&#8592; Kembali · Kain &#8211; tenun &#128512; café &#9733;</p>');
    expect(html).not.toMatch(/[\u0100-\uffff]/);
    // A browser reads the references back as the characters.
    const decoded = html.replace(/&#(\d+);/g, (_, n: string) => String.fromCodePoint(Number(n)));
    expect(decoded).toBe('<p title="Kain – tenun 😀 café">← Kembali · Kain – tenun 😀 café ★</p>');
    expect(escapeHtml('\ud83d')).toBe('&#55357;');
    // Held by V8 in one byte per character too: replace() on a two-byte value returns a two-byte string, and one
    // such string made the whole page two-byte, twice the memory and several times the cost of encoding it.
    expect(isStringOneByteRepresentation(html)).toBe(true);
    for (const value of ['Kain – tenun', 'Kain – tenun'.slice(7), '😀 & <b>', 'Kain & Tenun']) {
      expect(isStringOneByteRepresentation(escapeHtml(value)), value).toBe(true);
    }
  });

  it('when a value beyond Latin-1 reaches a page through a partial and the layout, then the whole page is one byte per character', async () => {
    const locals = { ...shopLocals(), title: 'Toko – Bu Made ★', items: [{ title: 'Songket 😀 – biru', price: 350000 }] };
    const html = await render('shop/show.ejs', locals);
    expect(html).toContain('<title>Toko &#8211; Bu Made &#9733;</title>');
    expect(html).toContain('<li>Songket &#128512; &#8211; biru');
    expect(isStringOneByteRepresentation(html)).toBe(true);
  });

  it('when a local is named like a global, then the template reads the local, and a missing one reads as undefined', () => {
    write('globals.ejs', '<%= it.URL %>|<%= it.crypto %>|<%= it.name %>|<%= it.performance %>|<%= typeof URL %>');
    const html = createTemplates(dir, true).render('globals', { URL: 'u', crypto: 'c', name: 'n' });
    expect(html).toBe('u|c|n||function');
  });

  it('when the locals carry names of the engine (escapeFn, include, __eta) on their prototype, then escaping and includes are untouched', async () => {
    const gadgets = {
      escapeFn: String,
      escapeFunction: String,
      include: () => '<script>x</script>',
      __eta: {},
      __append: String,
      body: '',
    };
    const locals = Object.assign(Object.create(gadgets) as object, shopLocals());
    const html = await render('shop/show.ejs', locals);
    expect(html).toContain('<li>&lt;b&gt;Songket&lt;/b&gt; Rp 350000</li>');
    expect(html).not.toContain('<script>');
  });

  it('when an optional local is not given to a partial, then the partial leaves it out instead of failing', async () => {
    const html = await render('shop/show.ejs', { ...shopLocals(), note: undefined });
    expect(html).toContain('<li>Endek Rp 200000</li>');
  });

  it('when the page has no title, then the layout falls back instead of failing', async () => {
    const html = await render('shop/show.ejs', { shop: { id: 1, name: 'A' }, items: [], counts: [0], money: String });
    expect(html).toContain('<title>PasarLatih</title>');
  });

  it('when a template fails, then the error names its file and line', async () => {
    write('broken.ejs', '<p>fine</p>\n<%= it.shop.name %>');
    await expect(render('broken.ejs', {}, true, layoutEngine(dir, true, { layout: false }))).rejects.toThrow(
      /broken\.ejs:2[\s\S]*reading 'name'/,
    );
  });

  it('when a tag starts with [ or (, then it runs as its own statement (the line marks of Eta debug end with ;)', () => {
    write(
      'statements.ejs',
      `<ol><% ['a', 'b'].forEach((s) => { %><li><%= s %></li><% }) %></ol>\n<% (it.items || []).forEach(() => {}) %>`,
    );
    expect(createTemplates(dir, true).render('statements', {})).toBe('<ol><li>a</li><li>b</li></ol>\n');
  });

  it('when a template is edited, then development shows it on the next render and production keeps what it compiled', async () => {
    write('edited.ejs', '<p>one</p>');
    const production = layoutEngine(dir, true, { layout: false });
    const development = layoutEngine(dir, false, { layout: false });
    expect(await render('edited.ejs', {}, true, production)).toBe('<p>one</p>');
    expect(await render('edited.ejs', {}, false, development)).toBe('<p>one</p>');
    write('edited.ejs', '<p>two</p>');
    expect(await render('edited.ejs', {}, false, development)).toBe('<p>two</p>');
    expect(await render('edited.ejs', {}, true, production)).toBe('<p>one</p>');
    // Another engine (the payment sandbox's) has its own cache: nothing compiled is shared through the process.
    expect(await render('edited.ejs', {}, true, layoutEngine(dir, true, { layout: false }))).toBe('<p>two</p>');
  });
});

describe('shared views', () => {
  // The view may read its own locals and the language's helpers; the layout shows who is signed in.
  write('layouts/person.ejs', '<header><%= it.currentUser?.name %>|<%= it.csrfToken %></header><%~ it.body %>');
  write('shared.ejs', '<p><%= it.t("hi") %> <%= it.item %>|<%= it.currentUser?.name %>|<%= it.csrfToken %></p>');
  const person = (name: string, lang = 'id') => ({
    layout: 'person',
    lang,
    t: (key: string) => `${lang}:${key}`,
    currentUser: { name },
    csrfToken: `token-of-${name}`,
  });
  const shared = (key: string, item: string) => ({ shared: { key, locals: { item } } });

  it('when two people open the same shared view, then the view is rendered once and each gets her own layout around it', async () => {
    const engine = layoutEngine(dir, true);
    const siti = await render('shared.ejs', { ...person('Siti'), ...shared('v1', 'Kopi') }, true, engine);
    // Same key, other locals: the page kept for this key is what she gets (it is rendered once per key).
    const budi = await render('shared.ejs', { ...person('Budi'), ...shared('v1', 'Teh') }, true, engine);
    expect(siti).toBe('<header>Siti|token-of-Siti</header><p>id:hi Kopi||</p>');
    expect(budi).toBe('<header>Budi|token-of-Budi</header><p>id:hi Kopi||</p>');
  });

  it('when the key or the language changes, then the view is rendered anew', async () => {
    const engine = layoutEngine(dir, true);
    await render('shared.ejs', { ...person('Siti'), ...shared('v1', 'Kopi') }, true, engine);
    expect(await render('shared.ejs', { ...person('Siti'), ...shared('v2', 'Teh') }, true, engine)).toContain('<p>id:hi Teh||</p>');
    expect(await render('shared.ejs', { ...person('Siti', 'en'), ...shared('v1', 'Teh') }, true, engine)).toContain('<p>en:hi Teh||</p>');
  });

  it('when more shared views are rendered than are kept, then the oldest is rendered anew', async () => {
    const engine = layoutEngine(dir, true);
    await render('shared.ejs', { ...person('Siti'), ...shared('first', 'Kopi') }, true, engine);
    for (let i = 0; i < MAX_SHARED_VIEWS; i++)
      await render('shared.ejs', { ...person('Siti'), ...shared(`other-${i}`, 'x') }, true, engine);
    expect(await render('shared.ejs', { ...person('Siti'), ...shared('first', 'Teh') }, true, engine)).toContain('<p>id:hi Teh||</p>');
  });

  it('when templates are not cached (development), then a shared view is rendered on every request', async () => {
    const engine = layoutEngine(dir, false);
    await render('shared.ejs', { ...person('Siti'), ...shared('v1', 'Kopi') }, false, engine);
    expect(await render('shared.ejs', { ...person('Siti'), ...shared('v1', 'Teh') }, false, engine)).toContain('<p>id:hi Teh||</p>');
  });
});

describe('the views', () => {
  const viewsDir = path.join(projectRoot, 'views');
  const views = fs
    .readdirSync(viewsDir, { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.ejs'))
    .sort();

  it('when a view includes another, then it names it by its path under views/', () => {
    const relative = views
      .flatMap((file) =>
        [...fs.readFileSync(path.join(viewsDir, file), 'utf8').matchAll(/include\(\s*['"]([^'"]+)/g)].map((m) => `${file}: ${m[1]}`),
      )
      .filter((entry) => !entry.split(': ')[1]!.startsWith('/'));
    expect(views.length).toBeGreaterThan(50);
    expect(relative).toEqual([]);
  });

  it('when a view reads a name it neither declares nor gets from JavaScript, then this lists it (a local is read as it.name)', () => {
    const templates = createTemplates(viewsDir, true);
    const linter = new Linter();
    const undeclared = views.flatMap((file) => {
      const code = templates.compileToString(fs.readFileSync(path.join(viewsDir, file), 'utf8'));
      const messages = linter.verify(`(function (it, options) {\n${code}\n});`, {
        languageOptions: { ecmaVersion: 'latest', sourceType: 'script', globals: { ...globals.es2024, ...globals.node } },
        rules: { 'no-undef': ['error', { typeof: true }] },
      });
      return messages.map((m) => `${file}: ${m.message}`);
    });
    expect(undeclared).toEqual([]);
  });
});
