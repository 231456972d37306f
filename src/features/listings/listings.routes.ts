import { Router } from 'express';
import { z } from 'zod';
import { formatRupiah } from '../../lib/money.js';
import { setFlash } from '../../http/flash.js';
import { idFrom, idParam } from '../../http/params.js';
import { parseOrThrow } from '../../http/validation.js';
import { imageFormHandler, imageUpload } from '../../http/uploads.js';
import { requireWorkshopRole } from '../workshops/workshop-context.js';
import { categories, conditions } from './categories.js';
import { listingSchema } from './listings.schemas.js';
import {
  createListing,
  deleteListing,
  getListingForEdit,
  MAX_LISTING_PHOTOS,
  photoSizes,
  setListingHidden,
  updateListing,
} from './listings.service.js';
import { coachListing } from './coach.js';

/** The seller's listings, mounted at /shop/listings in a workshop (trainees only). */
export const listingsRouter = Router();
const router = listingsRouter;
router.param('listingId', idParam);
router.use(requireWorkshopRole('trainee'));

const formOptions = { categories, conditions, maxPhotos: MAX_LISTING_PHOTOS };
const emptyDraft = {
  title: '',
  description: '',
  price: '',
  stock: '1',
  weightGrams: '',
  minOrder: '1',
  condition: 'new',
  category: 'lainnya',
};
const myShop = (workshopId: number) => `/workshops/${workshopId}/shop`;

type ImageFormOptions = Parameters<typeof imageFormHandler<typeof listingSchema>>[0];

/** The listing form's POST (new or edit): up to five photos, listingSchema; a failure re-renders listings/form. */
const listingForm = (locals: ImageFormOptions['locals'], handle: ImageFormOptions['handle']) => [
  imageUpload('photos', MAX_LISTING_PHOTOS),
  imageFormHandler({ schema: listingSchema, view: 'listings/form', field: 'photos', sizes: photoSizes, locals, handle }),
];

router.get('/new', (_req, res) => {
  res.render('listings/form', { ...formOptions, mode: 'new', listing: null, hints: [], values: emptyDraft, errors: {} });
});

router.post(
  '/new',
  listingForm(
    () => ({ ...formOptions, mode: 'new', listing: null, hints: [] }),
    async (data, images, req, res) => {
      const id = await createListing(res.locals.ctx, data, images);
      const hints = coachListing({ ...data, photoCount: images.length });
      setFlash(req, 'success', hints.length ? 'listings:createdWithHints' : 'listings:created', { title: data.title });
      res.redirect(303, hints.length ? `${myShop(res.locals.ctx.workshopId)}/listings/${id}/edit` : myShop(res.locals.ctx.workshopId));
    },
  ),
);

router.get('/:listingId/edit', async (req, res) => {
  const { listing, hints } = await getListingForEdit(res.locals.ctx, idFrom(req, 'listingId'));
  const values = { ...listing, price: formatRupiah(listing.price).replace(/^Rp /, '') };
  res.render('listings/form', { ...formOptions, mode: 'edit', listing, hints, values, errors: {} });
});

router.post(
  '/:listingId/edit',
  listingForm(
    async (req, res) => ({ ...formOptions, mode: 'edit', ...(await getListingForEdit(res.locals.ctx, idFrom(req, 'listingId'))) }),
    async (data, images, req, res) => {
      await updateListing(res.locals.ctx, idFrom(req, 'listingId'), data, images);
      setFlash(req, 'success', 'listings:saved', { title: data.title });
      res.redirect(303, `${myShop(res.locals.ctx.workshopId)}/listings/${req.params.listingId}/edit`);
    },
  ),
);

const visibilitySchema = z.object({ hidden: z.enum(['1', '0']) });

router.post('/:listingId/visibility', async (req, res) => {
  const { hidden } = parseOrThrow(visibilitySchema, req.body);
  await setListingHidden(res.locals.ctx, idFrom(req, 'listingId'), hidden === '1');
  setFlash(req, 'success', hidden === '1' ? 'listings:hiddenDone' : 'listings:shownDone');
  res.redirect(303, myShop(res.locals.ctx.workshopId));
});

router.post('/:listingId/delete', async (req, res) => {
  await deleteListing(res.locals.ctx, idFrom(req, 'listingId'));
  setFlash(req, 'success', 'listings:deleted');
  res.redirect(303, myShop(res.locals.ctx.workshopId));
});
