// Sticky scrolling for the message log: while the reader is at the bottom,
// new content keeps it there; once they scroll up to read, nothing moves and
// a "new messages" button counts what arrived below.
const STICK_DISTANCE_PX = 32;

export class StickyScroll {
  #scroller;
  #button;
  #stuck = true;
  #unseen = 0;
  #resizes;

  constructor(scroller, button) {
    this.#scroller = scroller;
    this.#button = button;
    scroller.addEventListener('scroll', () => this.#onScroll(), { passive: true });
    button.addEventListener('click', () => {
      this.toBottom();
      scroller.focus({ preventScroll: true });
    });
    // Content or viewport growing (new message, an error under a message, a
    // taller composer, a rotated phone) keeps a stuck reader at the bottom.
    this.#resizes = new ResizeObserver(() => { if (this.#stuck) this.toBottom(); });
    this.#resizes.observe(scroller);
  }

  // Follows `list` (the current room's messages) for size changes.
  follow(list) {
    this.#resizes.disconnect();
    this.#resizes.observe(this.#scroller);
    this.#resizes.observe(list);
    this.toBottom();
  }

  // Called after content was added: `own` (the user just sent something)
  // always scrolls down; `fresh` messages from others count as unseen when
  // the reader is up in the history.
  contentAdded({ own, fresh }) {
    if (own || this.#stuck) {
      this.toBottom();
    } else if (fresh > 0) {
      this.#unseen += fresh;
      this.#button.textContent = this.#unseen === 1 ? '1 new message ↓' : `${this.#unseen} new messages ↓`;
      this.#button.hidden = false;
    }
  }

  toBottom() {
    this.#scroller.scrollTop = this.#scroller.scrollHeight;
    this.#stuck = true;
    this.#clearUnseen();
  }

  #onScroll() {
    const s = this.#scroller;
    this.#stuck = s.scrollHeight - s.scrollTop - s.clientHeight <= STICK_DISTANCE_PX;
    if (this.#stuck) this.#clearUnseen();
  }

  #clearUnseen() {
    this.#unseen = 0;
    this.#button.hidden = true;
  }
}
