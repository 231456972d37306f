// Progressive enhancement of the password form: a meter that asks the server's estimator
// (POST /account/password/strength, zxcvbn-ts with Indonesian dictionaries) as she types. No
// dictionary travels to the phone, nothing leaves the room's network, and the server refuses a weak
// password on submit whether or not this ran.
(() => {
  const box = document.querySelector('[data-strength-for]');
  const form = document.querySelector('[data-password-form]');
  if (!box || !form) return;
  const input = document.getElementById(box.getAttribute('data-strength-for'));
  const token = form.querySelector('input[name="_csrf"]');
  const label = box.querySelector('[data-strength-label]');
  const meter = box.querySelector('[data-strength-meter]');
  const hints = box.querySelector('[data-strength-hints]');
  if (!input || !token || !label || !meter || !hints) return;
  let timer = 0;
  let asked = 0;

  const show = (answer) => {
    label.textContent = answer.label;
    meter.value = answer.score;
    hints.replaceChildren(
      ...answer.hints.map((text) => {
        const item = document.createElement('li');
        item.textContent = text;
        return item;
      }),
    );
  };

  const ask = async () => {
    const password = input.value;
    const mine = ++asked;
    if (!password) {
      box.hidden = true;
      return;
    }
    box.hidden = false;
    label.textContent = box.getAttribute('data-checking') || '';
    try {
      const res = await fetch(box.getAttribute('data-strength-url'), {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-csrf-token': token.value },
        body: new URLSearchParams({ password }),
        credentials: 'same-origin',
      });
      if (res.ok && mine === asked) show(await res.json());
    } catch {
      // Offline or the server busy: the form still works, the server checks on submit.
    }
  };

  input.addEventListener('input', () => {
    clearTimeout(timer);
    timer = setTimeout(ask, 300);
  });
})();
