// The message box: Enter sends, Shift+Enter adds a line, and a counter of
// UTF-8 bytes appears as the text nears the server's limit.
import { utf8Length } from './util.js';

const COUNTER_FROM = 0.8;  // show the counter from 80% of the limit

export class Composer {
  #form;
  #input;
  #counter;
  #onSend;
  #limit = 4096;

  constructor({ form, input, counter, onSend }) {
    this.#form = form;
    this.#input = input;
    this.#counter = counter;
    this.#onSend = onSend;
    input.addEventListener('keydown', (event) => {
      if (event.key !== 'Enter' || event.shiftKey || event.altKey || event.isComposing) return;
      event.preventDefault();
      this.#submit();
    });
    input.addEventListener('input', () => this.#updateCounter());
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      this.#submit();
      input.focus();
    });
  }

  set limit(bytes) {
    this.#limit = bytes;
    this.#updateCounter();
  }

  set placeholder(text) { this.#input.placeholder = text; }

  focus() { this.#input.focus(); }

  #submit() {
    const text = this.#input.value;
    if (text.trim() === '') return;
    this.#onSend(text);
    this.#input.value = '';
    this.#updateCounter();
  }

  #updateCounter() {
    const bytes = utf8Length(this.#input.value);
    const counter = this.#counter;
    const near = bytes >= this.#limit * COUNTER_FROM;
    counter.hidden = !near;
    counter.classList.toggle('over', bytes > this.#limit);
    this.#form.classList.toggle('over-limit', bytes > this.#limit);
    if (!near) return;
    counter.textContent = bytes > this.#limit
      ? `${bytes} / ${this.#limit} bytes — ${bytes - this.#limit} too many, the server will refuse it`
      : `${bytes} / ${this.#limit} bytes`;
  }
}
