// Feature routers beyond the foundation. Workshop-scoped features register their routes on
// workshopRouter (src/features/workshops/workshop-context.ts) when imported here; features
// with top-level routes (a webhook, an anonymous link) export a Router and list it below.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Router } from 'express';
import { anonymousRouter } from './questionnaires/anonymous.routes.js';
import './questionnaires/questionnaires.routes.js';
import './shops/shops.routes.js';
import './listings/listings.routes.js';
import './catalog/catalog.routes.js';
import './evaluation/evaluation.routes.js';
import './sandbox/reset.routes.js';
import './cart/cart.routes.js';
import './checkout/checkout.routes.js';
import './orders/orders.routes.js';
import './reviews/reviews.routes.js';
import './progress/progress.routes.js';
import { paymentFormAction, webhookRouter } from './payments/payments.routes.js';

export const routeModules: Router[] = [anonymousRouter, webhookRouter];

/** Origins that forms may redirect to (the payment page), added by the payments feature. */
export const extraFormActionSources: (string | ((req: IncomingMessage, res: ServerResponse) => string))[] = [paymentFormAction];
