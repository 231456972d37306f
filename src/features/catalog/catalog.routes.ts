import { Router } from 'express';
import { idFrom, idParam } from '../../http/params.js';
import { categories } from '../listings/categories.js';
import { catalogQuerySchema, sorts } from './catalog.schemas.js';
import { getProduct, searchCatalog } from './catalog.service.js';

/** Mounted at /catalog in a workshop. */
export const catalogRouter = Router();
catalogRouter.param('listingId', idParam);

catalogRouter.get('/', async (req, res) => {
  const query = catalogQuerySchema.parse(req.query);
  const result = await searchCatalog(res.locals.ctx, query);
  res.render('catalog/index', { query, ...result, categories, sorts });
});

catalogRouter.get('/:listingId', async (req, res) => {
  const product = await getProduct(res.locals.ctx, idFrom(req, 'listingId'));
  res.render('catalog/show', product);
});
