// Scrolling back through a room (the chatd.v1 1.1 `history` request): which
// page of older messages to ask for next, at most one request in flight per
// connection, what an answer means, and waiting out `rate_limited` quietly.
// No DOM: a room is any object with `name` and `timeline` (a Timeline).

export const PAGE_SIZE = 50;
const RETRY_FALLBACK_MS = 1000;  // when the server does not say how long to wait
const RETRY_MIN_MS = 100;
const RETRY_MAX_MS = 10_000;

// How long to wait after `rate_limited`, from its reason ("…the next is
// allowed in 180 ms"), within sane bounds.
export function retryDelay(reason) {
  const match = /(\d+)\s*ms\b/.exec(typeof reason === 'string' ? reason : '');
  const ms = match ? Number(match[1]) : RETRY_FALLBACK_MS;
  return Math.min(RETRY_MAX_MS, Math.max(RETRY_MIN_MS, ms));
}

export class HistoryPager {
  #rooms = new WeakMap();  // room -> {epoch, cursor, done}
  #pending = null;         // {id, room, name, epoch} of the request in flight
  #waiting = null;         // {room, timer} while waiting out rate_limited
  #newId;
  #onReady;                // (room): a request may be sent again after a wait
  #timers;

  constructor({ newId, onReady, timers = { set: (fn, ms) => setTimeout(fn, ms), clear: (t) => clearTimeout(t) } }) {
    this.#newId = newId;
    this.#onReady = onReady;
    this.#timers = timers;
  }

  // The server welcomed us to `room` in `epoch`, whose last seq is `lastSeq`.
  // A reconnect may have left a gap, so paging starts again from the newest
  // unbroken run (Timeline.runStart).
  joined(room, epoch, lastSeq) {
    this.#rooms.set(room, { epoch, cursor: null, done: false, lastSeq });
  }

  // A live message: a new epoch (the room's history was lost) starts over.
  sawLive(room, epoch, seq) {
    const state = this.#rooms.get(room);
    if (state && state.epoch !== epoch) this.joined(room, epoch, seq);
  }

  // 'done' (the beginning is shown), 'loading' (a request or a wait for this
  // room), 'idle' (older messages may exist), or 'unknown' (not joined yet).
  stateOf(room) {
    const state = this.#rooms.get(room);
    if (!state) return 'unknown';
    if (this.#pending?.room === room || this.#waiting?.room === room) return 'loading';
    return this.#reachedBeginning(room, state) ? 'done' : 'idle';
  }

  // The next `history` request for `room`, or null when none is due: one is
  // in flight or being waited for, the room is not joined, or its beginning
  // is shown. Call sent() once it went out.
  nextRequest(room) {
    const state = this.#rooms.get(room);
    if (!state || this.#pending !== null || this.#waiting !== null || this.#reachedBeginning(room, state)) return null;
    const request = { type: 'history', limit: PAGE_SIZE, id: this.#newId() };
    const before = this.#before(room, state);
    if (before !== null) request.before = before;
    return request;
  }

  sent(room, request) {
    this.#pending = { id: request.id, room, name: room.name, epoch: this.#rooms.get(room).epoch };
  }

  // A `history` answer, while `shown` is the room on screen. Returns null
  // when it is not the answer to our request (e.g. one sent before a
  // reconnect), else {room, messages}: the messages to show in `room`, none
  // when another room is shown or the epoch changed meanwhile.
  answered(frame, shown) {
    const pending = this.#pending;
    if (pending === null || frame.id == null || String(frame.id) !== pending.id) return null;
    this.#pending = null;
    const state = this.#rooms.get(pending.room);
    const current = state !== undefined && pending.room === shown && state.epoch === pending.epoch &&
      frame.room === pending.name && frame.epoch === pending.epoch;
    if (!current) return { room: pending.room, messages: [] };
    const messages = (Array.isArray(frame.messages) ? frame.messages : [])
      .filter((m) => m !== null && typeof m === 'object' && m.epoch === pending.epoch && Number.isInteger(m.seq));
    // An empty page ends paging even if `more` says otherwise (nothing fitted):
    // asking again would only get the same answer.
    if (frame.more !== true || messages.length === 0) state.done = true;
    else state.cursor = Math.min(state.cursor ?? Infinity, ...messages.map((m) => m.seq));
    return { room: pending.room, messages };
  }

  // An `error` frame: the room of our request when it answers that, else
  // null. `rate_limited` waits as long as the server says, then calls
  // onReady; any other error (an older server without `history`) stops
  // paging that room until the next welcome.
  failed(frame) {
    const pending = this.#pending;
    if (pending === null || frame.id == null || String(frame.id) !== pending.id) return null;
    this.#pending = null;
    if (frame.code === 'rate_limited') {
      const room = pending.room;
      const timer = this.#timers.set(() => {
        this.#waiting = null;
        this.#onReady(room);
      }, retryDelay(frame.reason));
      this.#waiting = { room, timer };
    } else {
      const state = this.#rooms.get(pending.room);
      if (state) state.done = true;
    }
    return pending.room;
  }

  // The socket is gone: whatever was in flight will never be answered.
  closed() {
    this.#pending = null;
    if (this.#waiting !== null) this.#timers.clear(this.#waiting.timer);
    this.#waiting = null;
  }

  // Below the unbroken run of newest messages, or below the oldest message
  // an earlier page brought when that did not join the run (so the same page
  // is never asked for twice). Null: nothing of the epoch held, ask for the newest.
  #before(room, state) {
    const start = room.timeline.runStart(state.epoch);
    if (start === null) return state.cursor;
    return state.cursor === null ? start : Math.min(start, state.cursor);
  }

  // Known without asking: the epoch's first message (seq 1) is held, or the
  // room has none at all; or the server said so.
  #reachedBeginning(room, state) {
    if (state.done) return true;
    const start = room.timeline.runStart(state.epoch);
    return start === null ? state.lastSeq === 0 : start <= 1;
  }
}
