// The sandbox hands out hosted-page URLs built from the address the app used to reach it
// (usually 127.0.0.1), or from PAYMENT_SANDBOX_PUBLIC_URL. A trainee's phone reached the app
// through the room's address, so the app points the URL at that same host before redirecting.

/**
 * Keeps the sandbox's protocol, port and path and puts the trainee's hostname in front.
 * `traineeHost` is the Host the trainee's browser sent to the app (`req.get('host')`,
 * e.g. `192.168.1.20:3000`); its port is the app's, so it is dropped.
 */
export function rebaseHostedUrl(sessionUrl: string, traineeHost: string): string {
  const url = new URL(sessionUrl);
  const hostname = new URL(`http://${traineeHost}`).hostname;
  url.hostname = hostname;
  return url.toString();
}
