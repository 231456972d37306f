// "Dasbor pembayaran": the tutor's and organizer's way into the payment sandbox's dashboard. The
// sandbox has no accounts; the app checks the role here and hands out a link with a signed token
// that expires in two minutes and opens the dashboard once (src/lib/staff-token.ts).
import { config } from '../../config.js';
import { NotFoundError } from '../../errors.js';
import { issueStaffToken } from '../../lib/staff-token.js';
import { assertRole, type WorkshopCtx } from '../workshops/workshops.service.js';

/** The sandbox's sign-in URL for this staff member; `sandboxOrigin` is where her browser reaches the sandbox. */
export function paymentsDashboardLink(ctx: WorkshopCtx, staffName: string, sandboxOrigin: string): string {
  assertRole(ctx, 'tutor', 'organizer');
  // Against Stripe itself there is no sandbox dashboard: Stripe's own dashboard is the place.
  if (!config.paymentSandbox.enabled) throw new NotFoundError('No payment sandbox runs: PAYMENT_SANDBOX=off');
  const token = issueStaffToken(
    config.stripe.secretKey,
    { sub: ctx.userId, name: staffName, role: ctx.role, workshopId: ctx.workshopId },
    Date.now(),
  );
  return `${sandboxOrigin}/dashboard/enter?token=${encodeURIComponent(token)}`;
}
