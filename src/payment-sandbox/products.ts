// Minimal Products and Prices: a one-time Price of a Product, usable as `line_items[][price]` in a
// Checkout Session, as a developer who keeps a catalogue at Stripe does.
import type Stripe from 'stripe';
import { invalidRequest, resourceMissing } from './errors.js';
import { newId } from './ids.js';
import { seconds, type Ledger } from './ledger.js';
import { SEN_PER_RUPIAH, supportedCurrency, type CreatePriceParams, type CreateProductParams } from './schemas.js';

/** 404 for the object of the URL; 400 for one a parameter names, as Stripe answers. */
function missing(objectName: string, id: string, param: string) {
  return param === 'id' ? resourceMissing(objectName, id) : invalidRequest(`No such ${objectName}: '${id}'`, param, 'resource_missing');
}

export async function createProduct(ledger: Ledger, params: CreateProductParams): Promise<Stripe.Product> {
  const now = seconds(ledger);
  const product: Stripe.Product = {
    id: newId('prod'),
    object: 'product',
    active: params.active ?? true,
    created: now,
    default_price: null,
    description: params.description ?? null,
    images: [],
    livemode: false,
    marketing_features: [],
    metadata: params.metadata ?? {},
    name: params.name,
    package_dimensions: null,
    shippable: null,
    statement_descriptor: null,
    tax_code: null,
    tax_details: null,
    type: 'service',
    unit_label: null,
    updated: now,
    url: null,
  };
  return await ledger.store.insert('product', product);
}

export async function retrieveProduct(ledger: Ledger, id: string, param = 'id'): Promise<Stripe.Product> {
  const product = await ledger.store.get<Stripe.Product>('product', id);
  if (!product) throw missing('product', id, param);
  return product;
}

export async function createPrice(ledger: Ledger, params: CreatePriceParams): Promise<Stripe.Price> {
  if (params.currency !== supportedCurrency) {
    throw invalidRequest(`The PasarLatih sandbox only supports currency '${supportedCurrency}'.`, 'currency');
  }
  if (params.unit_amount % SEN_PER_RUPIAH !== 0) {
    throw invalidRequest(
      `IDR amounts are in sen (1/100 rupiah) and PasarLatih prices are whole rupiah: unit_amount must be a multiple of ${SEN_PER_RUPIAH}.`,
      'unit_amount',
      'invalid_charge_amount',
    );
  }
  if ((params.product === undefined) === (params.product_data === undefined)) {
    throw invalidRequest('You must specify exactly one of product or product_data.', 'product', 'parameters_exclusive');
  }
  const product =
    params.product === undefined
      ? await createProduct(ledger, {
          name: params.product_data!.name,
          ...(params.product_data!.metadata ? { metadata: params.product_data!.metadata } : {}),
        })
      : await retrieveProduct(ledger, params.product, 'product');
  const price: Stripe.Price = {
    id: newId('price'),
    object: 'price',
    active: params.active ?? true,
    billing_scheme: 'per_unit',
    created: seconds(ledger),
    currency: params.currency,
    custom_unit_amount: null,
    livemode: false,
    lookup_key: null,
    metadata: params.metadata ?? {},
    nickname: params.nickname ?? null,
    product: product.id,
    recurring: null,
    tax_behavior: 'unspecified',
    tiers_mode: null,
    transform_quantity: null,
    type: 'one_time',
    unit_amount: params.unit_amount,
    // A string on the wire; the SDK turns it into its Decimal type when it reads the response.
    unit_amount_decimal: String(params.unit_amount) as unknown as Stripe.Price['unit_amount_decimal'],
  };
  return await ledger.store.insert('price', price);
}

export async function retrievePrice(ledger: Ledger, id: string, param = 'id'): Promise<Stripe.Price> {
  const price = await ledger.store.get<Stripe.Price>('price', id);
  if (!price) throw missing('price', id, param);
  return price;
}
