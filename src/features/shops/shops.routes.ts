import { Router, type Response } from 'express';
import { setFlash } from '../../http/flash.js';
import { idFrom, idParam } from '../../http/params.js';
import { imageFormHandler, imageUpload } from '../../http/uploads.js';
import { requireWorkshopRole } from '../workshops/workshop-context.js';
import { shopSchema } from './shops.schemas.js';
import { findMyShop, getMyShopDashboard, getShopPage, logoSizes, openShop, updateMyShop } from './shops.service.js';

/** The trainee's own shop, mounted at /shop in a workshop. */
export const myShopRouter = Router();
const router = myShopRouter;

/** Every shop's public page, mounted at /shops in a workshop. */
export const shopPagesRouter = Router();
shopPagesRouter.param('shopId', idParam);
const traineeOnly = requireWorkshopRole('trainee');
const myShop = (res: Response) => `/workshops/${res.locals.ctx.workshopId}/shop`;

type ImageFormOptions = Parameters<typeof imageFormHandler<typeof shopSchema>>[0];

/** The shop form's POST (open or edit): one logo, shopSchema; a failure re-renders shops/form. */
const shopForm = (locals: ImageFormOptions['locals'], handle: ImageFormOptions['handle']) => [
  imageUpload('logo', 1),
  imageFormHandler({ schema: shopSchema, view: 'shops/form', field: 'logo', sizes: logoSizes, locals, handle }),
];

router.get('/', async (_req, res) => {
  const dashboard = await getMyShopDashboard(res.locals.ctx);
  res.render('shops/mine', { dashboard });
});

router.get('/new', traineeOnly, async (req, res) => {
  const shop = await findMyShop(res.locals.ctx);
  if (shop) return res.redirect(303, myShop(res));
  res.render('shops/form', { mode: 'new', values: { city: res.locals.ctx.workshop.city }, errors: {} });
});

router.post(
  '/new',
  traineeOnly,
  shopForm(
    () => ({ mode: 'new' }),
    async (data, images, req, res) => {
      await openShop(res.locals.ctx, data, images[0] ?? null);
      setFlash(req, 'success', 'shops:opened', { name: data.name });
      res.redirect(303, myShop(res));
    },
  ),
);

router.get('/edit', async (_req, res) => {
  const shop = await findMyShop(res.locals.ctx);
  if (!shop) return res.redirect(303, myShop(res));
  res.render('shops/form', { mode: 'edit', shop, values: shop, errors: {} });
});

router.post(
  '/edit',
  shopForm(
    async (_req, res) => ({ mode: 'edit', shop: await findMyShop(res.locals.ctx) }),
    async (data, images, req, res) => {
      await updateMyShop(res.locals.ctx, data, images[0] ?? null);
      setFlash(req, 'success', 'shops:saved');
      res.redirect(303, myShop(res));
    },
  ),
);

shopPagesRouter.get('/:shopId', async (req, res) => {
  const page = await getShopPage(res.locals.ctx, idFrom(req, 'shopId'));
  res.render('shops/show', page);
});
