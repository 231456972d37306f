// A demo buyer pays a Checkout Session the way a trainee does: on the payment sandbox's hosted
// page, over HTTP, with Stripe's test card 4242 4242 4242 4242. The sandbox then sends its
// signed webhook and the app marks the orders paid, through the same path as anyone's payment.

/** The test card that always succeeds (Stripe's public test number, never a real card). */
export const SUCCEEDING_TEST_CARD = '4242 4242 4242 4242';

/** An expiry date three years from `now`, as the form wants it: "MM/YY". */
export function futureExpiry(now = new Date()): string {
  const month = String(now.getUTCMonth() + 1).padStart(2, '0');
  return `${month}/${String((now.getUTCFullYear() + 3) % 100).padStart(2, '0')}`;
}

/** Opens the hosted page, types the test card and submits; throws unless the page sends the buyer back to the shop. */
export async function payOnHostedPage(sessionUrl: string, cardholder: string): Promise<void> {
  const page = await fetch(sessionUrl, { redirect: 'manual', signal: AbortSignal.timeout(15_000) });
  const html = await page.text();
  const csrf = /name="_csrf" value="([^"]+)"/.exec(html)?.[1];
  if (page.status !== 200 || !csrf) throw new Error(`hosted page ${sessionUrl} answered ${page.status} without a card form`);
  const paid = await fetch(sessionUrl, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ _csrf: csrf, cardNumber: SUCCEEDING_TEST_CARD, expiry: futureExpiry(), cvc: '123', name: cardholder }),
    signal: AbortSignal.timeout(15_000),
  });
  await paid.text();
  if (paid.status !== 303) throw new Error(`hosted page refused the test card: ${paid.status}`);
}
