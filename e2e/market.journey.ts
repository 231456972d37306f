// The names of e2e/market.spec.ts's own workshop, shared with its seed (e2e/market.seed.ts).
// Imports nothing, so the browser test does not load the app.
export const marketJourney = {
  workshop: 'Pelatihan Pasar Menjawab Gianyar',
  tutor: { username: 'pasar.tutor', displayName: 'Pak Gede (Fasilitator)' },
  trainee: { username: 'pasar.wulan', displayName: 'Wulan Sari' },
  shop: 'Dapur Wulan',
};
