// Small modal forms (<dialog>) that ask for one value: the nickname and the
// room. They validate before closing and show the server's refusal inline.

export class ValueDialog {
  #dialog;
  #input;
  #error;
  #validate;
  #resolve = null;
  #promise = null;

  // validate(value) returns "" when fine, else the problem to show.
  constructor(dialog, validate) {
    this.#dialog = dialog;
    this.#validate = validate;
    this.#input = dialog.querySelector('input');
    this.#error = dialog.querySelector('.field-error');
    const form = dialog.querySelector('form');
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.#submit();
    });
    dialog.querySelector('[data-action="cancel"]').addEventListener('click', () => this.#finish(null));
    dialog.addEventListener('cancel', (event) => {  // Escape
      event.preventDefault();
      this.#finish(null);
    });
  }

  get isOpen() { return this.#dialog.open; }

  // Opens the dialog with `value` filled in and `error` (if any) shown.
  // Resolves with the accepted value, or null when cancelled. Asking while
  // open updates the error and returns the same answer.
  ask({ value = '', error = '' } = {}) {
    this.#showError(error);
    if (this.#promise) return this.#promise;
    this.#input.value = value;
    this.#promise = new Promise((resolve) => { this.#resolve = resolve; });
    this.#dialog.showModal();
    this.#input.select();
    return this.#promise;
  }

  #submit() {
    const value = this.#input.value.trim();
    const problem = this.#validate(value);
    if (problem) {
      this.#showError(problem);
      this.#input.focus();
      return;
    }
    this.#finish(value);
  }

  #finish(value) {
    const resolve = this.#resolve;
    this.#resolve = null;
    this.#promise = null;
    this.#dialog.close();
    resolve?.(value);
  }

  #showError(text) {
    this.#error.textContent = text;
    this.#error.hidden = !text;
    if (text) this.#input.setAttribute('aria-invalid', 'true');
    else this.#input.removeAttribute('aria-invalid');
  }
}
