// The payment sandbox hands out hosted-page URLs built from the address the app used to reach it
// (usually 127.0.0.1), or from PAYMENT_SANDBOX_PUBLIC_URL. A trainee's phone reached the app
// through the room's address, so the app points the URL at that same host before redirecting.

/**
 * Keeps the sandbox's protocol, port and path and puts the trainee's hostname in front:
 * `traineeHostname` is the hostname the trainee's browser used for the app (requestHostname,
 * e.g. `192.168.1.20`).
 */
export function rebaseHostedUrl(sessionUrl: string, traineeHostname: string): string {
  const url = new URL(sessionUrl);
  url.hostname = traineeHostname;
  return url.toString();
}
