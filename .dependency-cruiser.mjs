// The layering of the code, checked by `npm run lint` (dependency-cruiser): plumbing never
// reaches into features, features and the payment sandbox stay apart, no import cycles, and a
// route file never imports another route file.
/** @type {import('dependency-cruiser').IConfiguration} */
export default {
  forbidden: [
    {
      name: 'no-cycles',
      severity: 'error',
      comment: 'An import cycle: one of these modules must stop importing the other (move the shared part down).',
      from: {},
      to: { circular: true },
    },
    {
      name: 'plumbing-not-into-features',
      severity: 'error',
      comment: 'Web plumbing, generic helpers, the database, locales and config know nothing of the features.',
      from: { path: '^src/(http|lib|i18n)/|^src/db[^/]*\\.ts$|^src/config\\.ts$' },
      to: { path: '^src/features/' },
    },
    {
      name: 'features-not-into-payment-sandbox',
      severity: 'error',
      comment: 'The app talks to the payment sandbox over HTTP only, as it would to Stripe (tests start one through src/test/).',
      from: { path: '^src/features/' },
      to: { path: '^src/payment-sandbox/' },
    },
    {
      name: 'payment-sandbox-not-into-features',
      severity: 'error',
      comment: 'The payment sandbox is its own server and knows nothing of the marketplace.',
      from: { path: '^src/payment-sandbox/' },
      to: { path: '^src/features/' },
    },
    {
      name: 'routes-not-into-routes',
      severity: 'error',
      comment: 'A route file imports services and plumbing, never another route file: shared plumbing goes to src/http.',
      from: { path: '\\.routes\\.ts$' },
      to: { path: '\\.routes\\.ts$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^src/generated/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { extensions: ['.ts', '.js', '.mjs'] },
  },
};
