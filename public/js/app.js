// Progressive enhancement only: every page works without this file.
document.addEventListener('submit', (event) => {
  // A form that is sent twice by a double tap creates one request: the button is disabled
  // once the first submit is on its way (the server also refuses duplicates).
  const form = event.target;
  if (!(form instanceof HTMLFormElement) || event.defaultPrevented) return;
  const button = event.submitter;
  if (button instanceof HTMLButtonElement && !button.hasAttribute('data-allow-repeat')) {
    setTimeout(() => {
      button.disabled = true;
    }, 0);
  }
});

document.addEventListener('click', (event) => {
  const target = event.target instanceof Element ? event.target.closest('[data-confirm]') : null;
  if (target && !window.confirm(target.getAttribute('data-confirm') || '')) event.preventDefault();
});
