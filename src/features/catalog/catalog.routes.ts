import { Router } from 'express';
import { idFrom, idParam } from '../../http/params.js';
import type { SharedView } from '../../http/render.js';
import { categories } from '../listings/categories.js';
import { blockedUserIds } from '../safety/safety.service.js';
import { catalogQuerySchema, sorts } from './catalog.schemas.js';
import { getProduct, searchCatalog } from './catalog.service.js';

/** Mounted at /catalog in a workshop. */
export const catalogRouter = Router();
catalogRouter.param('listingId', idParam);

catalogRouter.get('/', async (req, res) => {
  const query = catalogQuerySchema.parse(req.query);
  const { ctx } = res.locals;
  if (res.locals.blocksSomeone) {
    // Hers alone: without the listings of the people she blocked.
    const result = await searchCatalog(ctx, query, await blockedUserIds(ctx.workshopId, ctx.userId));
    res.render('catalog/index', { workshopId: ctx.workshopId, query, ...result, categories, sorts });
    return;
  }
  const result = await searchCatalog(ctx, query);
  // The same for every member at this catalogue version: rendered once per language (src/http/render.ts).
  const shared: SharedView = {
    key: JSON.stringify([ctx.workshopId, ctx.catalogVersion, query]),
    locals: { workshopId: ctx.workshopId, query, ...result, categories, sorts },
  };
  res.render('catalog/index', { shared });
});

catalogRouter.get('/:listingId', async (req, res) => {
  const product = await getProduct(res.locals.ctx, idFrom(req, 'listingId'));
  res.render('catalog/show', product);
});
