// The chat session: speaks chatd.v1 over a Connection, keeps one RoomView per
// room, matches the server's acks and errors to the messages the user sent
// (by the `id` sent with each), resumes with `since` after a reconnect so
// every missed message is shown exactly once, and pages back through a room
// with `history` when the reader scrolls up (js/history.js).
import { RoomView } from './room_view.js';
import { resumeLoss } from './timeline.js';
import { HistoryPager } from './history.js';
import { newId, utf8Length, foldNick } from './util.js';
import { describeError, describeClose, isRetryable, isNickError } from './errors.js';
import * as render from './render.js';
import { Outbox } from './outbox.js';
import { isHelpCommand, helpElement, localTimes } from './moderation_view.js';
import { applyPresence, MemberPager } from './presence.js';

// Text whose frame could pass the server's websocket.max_message_bytes (64 KiB
// by default) would get the connection closed (1009) instead of a too_large
// answer, so it is refused here. Below that the server decides (too_large).
export const FRAME_GUARD_BYTES = 60_000;
const GHOST_RETRIES = 8;  // ~50 s: longer than the server's default ping timeout

const sameNick = (a, b) => a != null && b != null && foldNick(String(a)) === foldNick(String(b));

export class ChatClient {
  #conn;
  #ui;
  #rooms = new Map();     // room name -> RoomView
  #view;                  // the room on screen (joined, or being joined)
  #confirmedView = null;  // the last room the server welcomed us to
  #outbox = new Outbox(); // the user's messages until the server answers
  #wantedNick;            // nick to ask for; null lets the server pick
  #me = null;             // nick the server gave us
  #heldNick = null;       // nick we had when the last socket dropped
  #joined = false;        // the server confirmed #view on this socket
  #kicked = false;        // removed from #view: no join until the user asks
  #joinRequest = null;    // {id, nick} of the join in flight
  #nickRequest = null;    // {id, nick} of the nick change in flight
  #maxTextBytes = 4096;
  #ghostRetries = 0;
  #ghostTimer = 0;
  #history = new HistoryPager({ newId, onReady: (view) => this.#historyIdle(view) });
  #members = new MemberPager({ newId });  // big rooms' member lists (js/presence.js)

