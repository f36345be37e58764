// The user's own messages until the server answers for them: shown at once
// (queued, then sending), confirmed by the server's echo with the same id,
// or failed with the reason shown under the message.
import * as render from './render.js';
import { foldNick } from './util.js';

export class Outbox {
  #entries = new Map();   // id -> {id, text, view, node, state, sendNumber, presumedDropped}
  #sendCount = 0;         // numbers messages in the order they went out

  // A new message of the user's, shown at the bottom of `view`.
  add(id, text, view, nick) {
    const entry = { id, text, view, node: render.pendingElement(text, nick), state: 'queued', sendNumber: 0, presumedDropped: false };
    this.#entries.set(id, entry);
    view.addPending(entry.node);
    return entry;
  }

  get(id) { return this.#entries.get(id); }

  entries() { return [...this.#entries.values()]; }

  // Forgets `entry` and removes its bubble (confirmed, or answered otherwise).
  remove(entry) {
    entry.node.remove();
    this.#entries.delete(entry.id);
  }

  // Records whether `entry` went out on the socket (else it waits).
  setSent(entry, sent) {
    entry.state = sent ? 'sending' : 'queued';
    entry.presumedDropped = false;
    if (sent) entry.sendNumber = ++this.#sendCount;
    render.setPendingState(entry.node, entry.state);
  }

  // Shows why `entry` was not delivered; `onRetry` adds a Retry button that
  // moves it back to the bottom before calling it.
  fail(entry, text, onRetry) {
    entry.state = 'failed';
    entry.presumedDropped = false;
    render.showMessageError(entry.node, text, onRetry ? () => {
      entry.view.addPending(entry.node);
      onRetry();
    } : undefined);
  }

  // Messages in flight (sent, unanswered), oldest first.
  inFlight() {
    return this.entries().filter((e) => e.state === 'sending').sort((a, b) => a.sendNumber - b.sendNumber);
  }

  // The entry that the server's message `m` confirms: by id; or, for
  // history that lacks ids, a message in flight with our nick and its text.
  confirmedBy(m, view, me, live) {
    if (m.id != null) {
      const entry = this.#entries.get(String(m.id));
      if (entry && entry.view === view && (entry.state !== 'failed' || entry.presumedDropped)) return entry;
    }
    if (!live && m.id == null && me !== null && foldNick(String(m.from)) === foldNick(me)) {
      return this.inFlight().find((e) => e.view === view && e.text === m.text) ?? null;
    }
    return null;
  }

  // The server handles one session's messages in order: once `confirmed` is
  // echoed, earlier messages still unanswered were dropped (by a plugin).
  // Should one be confirmed after all, confirmedBy() still finds it.
  settleDroppedBefore(confirmed) {
    for (const entry of this.inFlight()) {
      if (entry.sendNumber >= confirmed.sendNumber || entry.view !== confirmed.view) continue;
      this.fail(entry, 'Not delivered: the server dropped it.');
      entry.presumedDropped = true;
    }
  }
}
