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

function mustGetEndpoint(ledger: Ledger, id: string): Stripe.WebhookEndpoint {
  const endpoint = ledger.store.get<Stripe.WebhookEndpoint>('webhook_endpoint', id);
  if (!endpoint) throw resourceMissing('webhook_endpoint', id, 'id');
  return endpoint;
}

function mergedMetadata(current: Stripe.Metadata, change: Record<string, string> | '' | undefined): Stripe.Metadata {
  if (change === undefined) return current;
  if (change === '') return {};
  return Object.fromEntries(Object.entries({ ...current, ...change }).filter(([, value]) => value !== ''));
}

export function createWebhookEndpoint(ledger: Ledger, params: CreateWebhookEndpointParams): Stripe.WebhookEndpoint {
  if (
    ledger.store.list('webhook_endpoint', { where: [], created: {}, limit: MAX_ENDPOINTS, startingAfter: null, endingBefore: null }).hasMore
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
  ledger.store.insert('webhook_endpoint', endpoint);
  const secret = newWebhookSecret();
  ledger.store.putEndpointSecret(endpoint.id, secret);
  return { ...endpoint, secret };
}

export function retrieveWebhookEndpoint(ledger: Ledger, id: string): Stripe.WebhookEndpoint {
  return mustGetEndpoint(ledger, id);
}

export function updateWebhookEndpoint(ledger: Ledger, id: string, params: UpdateWebhookEndpointParams): Stripe.WebhookEndpoint {
  const endpoint = mustGetEndpoint(ledger, id);
  if (params.url !== undefined) endpoint.url = params.url;
  if (params.enabled_events !== undefined) endpoint.enabled_events = [...new Set(params.enabled_events)];
  if (params.description !== undefined) endpoint.description = params.description || null;
  if (params.disabled !== undefined) endpoint.status = params.disabled ? 'disabled' : 'enabled';
  endpoint.metadata = mergedMetadata(endpoint.metadata, params.metadata);
  return ledger.store.update('webhook_endpoint', endpoint);
}

/** Stripe answers a deletion with the id and `deleted: true`; what was still to be sent to it is not sent. */
export function deleteWebhookEndpoint(ledger: Ledger, id: string): Stripe.DeletedWebhookEndpoint {
  mustGetEndpoint(ledger, id);
  ledger.store.remove('webhook_endpoint', id);
  ledger.store.deleteEndpointSecret(id);
  ledger.store.cancelDeliveriesTo(id, 'endpoint deleted');
  return { id, object: 'webhook_endpoint', deleted: true };
}