  constructor(conn, ui, { nick, room }) {
    this.#conn = conn;
    this.#ui = ui;
    this.#wantedNick = nick || null;
    this.#view = room ? this.#viewNamed(room) : new RoomView(null);
    conn.addEventListener('open', () => {
      if (this.#kicked) this.#ui.joinState('kicked', { room: this.#view.name });
      else this.#join();
    });
    conn.addEventListener('frame', (event) => this.#onFrame(event.detail));
    conn.addEventListener('close', (event) => this.#onClose(event.detail ?? {}));
  }

  get view() { return this.#view; }
  get nick() { return this.#me ?? this.#wantedNick; }
  get maxTextBytes() { return this.#maxTextBytes; }
  get hasMorePeople() { return this.#members.hasMore(this.#view); }
  loadMorePeople() { this.#members.more(this.#view, (request) => this.#joined && this.#conn.send(request)); }

  // Shows `text` as the user's message at once and sends it as soon as the
  // room is joined; the server's echo (same id) confirms it.
  send(text) {
    if (isHelpCommand(text)) return this.#addNotice(this.#view, helpElement());  // local: never sent
    const view = this.#view;
    const entry = this.#outbox.add(newId(), text, view, this.nick ?? 'you');
    const bytes = utf8Length(text);
    if (bytes > FRAME_GUARD_BYTES) {
      this.#fail(entry, describeError('too_large', `${bytes} bytes; the limit is ${this.#maxTextBytes}.`));
    } else {
      this.#transmit(entry);
    }
    this.#ui.contentAdded(view, { own: true, fresh: 0 });
  }

  changeNick(nick) {
    if (nick === this.nick) return;
    if (this.#joined && this.#conn.isOpen) {
      this.#nickRequest = { id: newId(), nick };
      this.#conn.send({ type: 'nick', nick, id: this.#nickRequest.id });
    } else {
      this.#wantedNick = nick;  // used by the next join
      this.#ui.nickShown(nick, false);
    }
  }

  // Asks for the page of messages older than those shown in the room on
  // screen, unless one is in flight or none is left. The answer is shown
  // above, then ui.olderShown(view) lets the page ask for more.
  loadOlder() {
    const view = this.#view;
    const request = this.#joined ? this.#history.nextRequest(view) : null;
    if (request === null || !this.#conn.send(request)) return;
    this.#history.sent(view, request);
    view.showHistoryState(this.#history.stateOf(view));
  }

  switchRoom(name) {
    if (name === this.#view.name) return;
    const left = this.#view;
    for (const entry of this.#outbox.entries()) {
      if (entry.view === left && entry.state === 'queued') this.#fail(entry, `Not sent: you left ${left.name ?? 'the room'} first.`);
    }
    this.#view = this.#viewNamed(name);
    this.#joined = false;
    this.#kicked = false;
    this.#ui.showView(this.#view);
    if (this.#conn.isOpen) this.#join();
  }

  // After a kick: join the room on screen again (the notice's Rejoin button).
  rejoin() {
    this.#kicked = false;
    if (this.#conn.isOpen && !this.#joined) this.#join();
  }

  #viewNamed(name) {
    let view = this.#rooms.get(name);
    if (!view) {
      view = new RoomView(name);
      this.#rooms.set(name, view);
    }
    return view;
  }

  // Asks for #view (or the default room) with our nick, resuming after the
  // last message this page holds for that room.
  #join() {
    clearTimeout(this.#ghostTimer);
    const request = { type: 'join', id: newId() };
    if (this.#view.name !== null) request.room = this.#view.name;
    if (this.#wantedNick) request.nick = this.#wantedNick;
    const position = this.#view.timeline.position;
    if (position) request.since = { epoch: position.epoch, seq: position.seq };
    if (this.#conn.send(request)) {
      this.#joinRequest = { id: request.id, nick: request.nick ?? null };
      this.#ui.joinState('joining');
    }
  }

  #onFrame(frame) {
    switch (frame.type) {
      case 'welcome': return this.#onWelcome(frame);
      case 'message': return this.#onMessage(frame);
      case 'presence': return this.#onPresence(frame);
      case 'error': return this.#onError(frame);
      case 'notice': return this.#onNotice(frame);
      case 'history': return this.#onHistory(frame);
      case 'kicked': return this.#onKicked(frame);
      case 'users': { const view = this.#members.answered(frame); return view && this.#ui.peopleChanged(view); }
      default: return undefined;  // a newer server's addition
    }
  }

  #onWelcome(w) {
    if (typeof w.room !== 'string') return;
    clearTimeout(this.#ghostTimer);
    this.#ghostRetries = 0;
    const view = this.#adoptView(w.room);
    const history = Array.isArray(w.history) ? w.history : [];
    this.#joinRequest = null;
    this.#joined = true;
    this.#me = String(w.nick ?? this.#wantedNick ?? '');
    this.#wantedNick = this.#me;
    if (Number.isInteger(w.max_text_bytes) && w.max_text_bytes > 0) this.#maxTextBytes = w.max_text_bytes;
    this.#noteResume(view, w, history);
    let fresh = 0;
    for (const message of history) {
      if (this.#acceptMessage({ ...message, room: w.room }, 'resumed')) fresh += 1;
    }
    if (w.epoch != null && Number.isInteger(w.seq)) view.timeline.advance(w.epoch, w.seq);
    this.#history.joined(view, w.epoch, w.seq);
    view.showHistoryState(this.#history.stateOf(view));
    view.setPeople(w.users);
    this.#members.welcomed(view, w);
    view.joinedOnce = true;
    this.#view = view;
    this.#confirmedView = view;
    this.#settlePending(view);
    this.#conn.markHealthy();
    this.#ui.welcomed(view, { nick: this.#me, fresh });
  }

  // The welcome's room: the view we asked for, or (default room) the
  // not-yet-named view we started with.
  #adoptView(name) {
    let view = this.#rooms.get(name);
    if (!view) {
      view = this.#view.name === null ? this.#view : new RoomView(name);
      view.name = name;
      this.#rooms.set(name, view);
    }
    if (view !== this.#view) this.#ui.showView(view);
    return view;
  }

  // Says so when a reconnect could not recover everything: the server lost
  // its history (new epoch), or held too little of it to fill the gap.
  #noteResume(view, w, history) {
    const text = view.joinedOnce ? resumeLoss(view.timeline.position, w, history) : null;
    if (text) view.addLocal(render.noticeElement(text, 'warning'));
  }

  // After a welcome: confirm-or-resend what was in flight when the socket
  // dropped (the history above confirmed those the server had), send what
  // waited for the connection, give up on what was meant for another room.
  #settlePending(view) {
    for (const entry of this.#outbox.entries()) {
      if (entry.state === 'failed') continue;
      if (entry.view === view) this.#transmit(entry);
      else this.#fail(entry, `Not sent: you left ${entry.view.name ?? 'the room'} first.`);
    }
  }

  #onMessage(message) {
    const fresh = this.#acceptMessage(message, 'live') ? 1 : 0;
    const view = this.#rooms.get(message.room) ?? this.#view;
    this.#ui.contentAdded(view, { own: false, fresh });
  }

  // A page of older messages: shown above, each at most once. An answer for
  // a room or epoch no longer shown brings nothing, but ends the wait.
  #onHistory(frame) {
    const page = this.#history.answered(frame, this.#view);
    if (page === null) return;
    for (const message of page.messages) this.#acceptMessage({ ...message, room: page.room.name }, 'older');
    this.#historyIdle(page.room);
  }

  #historyIdle(view) {
    view.showHistoryState(this.#history.stateOf(view));
    this.#ui.olderShown(view);
  }

  // Shows one chat message unless it is already shown: `how` is 'live',
  // 'resumed' (a welcome's history) or 'older' (a page scrolled back to,
  // which never confirms what the user is sending now). Returns true when
  // it is new and from someone else.
  #acceptMessage(m, how) {
    if (m.epoch == null || !Number.isInteger(m.seq) || typeof m.text !== 'string') return false;
    const view = typeof m.room === 'string' ? this.#rooms.get(m.room) : this.#view;
    if (!view) return false;
    const live = how === 'live';
    // A bot's or the operator's message (origin) is never ours, whatever its name.
    const entry = how === 'older' || m.origin != null ? null : this.#outbox.confirmedBy(m, view, this.#me, live);
    if (entry) {
      this.#outbox.remove(entry);
      if (live) this.#outbox.settleDroppedBefore(entry);
    }
    const own = entry !== null || (m.origin == null && sameNick(m.from, this.#me));
    if (live) {
      view.timeline.advance(m.epoch, m.seq);
      this.#history.sawLive(view, m.epoch, m.seq);
    }
    const node = view.addMessage({ ...m, from: m.from ?? '?' }, own);
    if (node === null || own) return false;
    const badge = render.originBadge(m.origin);
    if (live && view === this.#view) this.#ui.announce(`${m.from}${badge ? ` (${badge})` : ''}: ${m.text}`);
    return true;
  }

  #onPresence(p) {
    const view = typeof p.room === 'string' ? this.#rooms.get(p.room) : this.#view;
    if (!view) return;
    const self = (nick) => sameNick(nick, this.#me) || sameNick(nick, this.#joinRequest?.nick);
    for (const text of applyPresence(view, p, self)) this.#addNotice(view, text, 'presence');
    if (p.event === 'nick' && typeof p.old_nick === 'string' && typeof p.nick === 'string') {
      const mine = sameNick(p.old_nick, this.#me);
      if (mine) [this.#me, this.#wantedNick, this.#nickRequest] = [p.nick, p.nick, null];
      if (mine) this.#ui.nickShown(p.nick, true);
      this.#addNotice(view, mine ? `You are now known as ${p.nick}` : `${p.old_nick} is now known as ${p.nick}`, 'presence');
    }
    this.#ui.peopleChanged(view);
  }

  #onError(e) {
    const code = String(e.code ?? 'error');
    const reason = typeof e.reason === 'string' ? e.reason : '';
    const text = describeError(code, localTimes(reason), this.#maxTextBytes);
    const id = e.id != null ? String(e.id) : null;
    const entry = id !== null ? this.#outbox.get(id) : undefined;
    const historyRoom = this.#history.failed(e);
    if (this.#members.failed(e)) return;
    if (historyRoom !== null) {
      this.#historyRefused(historyRoom, code);
    } else if (entry) {
      this.#fail(entry, text, isRetryable(code));
      this.#ui.contentAdded(entry.view, { own: false, fresh: 0 });
    } else if (this.#nickRequest && (id === this.#nickRequest.id || (id === null && isNickError(code)))) {
      this.#nickRequest = null;
      this.#ui.askNick(text).then((nick) => { if (nick) this.changeNick(nick); });
    } else if (this.#joinRequest && (id === this.#joinRequest.id || id === null)) {
      this.#joinRefused(code, text);
    } else {
      this.#addNotice(this.#view, text, 'warning');
    }
  }

  // The server refused our join: wait for our own stale session to let go of
  // the nick, ask for another nick, or go back from an invalid room.
  #joinRefused(code, text) {
    const request = this.#joinRequest;
    this.#joinRequest = null;
    if (code === 'nick_taken' && sameNick(request.nick, this.#heldNick) && this.#ghostRetries < GHOST_RETRIES) {
      const delay = Math.min(8000, 1000 * 2 ** this.#ghostRetries);
      this.#ghostRetries += 1;
      this.#ui.joinState('nick-held', { nick: request.nick });
      this.#ghostTimer = setTimeout(() => { if (this.#conn.isOpen && !this.#joined) this.#join(); }, delay);
    } else if (isNickError(code)) {
      this.#ui.joinState('nick-needed');
      this.#ui.askNick(text).then((nick) => {
        this.#wantedNick = nick;  // null: let the server pick a guest name
        this.#heldNick = null;
        if (this.#conn.isOpen && !this.#joined) this.#join();
      });
    } else if (code === 'invalid_room') {
      const bad = this.#view;
      this.#rooms.delete(bad.name);
      this.#view = this.#confirmedView ?? new RoomView(null);
      this.#ui.showView(this.#view);
      this.#addNotice(this.#view, `${text} (${bad.name})`, 'warning');
      if (this.#conn.isOpen) this.#join();
    } else {
      this.#addNotice(this.#view, text, 'warning');
      this.#ui.joinState('refused', { text });
    }
  }

  // A moderator removed us from a room: say who and why, offer to rejoin,
  // and join nothing by ourselves (not even after a reconnect) until asked.
  #onKicked(k) {
    const view = typeof k.room === 'string' ? this.#rooms.get(k.room) : this.#view;
    if (!view) return;
    const current = view === this.#view;
    const notice = render.kickedElement(view.name, k.by, k.reason, current ? () => this.rejoin() : null);
    view.addLocal(notice);
    if (current) {
      this.#joined = false;
      this.#kicked = true;
      this.#history.closed();
      view.setPeople([]);
      this.#ui.peopleChanged(view);
      this.#ui.joinState('kicked', { room: view.name });
    }
    this.#ui.contentAdded(view, { own: false, fresh: 0 });
    this.#ui.announce(notice.querySelector('.notice-text').textContent);
  }

  // A plugin's answer to us alone, e.g. to a command like `/hello` that is
  // not broadcast (so never confirmed): it stands in for the oldest message
  // still in flight, whose bubble goes. Should that message be broadcast
  // after all, it comes back as an ordinary message of ours.
  #onNotice(n) {
    if (typeof n.text !== 'string') return;
    const from = typeof n.from === 'string' ? n.from : '';
    const answered = this.#outbox.inFlight()[0];
    if (answered) this.#outbox.remove(answered);
    this.#addNotice(this.#view, localTimes(n.text), 'notice', from);
    this.#ui.announce(from ? `${from}: ${n.text}` : n.text);
  }

  // Our `history` request was refused: rate_limited is waited out quietly
  // (HistoryPager calls back); anything else stops paging (an older server).
  #historyRefused(view, code) {
    view.showHistoryState(this.#history.stateOf(view));
    if (code !== 'rate_limited') console.warn(`chatd: history request refused (${code})`);
  }

  // The socket is gone; a close chatd chose (4000, 4003) is said in the room.
  #onClose({ code, reason }) {
    const why = describeClose(code, typeof reason === 'string' ? reason : '');
    if (why) this.#addNotice(this.#view, why, 'warning');
    if (this.#joined) this.#heldNick = this.#me;
    this.#history.closed();
    this.#members.closed();
    this.#view.showHistoryState(this.#history.stateOf(this.#view));
    this.#joined = false;
    this.#joinRequest = null;
    this.#nickRequest = null;
    clearTimeout(this.#ghostTimer);
    this.#ui.joinState('disconnected');
  }

  #transmit(entry) {
    const sent = this.#joined && entry.view === this.#view &&
      this.#conn.send({ type: 'message', text: entry.text, id: entry.id });
    this.#outbox.setSent(entry, sent);
  }

  #fail(entry, text, retryable = false) {
    this.#outbox.fail(entry, text, retryable ? () => this.#transmit(entry) : undefined);
  }

  #addNotice(view, text, kind, from) {  // `text`, or an element made already (the help)
    view.addLocal(typeof text === 'string' ? render.noticeElement(text, kind, from) : text);
    this.#ui.contentAdded(view, { own: false, fresh: 0 });
  }
}
