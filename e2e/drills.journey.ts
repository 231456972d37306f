// The names of e2e/drills.spec.ts's own workshop, shared with its seed (e2e/drills.seed.ts).
// Imports nothing, so the browser test does not load the app.
export const drillsJourney = {
  workshop: 'Pelatihan Waspada Penipuan Klungkung',
  tutor: { username: 'waspada.tutor', displayName: 'Bu Komang (Fasilitator)' },
  traineeA: { username: 'waspada.ayu', displayName: 'Ayu Lestari' },
  traineeB: { username: 'waspada.made', displayName: 'Made Wirawan' },
  shop: 'Tenun Made',
  product: 'Kain Tenun Endek Motif Bunga',
};
