import type { Response } from 'express';
import QRCode from 'qrcode';

/**
 * Answers with a QR code (SVG) of `text`, for a phone's camera. `no-store` when it holds
 * something that must not linger in a cache (a payment reference), `no-cache` otherwise.
 */
export async function sendQrCode(res: Response, text: string, cache: 'no-cache' | 'no-store'): Promise<void> {
  const svg = await QRCode.toString(text, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' });
  res.type('image/svg+xml').set('Cache-Control', `private, ${cache}`).send(svg);
}

/** A QR code of `text` as an SVG data: URL, for pages that print many of them (login slips). */
export async function qrDataUrl(text: string): Promise<string> {
  const svg = await QRCode.toString(text, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
  return `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
}
