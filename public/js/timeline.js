// One room's confirmed messages in server order, each held once.
//
// A message is identified by (epoch, seq). Within an epoch seq orders them;
// epochs are ordered by when this page first saw them (a restarted server
// starts a new epoch, whose messages all come after the ones shown before).
// `position` is where to resume from (`since`) after a reconnect.
export class Timeline {
  #entries = [];             // [{rank, seq, value}] sorted by (rank, seq)
  #keys = new Set();
  #epochRanks = new Map();   // epoch -> order of first sight
  position = null;           // {epoch, seq} of the newest message seen

  static keyOf(message) { return `${message.epoch}\u0000${message.seq}`; }

  has(message) { return this.#keys.has(Timeline.keyOf(message)); }

  get size() { return this.#entries.length; }

  // Adds `message` (carrying `value`, e.g. its DOM node). Returns null when it
  // is already held, else {next, oldest}: the value of the entry it now
  // precedes (null when it is the newest), and whether it is the oldest held.
  insert(message, value) {
    const key = Timeline.keyOf(message);
    if (this.#keys.has(key)) return null;
    this.#keys.add(key);
    const rank = this.#rankOf(message.epoch);
    const seq = message.seq;
    let i = this.#entries.length;  // usually appended: search from the end
    while (i > 0) {
      const prev = this.#entries[i - 1];
      if (prev.rank < rank || (prev.rank === rank && prev.seq < seq)) break;
      i--;
    }
    this.#entries.splice(i, 0, { rank, seq, value });
    const next = this.#entries[i + 1];
    return { next: next ? next.value : null, oldest: i === 0 };
  }

  // The oldest seq of the unbroken run of `epoch`'s messages that ends with
  // the newest one held (seq grows by exactly 1 per message), or null when
  // none of that epoch is held. Scrolling back continues below it, so a gap
  // left by a reconnect that could not recover everything is filled first.
  runStart(epoch) {
    const rank = this.#epochRanks.get(epoch);
    let i = this.#entries.length - 1;
    while (i >= 0 && this.#entries[i].rank !== rank) i--;
    if (i < 0) return null;
    while (i > 0 && this.#entries[i - 1].rank === rank && this.#entries[i - 1].seq === this.#entries[i].seq - 1) i--;
    return this.#entries[i].seq;
  }

  // Moves the resume position forward to (epoch, seq). A new epoch always
  // wins: the server's history was reset and old positions mean nothing.
  advance(epoch, seq) {
    const p = this.position;
    if (p === null || p.epoch !== epoch || seq > p.seq) this.position = { epoch, seq };
  }

  #rankOf(epoch) {
    let rank = this.#epochRanks.get(epoch);
    if (rank === undefined) {
      rank = this.#epochRanks.size;
      this.#epochRanks.set(epoch, rank);
    }
    return rank;
  }
}

// What a welcome `w` (with its `history`) says about resuming from
// `position`: null when nothing was lost, else the sentence to show (the
// server lost its history, a new epoch; or held too little to fill the gap).
export function resumeLoss(position, w, history) {
  if (position === null || w.recovered === true) return null;
  if (position.epoch !== w.epoch) return 'The server restarted. Messages above this line were sent before that.';
  const first = history[0];
  const gap = first ? first.seq > position.seq + 1 : w.seq > position.seq;
  return gap ? 'Some messages sent while you were away could not be recovered.' : null;
}
