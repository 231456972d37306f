// Progressive enhancement: choosing a category or an order applies it at once (without
// JavaScript the search button applies them).
document.addEventListener('change', (event) => {
  const select = event.target;
  if (!(select instanceof HTMLSelectElement) || !select.form || !select.form.matches('[data-auto-submit]')) return;
  select.form.requestSubmit();
});
