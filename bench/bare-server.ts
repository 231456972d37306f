// The yardstick of bench/catalogue.ts: a bare Express + EJS route that renders, from memory, an
// HTML page of 24 product cards padded to the byte size of the real catalogue page. No session,
// no database: what the catalogue costs beyond this is the app's own work.
import express from 'express';
import ejs from 'ejs';

const port = Number(process.env.BARE_PORT);
const targetBytes = Number(process.env.TARGET_BYTES);

const template = ejs.compile(
  `<!doctype html><html lang="id"><head><meta charset="utf-8"><title>Katalog</title><link rel="stylesheet" href="/static/css/app.css"></head>
<body><main><h1>Katalog</h1><ul class="product-grid">
<% for (const c of cards) { %><li class="product-card"><a href="/p/<%= c.id %>"><img src="/uploads/listings/<%= c.thumb %>" alt="" width="400" height="400"><span class="product-title"><%= c.title %></span><span class="price"><%= c.price %></span><span class="product-meta"><%= c.shop %></span><span class="product-meta"><%= c.city %></span></a></li>
<% } %></ul><!-- <%= padding %> --></main></body></html>`,
);

const cards = Array.from({ length: 24 }, (_, i) => ({
  id: i + 1,
  thumb: `${(i * 7919).toString(16).padStart(32, '0')}-t.webp`,
  title: `Kopi Arabika Kintamani Biji Sangrai 250 g nomor ${i + 1}`,
  price: `Rp ${(95_000 + i * 1000).toLocaleString('id-ID')}`,
  shop: 'Kopi Kintamani Pak Nyoman',
  city: 'Bangli',
}));
const unpadded = template({ cards, padding: '' }).length;
const padding = 'x'.repeat(Math.max(0, targetBytes - unpadded));

const app = express();
app.disable('x-powered-by');
app.get('/healthz', (_req, res) => res.send('ok'));
app.get('/catalog', (_req, res) => {
  res.type('html').send(template({ cards, padding }));
});
app.listen(port, '127.0.0.1');
