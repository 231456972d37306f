// EJS with one layout: res.render('shops/new', locals) renders the view, then wraps it in
// views/layouts/main.ejs (or `layout: 'other'`, or `layout: false` for a bare fragment).
//
// Templates are compiled without EJS's default `with (locals) { ... }`: a function containing
// `with` runs unoptimized, which made rendering the catalogue page twice as slow. Instead each
// template starts by declaring the locals it reads (localNames() below), so `<%= title %>` stays
// what views write. The compiled templates live in EJS's own cache, which includes consult too,
// so a partial gets its own declarations rather than its parent's. One rule follows: a local must
// not be named like a global (`crypto`, `performance`, `URL`...), which the template would read instead.
import fs from 'node:fs';
import path from 'node:path';
import ejs from 'ejs';

type Callback = (err: Error | null, html?: string) => void;
type Template = (data: object) => string;

// Words a template's code may contain that are not locals: JavaScript's own words and EJS's
// names inside the compiled function. Globals (Number, encodeURIComponent...) are left out too.
const notLocals = new Set(
  (
    'break case catch class const continue debugger default delete do else export extends false finally for function if ' +
    'import in instanceof new null return super switch this throw true try typeof var void while with yield let static ' +
    'await async of arguments eval undefined NaN Infinity locals include escapeFn rethrow __output __append __line __lines __filename __locals'
  ).split(' '),
);

/** The names a template reads from its locals: identifiers in its code, minus JavaScript's words, globals and names it declares. */
export function localNames(source: string): string[] {
  const code = [...source.matchAll(/<%(?![%#])[_=-]?([\s\S]*?)[_-]?%>/g)]
    .map((match) => match[1]!)
    .join(';\n')
    .replace(/'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"/g, "''") // words inside quotes are text
    .replace(/\.\.\./g, ' ') // a spread reads a variable; any other dot reads a property
    .replace(/\$\{/g, ' ');
  const declared = new Set<string>();
  for (const [, names] of code.matchAll(/\b(?:const|let|var)\s+([A-Za-z_$][\w$]*|\{[^}]*\}|\[[^\]]*\])/g)) {
    for (const [name] of names!.matchAll(/[A-Za-z_$][\w$]*/g)) declared.add(name);
  }
  for (const [, name] of code.matchAll(/\bfunction\s+([A-Za-z_$][\w$]*)/g)) declared.add(name!);
  const names = new Set<string>();
  for (const [name] of code.matchAll(/(?<![\w$.])[A-Za-z_$][\w$]*/g)) {
    if (!notLocals.has(name) && !declared.has(name) && !(name in globalThis)) names.add(name);
  }
  return [...names].sort();
}

const HTML_CHARS = /[&<>"']/;
const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&#34;', "'": '&#39;' };

/** `<%= %>`: the entities EJS writes; most values contain none and are returned as they are. */
export function escapeHtml(value: unknown): string {
  if (value === undefined || value === null) return '';
  const text = String(value);
  return HTML_CHARS.test(text) ? text.replace(/[&<>"']/g, (c) => HTML_ENTITIES[c]!) : text;
}

function compile(filename: string, viewsDir: string): Template {
  const source = fs.readFileSync(filename, 'utf8').replace(/^\uFEFF/, '');
  const options: ejs.Options & { unsafePrototypeLocals: boolean } = {
    filename,
    // Views include each other by their path under views/, `include('/partials/csrf')`: a path
    // from the root is taken as it is, where a relative one makes EJS look for the file on every render.
    root: viewsDir,
    cache: true,
    _with: false,
    localsName: 'locals',
    destructuredLocals: localNames(source),
    escape: escapeHtml,
    // Without it EJS copies every local into a new object for each template it renders; Express
    // already gives each render its own object, and a template only reads its locals.
    unsafePrototypeLocals: true, // EJS 7 reads it; its types do not list it
  };
  return ejs.compile(source, options) as Template;
}

// Replaces EJS's cache (its documented extension point), which include() reads: whoever asks for
// a template gets it compiled from its own source. `keep` is false in development, where an edited
// template shows on the next request. Returns the lookup, which the engine uses for views and layouts.
function installTemplateCache(viewsDir: string, keep: boolean): (filename: string) => Template {
  const templates = new Map<string, Template>();
  const get = (filename: string) => {
    let template = templates.get(filename);
    if (!template) {
      template = compile(filename, viewsDir);
      if (keep) templates.set(filename, template);
    }
    return template;
  };
  ejs.cache = {
    get,
    set: () => {},
    remove: (filename: string) => void templates.delete(filename),
    reset: () => templates.clear(),
  } as typeof ejs.cache;
  return get;
}

export function layoutEngine(viewsDir: string, cacheTemplates: boolean, defaults: { layout?: string | false } = {}) {
  const template = installTemplateCache(viewsDir, cacheTemplates);
  // Rendered synchronously from the compiled functions: ejs.renderFile copies its options and
  // locals on every call and answers through a promise.
  return (file: string, options: object, callback: Callback): void => {
    let html: string;
    try {
      // Express gives each render its own object (app.locals, res.locals and the view's locals).
      const data = options as Record<string, unknown>;
      const layoutName = data.layout ?? defaults.layout ?? 'main';
      html = template(file)(data);
      if (layoutName !== false) {
        data.body = html;
        html = template(path.join(viewsDir, 'layouts', `${typeof layoutName === 'string' ? layoutName : 'main'}.ejs`))(data);
      }
    } catch (err) {
      return callback(err as Error);
    }
    callback(null, html);
  };
}
