// Progressive enhancement of a chat page: while it is open, new messages appear without a
// reload (polling every few seconds; no outside service). Without JavaScript the page works by
// posting and reloading.
(() => {
  const list = document.querySelector('[data-chat-live]');
  if (!list) return;
  const url = list.getAttribute('data-chat-live');
  let after = Number(list.getAttribute('data-after')) || 0;
  const POLL_MS = 4000;

  const bubble = (m) => {
    const item = document.createElement('li');
    item.className = m.mine ? 'chat-bubble chat-mine' : 'chat-bubble';
    item.setAttribute('data-testid', 'chat-message');
    const meta = document.createElement('span');
    meta.className = 'muted';
    meta.textContent = `${m.sender} · ${m.at}`;
    item.append(meta);
    if (m.photo) {
      const link = document.createElement('a');
      link.href = m.photo;
      const img = document.createElement('img');
      img.className = 'chat-photo';
      img.src = `${m.photo}?size=thumb`;
      img.alt = m.photoAlt;
      link.append(img);
      item.append(link);
    }
    if (m.body) {
      const body = document.createElement('span');
      body.className = 'prewrap';
      body.textContent = m.body;
      item.append(body);
    }
    return item;
  };

  const poll = async () => {
    if (document.visibilityState === 'visible') {
      try {
        const res = await fetch(`${url}?after=${after}`, { headers: { accept: 'application/json' }, credentials: 'same-origin' });
        if (res.ok) {
          const { messages } = await res.json();
          for (const m of messages) {
            list.append(bubble(m));
            after = Math.max(after, m.id);
          }
        }
      } catch {
        // The room's network dropped for a moment: the next poll tries again.
      }
    }
    setTimeout(poll, POLL_MS);
  };
  setTimeout(poll, POLL_MS);
})();
