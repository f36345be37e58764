// One room as the page shows it: its own <ol> of messages (kept while the
// user is in another room, so switching back loses nothing), the Timeline
// that keeps those messages ordered and unique, and who is here. The list's
// first item is its history edge: "Loading older messages…" while scrolling
// back, "Beginning of the conversation" once nothing older exists.
import { Timeline } from './timeline.js';
import { messageElement, historyEdgeElement, setHistoryEdge } from './render.js';
import { foldNick } from './util.js';

export class RoomView {
  name;                       // null until the server names the default room
  timeline = new Timeline();
  list = document.createElement('ol');
  #edge = historyEdgeElement();
  #people = new Map();        // folded nick -> nick
  count = 0;                  // people here, as the server counts them
  joinedOnce = false;         // a welcome for this room has arrived

  constructor(name) {
    this.name = name;
    this.list.className = 'messages';
    this.list.append(this.#edge);
  }

  // state: 'loading' | 'done' | anything else shows nothing.
  showHistoryState(state) { setHistoryEdge(this.#edge, state); }

  // Adds a confirmed message in server order. Returns its node, or null when
  // it is already shown.
  addMessage(message, own) {
    const node = messageElement(message, own);
    const placed = this.timeline.insert(message, node);
    if (placed === null) return null;
    if (placed.oldest && placed.next !== null) this.#edge.after(node);  // an older page: at the very top
    else if (placed.next !== null) this.list.insertBefore(node, placed.next);
    else this.#insertAtEnd(node);
    return node;
  }

  // A notice or a divider, after everything shown so far.
  addLocal(node) { this.#insertAtEnd(node); }

  // The user's own message before confirmation: always last.
  addPending(node) { this.list.append(node); }

  // New confirmed items go above the user's unconfirmed messages, which stay
  // at the bottom until the server answers for them.
  #insertAtEnd(node) {
    this.list.insertBefore(node, this.list.querySelector(':scope > li.unconfirmed'));
  }

  get people() {
    return [...this.#people.values()].sort((a, b) => a.localeCompare(b, undefined, { sensitivity: 'base' }));
  }

  // Replaces the list of people (from `welcome.users`: nicks, or objects with a nick).
  setPeople(users) {
    this.#people.clear();
    for (const user of Array.isArray(users) ? users : []) {
      const nick = typeof user === 'string' ? user : user?.nick;
      if (typeof nick === 'string') this.#people.set(foldNick(nick), nick);
    }
    this.count = this.#people.size;
  }

  addPerson(nick) { this.#people.set(foldNick(nick), nick); }
  removePerson(nick) { this.#people.delete(foldNick(nick)); }
  renamePerson(oldNick, nick) {
    this.removePerson(oldNick);
    this.addPerson(nick);
  }
}
