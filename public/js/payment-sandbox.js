// The hosted card page's test-card chips: a tap fills the card number, a future expiry and a CVC,
// so a trainee on a phone does not type 16 digits. Without this file the chips still show the
// numbers to type.
document.querySelectorAll('[data-when-script]').forEach((el) => {
  el.hidden = false;
});

document.addEventListener('click', (event) => {
  const chip = event.target instanceof Element ? event.target.closest('[data-fill-card]') : null;
  if (!chip) return;
  const form = document.querySelector('form[method="post"]');
  if (!form) return;
  const set = (name, value) => {
    const input = form.elements.namedItem(name);
    if (input instanceof HTMLInputElement && (name === 'cardNumber' || !input.value)) input.value = value;
  };
  set('cardNumber', chip.getAttribute('data-fill-card') || '');
  set('expiry', `12/${String((new Date().getFullYear() + 3) % 100).padStart(2, '0')}`);
  set('cvc', '123');
  const name = form.elements.namedItem('name');
  if (name instanceof HTMLInputElement) name.focus();
  else form.querySelector('button[type="submit"]')?.focus();
});
