// Paper entry, progressive enhancement: in a question with options, the keys 1–9 pick the
// option with that number (a checkbox toggles); a radio then moves on to the next question.
// Without this file the form still works with Tab, the arrow keys, Space and Enter.
document.addEventListener('keydown', (event) => {
  const form = event.target instanceof Element ? event.target.closest('form[data-paper-entry]') : null;
  if (!form || event.ctrlKey || event.metaKey || event.altKey || !/^[1-9]$/.test(event.key)) return;
  const target = event.target;
  if (target instanceof HTMLTextAreaElement || (target instanceof HTMLInputElement && target.type === 'text')) return;
  const fieldset = target.closest('fieldset.question');
  if (!fieldset) return;
  const inputs = Array.from(fieldset.querySelectorAll('input[type=radio], input[type=checkbox]'));
  const chosen = inputs[Number(event.key) - 1];
  if (!chosen) return;
  event.preventDefault();
  if (chosen.type === 'checkbox') {
    chosen.checked = !chosen.checked;
    chosen.focus();
    return;
  }
  chosen.checked = true;
  const fieldsets = Array.from(form.querySelectorAll('fieldset.question'));
  const next = fieldsets[fieldsets.indexOf(fieldset) + 1];
  const focusable = next
    ? next.querySelector('input:checked, input[type=radio], input[type=checkbox], input[type=text], textarea')
    : form.querySelector('button[type=submit]');
  if (focusable instanceof HTMLElement) focusable.focus();
});

// Enter on an option sends the sheet, as it does in a text box.
document.addEventListener('keydown', (event) => {
  if (event.key !== 'Enter' || !(event.target instanceof HTMLInputElement)) return;
  const form = event.target.closest('form[data-paper-entry]');
  if (!form || !['radio', 'checkbox'].includes(event.target.type)) return;
  event.preventDefault();
  form.requestSubmit();
});
