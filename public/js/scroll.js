// Sticky scrolling for the message log: while the reader is at the bottom,
// new content keeps it there; once they scroll up to read, nothing moves and
// a "new messages" button counts what arrived below. "Nothing moves" holds
// for content added above too (older messages): the message the reader was
// looking at stays where it was on screen, in every browser and also at the
// very top, where the browsers' own scroll anchoring does not act.
const STICK_DISTANCE_PX = 32;
const TOP_DISTANCE_PX = 160;  // this close to the top, older messages are wanted

export class StickyScroll {
  #scroller;
  #button;
  #stuck = true;
  #unseen = 0;
  #resizes;
  #list = null;
  #anchor = null;   // {node, offset}: the reader's first visible item, its distance from the top
  onTop = null;     // called when the reader scrolls (near) to the top

  constructor(scroller, button) {
    this.#scroller = scroller;
    this.#button = button;
    scroller.addEventListener('scroll', () => this.#onScroll(), { passive: true });
    button.addEventListener('click', () => {
      this.toBottom();
      scroller.focus({ preventScroll: true });
    });
    // Content or viewport growing (new message, an error under a message, a
    // taller composer, a rotated phone) keeps a stuck reader at the bottom,
    // and anyone else's view on the message they were reading.
    this.#resizes = new ResizeObserver(() => { if (this.#stuck) this.toBottom(); else this.#keepAnchor(); });
    this.#resizes.observe(scroller);
  }

  // Follows `list` (the current room's messages) for size changes.
  follow(list) {
    this.#resizes.disconnect();
    this.#resizes.observe(this.#scroller);
    this.#resizes.observe(list);
    this.#list = list;
    this.toBottom();
  }

  // True when the reader is at (or near) the top, or nothing scrolls yet.
  get atTop() { return this.#scroller.scrollTop <= TOP_DISTANCE_PX; }

  // Called after content was added: `own` (the user just sent something)
  // always scrolls down; otherwise a reader up in the history stays on what
  // they read, and `fresh` messages from others count as unseen.
  contentAdded({ own, fresh }) {
    if (own || this.#stuck) {
      this.toBottom();
      return;
    }
    this.#keepAnchor();
    if (fresh > 0) {
      this.#unseen += fresh;
      this.#button.textContent = this.#unseen === 1 ? '1 new message ↓' : `${this.#unseen} new messages ↓`;
      this.#button.hidden = false;
    }
  }

  toBottom() {
    this.#scroller.scrollTop = this.#scroller.scrollHeight;
    this.#stuck = true;
    this.#anchor = null;
    this.#clearUnseen();
  }

  #onScroll() {
    const s = this.#scroller;
    this.#stuck = s.scrollHeight - s.scrollTop - s.clientHeight <= STICK_DISTANCE_PX;
    if (this.#stuck) this.#clearUnseen();
    this.#anchor = this.#stuck ? null : this.#findAnchor();
    if (this.atTop) this.onTop?.();
  }

  // The first item of the list (the history edge aside, which stays on top)
  // that reaches below the top of the view: a binary search, as items are
  // laid out top to bottom.
  #findAnchor() {
    const items = this.#list ? [...this.#list.children].filter((item) => !item.classList.contains('history-edge')) : [];
    const top = this.#scroller.getBoundingClientRect().top;
    let low = 0;
    let high = items.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (items[mid].getBoundingClientRect().bottom <= top) low = mid + 1;
      else high = mid;
    }
    const node = items[low];
    return node ? { node, offset: node.getBoundingClientRect().top - top } : null;
  }

  // Scrolls so that the anchor is as far from the top as it was.
  #keepAnchor() {
    const anchor = this.#anchor;
    if (anchor === null || !anchor.node.isConnected) return;
    const offset = anchor.node.getBoundingClientRect().top - this.#scroller.getBoundingClientRect().top;
    if (Math.abs(offset - anchor.offset) >= 1) this.#scroller.scrollTop += offset - anchor.offset;
  }

  #clearUnseen() {
    this.#unseen = 0;
    this.#button.hidden = true;
  }
}
