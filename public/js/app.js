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

// A part of the page marked data-refresh="<seconds>" (the progress board, the projector screens)
// reloads itself: the page is fetched again and that part swapped, so a projector left open keeps
// up with the room. Without this file the page shows what it had when opened.
const refreshing = document.querySelector('[data-refresh]');
if (refreshing) {
  const seconds = Math.max(5, Number(refreshing.getAttribute('data-refresh')) || 30);
  setInterval(async () => {
    if (document.hidden) return;
    try {
      const response = await fetch(window.location.href, { credentials: 'same-origin', cache: 'no-store' });
      if (!response.ok) return;
      const fresh = new DOMParser().parseFromString(await response.text(), 'text/html').querySelector('[data-refresh]');
      const current = document.querySelector('[data-refresh]');
      if (fresh && current) current.replaceWith(document.importNode(fresh, true));
    } catch {
      // The room's Wi-Fi dropped for a moment: the next round tries again.
    }
  }, seconds * 1000);
}

// Handouts: the Print button (hidden until this file runs, as it needs it).
document.querySelectorAll('[data-print]').forEach((button) => {
  button.hidden = false;
  button.addEventListener('click', () => window.print());
});
