// Views are Eta templates (https://eta.js.org), kept in views/ with the .ejs extension (res.render names and the files'
// history stay as they were). res.render('shops/new', locals) renders the view, then wraps it in views/layouts/main.ejs
// (or `layout: 'other'`, or `layout: false` for a bare fragment).
//
// How to write a template: EJS's tags, but no `with`, so a template reads its locals from one object, `it`.
//   <%= it.x %>   escaped output (& < > " ' as EJS wrote them; undefined and null print nothing)
//   <%~ include('/partials/csrf') %>, <%~ include('/orders/_status', { status: o.status }) %>
//                 unescaped output, only for include() and the layout's it.body. A partial is named by its path
//                 under views/ and gets the caller's locals with the given ones on top.
//   <% code %>    JavaScript; a name the template declares (const, loop variable, parameter) is read bare, a local never.
//   <%/* comment */%>, and /* */ inside code too: Eta reads an apostrophe after // as the start of a string (bgub/eta#337).
//   An optional local is undefined when not given: `<% if (it.hint) { %>`, `it.value ?? ''`; no `typeof`.
// render.test.ts fails on a bare name that is neither declared nor a JavaScript global.
// Why: a template compiled inside `with (locals)` runs unoptimized (the catalogue page rendered twice as slowly), and a
// bare name read a global of the same name (`crypto`, `URL`...) where the local was missing; `it.x` reads only the
// locals. Each app creates its own engine, whose compiled templates live in that engine, not in a module's global.
//
// Shared views: a page whose view is the same for everyone who may see it (the catalogue of a workshop at one version)
// is rendered once per language and key, and only its layout (her name, her form token, her messages) per request:
// `res.render(view, { shared: { key, locals } })`. The view then sees only those locals and the language's helpers
// (t, lang, money, date, dateTime), never the person's, so a cached view cannot carry one person's data to another.
// The key must name everything its locals hold (bench/catalogue.ts: the catalogue's cards cost a tenth of its CPU).
import path from 'node:path';
import { isStringOneByteRepresentation } from 'node:v8';
import { Eta } from 'eta';
/** What Eta's parser gives a plugin: the text between tags as strings, each tag as an object. */
type AstObject = ReturnType<Eta['parse']>[number];

type Callback = (err: Error | null, html?: string) => void;

