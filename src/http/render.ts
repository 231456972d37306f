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

function compile(filename: string): Template {
  const source = fs.readFileSync(filename, 'utf8').replace(/^\uFEFF/, '');
  return ejs.compile(source, { filename, cache: true, _with: false, localsName: 'locals', destructuredLocals: localNames(source) }) as Template;
}

// Replaces EJS's cache (its documented extension point): whoever asks for a template, a view,
// a layout or an include, gets it compiled from its own source. `keep` is false in development,
// where an edited template shows on the next request.
function installTemplateCache(keep: boolean): void {
  const templates = new Map<string, Template>();
  ejs.cache = {
    get: (filename: string) => {
      let template = templates.get(filename);
      if (!template) {
        template = compile(filename);
        if (keep) templates.set(filename, template);
      }
      return template;
    },
    set: () => {},
    remove: (filename: string) => void templates.delete(filename),
    reset: () => templates.clear(),
  } as typeof ejs.cache;
}

export function layoutEngine(viewsDir: string, cacheTemplates: boolean, defaults: { layout?: string | false } = {}) {
  installTemplateCache(cacheTemplates);
  const ejsOptions = { cache: true, root: viewsDir, views: [viewsDir] };
  return (file: string, options: object, callback: Callback): void => {
    const data = options as Record<string, unknown>;
    const layoutName = data.layout ?? defaults.layout ?? 'main';
    ejs
      .renderFile(file, data, ejsOptions)
      .then((body) => {
        if (layoutName === false) return body;
        const layout = path.join(viewsDir, 'layouts', `${typeof layoutName === 'string' ? layoutName : 'main'}.ejs`);
        return ejs.renderFile(layout, { ...data, body }, ejsOptions);
      })
      .then((html) => callback(null, html))
      .catch((err: Error) => callback(err));
  };
}
