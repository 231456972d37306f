// EJS with one layout: res.render('shops/new', locals) renders the view, then wraps it in
// views/layouts/main.ejs (or `layout: 'other'`, or `layout: false` for a bare fragment).
import path from 'node:path';
import ejs from 'ejs';

type Callback = (err: Error | null, html?: string) => void;

export function layoutEngine(viewsDir: string, cacheTemplates: boolean) {
  return (file: string, options: object, callback: Callback): void => {
    const data = options as Record<string, unknown>;
    const ejsOptions = { cache: cacheTemplates, root: viewsDir, views: [viewsDir] };
    ejs
      .renderFile(file, data, ejsOptions)
      .then((body) => {
        if (data.layout === false) return body;
        const layout = path.join(viewsDir, 'layouts', `${typeof data.layout === 'string' ? data.layout : 'main'}.ejs`);
        return ejs.renderFile(layout, { ...data, body }, ejsOptions);
      })
      .then((html) => callback(null, html))
      .catch((err: Error) => callback(err));
  };
}
