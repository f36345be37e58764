// Presence in big rooms (protocol 1.1): a room beyond the server's
// chat.presence_max_members sends its joins, leaves and renames as one
// `presence` `batch` per interval, its welcome lists only the first names
// (`users_complete: false`), and the rest of the member list is paged in with
// `users` requests when the reader scrolls the people panel to its end.
// Small rooms keep their per-event presence.
import { foldNick } from './util.js';
import { leaveText } from './people.js';

const PAGE = 200;        // nicks per `users` request
const NAMED = 3;         // names a batch's notice spells out

// "ann, bob, cy and 9 others": the first names of a list of `total`.
function someNames(nicks, total) {
  const shown = nicks.slice(0, NAMED);
  const rest = Math.max(total, nicks.length) - shown.length;
  return rest > 0 ? `${shown.join(', ')} and ${rest} other${rest === 1 ? '' : 's'}` : shown.join(', ');
}

const people = (n) => `${n} ${n === 1 ? 'person' : 'people'}`;
const nicksOf = (list) => (Array.isArray(list) ? list.filter((nick) => typeof nick === 'string') : []);

// The notices a batch is shown as: "12 people joined: ann, bob, cy and 9 others".
export function batchNotices(batch) {
  const joined = nicksOf(batch.joined);
  const left = nicksOf(batch.left);
  const renamed = Array.isArray(batch.renamed) ? batch.renamed.filter((r) => typeof r?.nick === 'string') : [];
  const joinedCount = Number.isInteger(batch.joined_count) ? batch.joined_count : joined.length;
  const leftCount = Number.isInteger(batch.left_count) ? batch.left_count : left.length;
  const notices = [];
  if (joinedCount > 0) notices.push(`${people(joinedCount)} joined: ${someNames(joined, joinedCount)}`);
  if (leftCount > 0) notices.push(`${people(leftCount)} left: ${someNames(left, leftCount)}`);
  if (renamed.length === 1) notices.push(`${renamed[0].old_nick} is now known as ${renamed[0].nick}`);
  else if (renamed.length > 1) notices.push(`${people(renamed.length)} changed their names`);
  return notices;
}

// Applies a join, a leave or a batch (renamed in order, then joined, then
// left: docs/protocol.md) to `view` (a nick change is the
// client's: it may be ours). Returns the notices to show; `isSelf(nick)`
// says whether a nick is ours (no notice for our own join or leave).
export function applyPresence(view, p, isSelf) {
  const notices = [];
  if (p.event === 'batch') {
    for (const r of Array.isArray(p.renamed) ? p.renamed : []) {
      if (typeof r?.old_nick === 'string' && typeof r?.nick === 'string') view.renamePerson(r.old_nick, r.nick);
    }
    for (const nick of nicksOf(p.joined)) view.addPerson(nick);
    for (const nick of nicksOf(p.left)) view.removePerson(nick);
    notices.push(...batchNotices(p));
  } else if (typeof p.nick === 'string' && p.event === 'join') {
    view.addPerson(p.nick);
    if (!isSelf(p.nick)) notices.push(`${p.nick} joined`);
  } else if (typeof p.nick === 'string' && p.event === 'leave') {
    view.removePerson(p.nick);
    if (!isSelf(p.nick)) notices.push(leaveText(p));
  } else if (p.event === 'nick' && typeof p.nick === 'string' && typeof p.old_nick === 'string') {
    view.renamePerson(p.old_nick, p.nick);
  }
  view.count = Number.isInteger(p.count) ? p.count : view.people.length;
  return notices;
}

// Pages the member list of big rooms in, one `users` request at a time.
export class MemberPager {
  #newId;
  #state = new WeakMap();  // RoomView -> {complete, after}
  #inFlight = null;        // {id, view}

  constructor({ newId }) { this.#newId = newId; }

  // A welcome: its count, and where paging starts (after the last of the
  // first names it listed; its first entry is our own nick, out of order).
  welcomed(view, w) {
    if (Number.isInteger(w.count)) view.count = w.count;
    const others = nicksOf(w.users).slice(1).map(foldNick).sort();
    this.#state.set(view, { complete: w.users_complete !== false, after: others.at(-1) ?? null });
    this.#inFlight = null;
  }

  // Whether `view` may list more than it shows (the people panel says so).
  hasMore(view) { return this.#state.get(view)?.complete === false; }

  // Asks for the next page of `view` through `send` (false when not sent).
  more(view, send) {
    const state = this.#state.get(view);
    if (!state || state.complete || this.#inFlight) return;
    const request = { type: 'users', limit: PAGE, id: this.#newId() };
    if (state.after !== null) request.after = state.after;
    if (send(request)) this.#inFlight = { id: request.id, view };
  }

  // A `users` answer: the names join the view. Returns the view, or null
  // when the answer is not for the room it was asked for.
  answered(frame) {
    const asked = this.#inFlight;
    if (!asked || frame.id !== asked.id) return null;
    this.#inFlight = null;
    const state = this.#state.get(asked.view);
    if (!state || frame.room !== asked.view.name) return null;
    const nicks = nicksOf(frame.users);
    for (const nick of nicks) asked.view.addPerson(nick);
    if (Number.isInteger(frame.count)) asked.view.count = frame.count;
    state.after = typeof frame.next === 'string' ? frame.next : null;
    state.complete = typeof frame.next !== 'string';
    return asked.view;
  }

  // An error answering our request ends the wait (true when it was ours);
  // the next scroll to the end asks again.
  failed(e) {
    if (!this.#inFlight || e.id !== this.#inFlight.id) return false;
    this.#inFlight = null;
    return true;
  }

  // The socket is gone: an answer will not come.
  closed() { this.#inFlight = null; }
}
