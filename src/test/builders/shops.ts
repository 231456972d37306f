import { prisma } from '../../db.js';
import type { Category, Condition } from '../../features/listings/categories.js';
import { listingSearchText } from '../../features/listings/listings.service.js';
import { idOf, type Ref } from './ref.js';
import { unique } from './unique.js';

// Shops and listings are written straight to the database: their own features test the forms
// and services that make them; everyone else only needs them to exist.

/** The owner's shop in the workshop (a trainee's practice shop unless `isDemo`), with a unique name. */
export async function makeShop(options: {
  workshop: Ref;
  owner: Ref;
  name?: string;
  city?: string;
  description?: string;
  isDemo?: boolean;
}) {
  return prisma.shop.create({
    data: {
      workshopId: idOf(options.workshop),
      ownerId: idOf(options.owner),
      name: options.name ?? unique('Toko '),
      city: options.city ?? 'Denpasar',
      description: options.description ?? 'Toko latihan',
      isDemo: options.isDemo ?? false,
    },
  });
}

/** A listing of the shop: a 400 g piece of woven cloth at Rp 150.000, 10 in stock, unless told otherwise. */
export async function makeListing(options: {
  shop: { id: number; workshopId: number };
  title?: string;
  description?: string;
  price?: number;
  stock?: number;
  weightGrams?: number;
  minOrder?: number;
  condition?: Condition;
  category?: Category;
  hidden?: boolean;
  deletedAt?: Date | null;
}) {
  const { shop, ...fields } = options;
  const title = fields.title ?? unique('Kain Endek Bali ');
  const description = fields.description ?? 'Kain endek tenun tangan dari Gianyar, panjang 2 meter, lebar 110 cm, pewarna alami.';
  return prisma.listing.create({
    data: {
      workshopId: shop.workshopId,
      shopId: shop.id,
      title,
      description,
      searchText: listingSearchText(title, description),
      price: fields.price ?? 150_000,
      stock: fields.stock ?? 10,
      weightGrams: fields.weightGrams ?? 400,
      minOrder: fields.minOrder ?? 1,
      condition: fields.condition ?? 'new',
      category: fields.category ?? 'kain-tenun',
      hidden: fields.hidden ?? false,
      deletedAt: fields.deletedAt ?? null,
    },
  });
}
