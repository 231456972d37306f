// Webhook endpoints registered through the API (`stripe.webhookEndpoints.*`), beside the app's
// configured one: each has its own `whsec_` secret, returned only by create as Stripe does, and
// receives the events its enabled_events name ("*": all). Deleting one stops its deliveries.
import type Stripe from 'stripe';
import { invalidRequest, resourceMissing } from './errors.js';
import { newId, newWebhookSecret } from './ids.js';
import { seconds, type Ledger } from './ledger.js';
import type { CreateWebhookEndpointParams, UpdateWebhookEndpointParams } from './schemas.js';

/** Stripe's limit of endpoints per account in test mode. */
const MAX_ENDPOINTS = 16;

async function mustGetEndpoint(ledger: Ledger, id: string): Promise<Stripe.WebhookEndpoint> {
  const endpoint = await ledger.store.get<Stripe.WebhookEndpoint>('webhook_endpoint', id);
  if (!endpoint) throw resourceMissing('webhook_endpoint', id, 'id');
  return endpoint;
}

function mergedMetadata(current: Stripe.Metadata, change: Record<string, string> | '' | undefined): Stripe.Metadata {
  if (change === undefined) return current;
  if (change === '') return {};
  return Object.fromEntries(Object.entries({ ...current, ...change }).filter(([, value]) => value !== ''));
}

export async function createWebhookEndpoint(ledger: Ledger, params: CreateWebhookEndpointParams): Promise<Stripe.WebhookEndpoint> {
  if (
    (await ledger.store.list('webhook_endpoint', { where: [], created: {}, limit: MAX_ENDPOINTS, startingAfter: null, endingBefore: null }))
      .hasMore
  ) {
    throw invalidRequest(`You have reached the maximum of ${MAX_ENDPOINTS} test webhook endpoints.`, 'url');
  }
  const endpoint: Stripe.WebhookEndpoint = {
    id: newId('we'),
    object: 'webhook_endpoint',
    api_version: params.api_version ?? null,
    application: null,
    created: seconds(ledger),
    description: params.description || null,
    enabled_events: [...new Set(params.enabled_events)],
    livemode: false,
    metadata: mergedMetadata({}, params.metadata),
    status: 'enabled',
    url: params.url,
  };
  await ledger.store.insert('webhook_endpoint', endpoint);
  const secret = newWebhookSecret();
  await ledger.store.putEndpointSecret(endpoint.id, secret);
  return { ...endpoint, secret };
}

export async function retrieveWebhookEndpoint(ledger: Ledger, id: string): Promise<Stripe.WebhookEndpoint> {
  return await mustGetEndpoint(ledger, id);
}

export async function updateWebhookEndpoint(
  ledger: Ledger,
  id: string,
  params: UpdateWebhookEndpointParams,
): Promise<Stripe.WebhookEndpoint> {
  const endpoint = await mustGetEndpoint(ledger, id);
  if (params.url !== undefined) endpoint.url = params.url;
  if (params.enabled_events !== undefined) endpoint.enabled_events = [...new Set(params.enabled_events)];
  if (params.description !== undefined) endpoint.description = params.description || null;
  if (params.disabled !== undefined) endpoint.status = params.disabled ? 'disabled' : 'enabled';
  endpoint.metadata = mergedMetadata(endpoint.metadata, params.metadata);
  return await ledger.store.update('webhook_endpoint', endpoint);
}

/** Stripe answers a deletion with the id and `deleted: true`; what was still to be sent to it is not sent. */
export async function deleteWebhookEndpoint(ledger: Ledger, id: string): Promise<Stripe.DeletedWebhookEndpoint> {
  await mustGetEndpoint(ledger, id);
  await ledger.store.remove('webhook_endpoint', id);
  await ledger.store.deleteEndpointSecret(id);
  await ledger.store.cancelDeliveriesTo(id, 'endpoint deleted');
  return { id, object: 'webhook_endpoint', deleted: true };
}
