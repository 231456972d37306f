// Reads the routes an app answers from Express's own router stack (what really runs, not a list
// kept beside it): method and full path of each, in the order Express tries them.
import type { Express } from 'express';

type Layer = {
  rawPath?: unknown;
  route?: { path: string; methods: Record<string, boolean> };
  handle: { stack?: Layer[] };
};

export type Route = { method: string; path: string };

function join(prefix: string, path: string): string {
  if (path === '/') return prefix || '/';
  return prefix + path;
}

function routesOf(stack: Layer[], prefix: string): Route[] {
  return stack.flatMap((layer) => {
    if (layer.route) {
      const path = join(prefix, layer.route.path);
      return Object.keys(layer.route.methods).map((method) => ({ method: method.toUpperCase(), path }));
    }
    if (layer.handle.stack) {
      const mount = typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : '';
      return routesOf(layer.handle.stack, prefix + mount);
    }
    return [];
  });
}

/** Every route of the app as `{ method: 'GET', path: '/workshops/:workshopId/catalog' }`. */
export function listRoutes(app: Express): Route[] {
  return routesOf((app as unknown as { router: { stack: Layer[] } }).router.stack, '');
}