// Pages are kept to Latin-1, every other character written as a numeric reference (&#8211; for "–"): one
// such character anywhere (the sandbox badge's dash, a star, a seller's emoji) makes V8 hold the whole page as a
// two-byte string, which costs twice the memory and about twice the time to encode for the socket (a two-byte
// catalogue page took 2 to 4 times as long to turn into bytes and checksum as the same page in one byte).
// Browsers read the reference as the character, in text, in attribute values and in <title> and <textarea> alike.
const HTML_CHARS = /[&<>"'\u0100-\uffff]/;
const HTML_ESCAPES = /[&<>"'\u0100-\u{10ffff}]/gu;
const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;' };
const escapeChar = (c: string) => HTML_ENTITIES[c] ?? `&#${c.codePointAt(0)};`;

/**
 * A string of Latin-1 characters, held by V8 in one byte per character. replace() on a two-byte string (a title with
 * a dash, a translation with an emoji) returns a two-byte string even when every character it kept is ASCII, and one
 * such string anywhere in a page made the whole page two-byte again: the catalogue spent a tenth of its CPU encoding
 * and copying two-byte pages (bench/catalogue.ts under perf). Only for text already free of characters beyond Latin-1.
 */
function oneByte(text: string): string {
  return isStringOneByteRepresentation(text) ? text : Buffer.from(text, 'latin1').toString('latin1');
}

/** `<%= %>`: the entities EJS writes, and beyond Latin-1 numeric references; most values need neither and are returned as they are. */
export function escapeHtml(value: unknown): string {
  if (value === undefined || value === null) return '';
  const text = String(value);
  return oneByte(HTML_CHARS.test(text) ? text.replace(HTML_ESCAPES, escapeChar) : text);
}

const BEYOND_LATIN1 = /[\u0100-\u{10ffff}]/gu;
/** A template's own text (between tags) written the same way, once when it is compiled. */
const latin1Text = {
  processAST: (ast: AstObject[]) => ast.map((part) => (typeof part === 'string' ? oneByte(part.replace(BEYOND_LATIN1, escapeChar)) : part)),
};

// With `debug`, Eta writes `__eta.line=N` before each tag's code without a semicolon, so a tag that starts with
// `[` or `(` continues that line instead of starting a statement (bgub/eta#255, open in Eta 4.6).
const endLineMarks = { processFnString: (fn: string) => fn.replace(/^__eta\.line=(\d+)$/gm, '__eta.line=$1;') };

/**
 * Eta whose include paths are resolved once per (file, include) pair: Eta resolves them on every include with a
 * JSON.stringify of its cache key and path.join (about 2% of a catalogue page). Eta documents resolvePath as the hook
 * to replace; this one only remembers Eta's own answers, and only when templates are cached.
 */
class CachingEta extends Eta {
  constructor(config: ConstructorParameters<typeof Eta>[0]) {
    super(config);
    const resolve = this.resolvePath;
    const resolved = new Map<string, Map<string, string>>();
    this.resolvePath = function (template, options) {
      const from = options?.filepath ?? '';
      let paths = resolved.get(from);
      if (!paths) resolved.set(from, (paths = new Map()));
      let found = paths.get(template);
      if (found === undefined) {
        found = resolve.call(this, template, options);
        if (this.config.cache) paths.set(template, found);
      }
      return found;
    };
  }
}

/** One Eta instance over views/. `cacheTemplates` false (development) reads and compiles a template on each render. */
export function createTemplates(viewsDir: string, cacheTemplates: boolean): Eta {
  return new CachingEta({
    views: viewsDir,
    defaultExtension: '.ejs',
    cache: cacheTemplates,
    escapeFunction: escapeHtml,
    // Text between tags stays exactly as written (Eta's default drops the newline after each tag).
    autoTrim: false,
    // An error inside a template names the file and line.
    debug: true,
    plugins: [endLineMarks, latin1Text],
  });
}

/** A view that reads only `locals` and the language's helpers, rendered once per language and key. */
export type SharedView = { key: string; locals: Record<string, unknown> };

/** What a shared view may read besides its own locals: the language and its formatters, nobody's data. */
const LANGUAGE_LOCALS = ['lang', 't', 'money', 'date', 'dateTime'] as const;
/** Shared views kept (2 languages × a catalogue's pages, searches and sorts); the oldest go first. */
export const MAX_SHARED_VIEWS = 200;

/** The Express engine: renders a view, then its layout, synchronously from compiled templates. */
export function layoutEngine(viewsDir: string, cacheTemplates: boolean, defaults: { layout?: string | false } = {}) {
  const templates = createTemplates(viewsDir, cacheTemplates);
  const names = new Map<string, string>();
  const sharedViews = new Map<string, string>();

  const renderShared = (name: string, data: Record<string, unknown>, shared: SharedView): string => {
    const key = `${name}\u0000${String(data.lang)}\u0000${shared.key}`;
    let html = cacheTemplates ? sharedViews.get(key) : undefined;
    if (html === undefined) {
      const locals: Record<string, unknown> = { ...shared.locals };
      for (const local of LANGUAGE_LOCALS) locals[local] = data[local];
      html = templates.render(name, locals);
      if (cacheTemplates) {
        // A key names its version (the catalogue's), so a changed catalogue is rendered anew; its old views are
        // never asked for again and leave first.
        if (sharedViews.size >= MAX_SHARED_VIEWS) sharedViews.delete(sharedViews.keys().next().value!);
        sharedViews.set(key, html);
      }
    }
    return html;
  };

  return (file: string, options: object, callback: Callback): void => {
    let html: string;
    try {
      // Express gives each render its own object (app.locals, res.locals and the view's locals).
      const data = options as Record<string, unknown>;
      const layoutName = data.layout ?? defaults.layout ?? 'main';
      let name = names.get(file);
      if (name === undefined) names.set(file, (name = path.relative(viewsDir, file)));
      const shared = data.shared as SharedView | undefined;
      html = shared ? renderShared(name, data, shared) : templates.render(name, data);
      if (layoutName !== false) {
        data.body = html;
        html = templates.render(`layouts/${typeof layoutName === 'string' ? layoutName : 'main'}`, data);
      }
    } catch (err) {
      return callback(err as Error);
    }
    callback(null, html);
  };
}
