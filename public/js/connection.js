// The WebSocket to chatd: opens it with the chatd.v1 sub-protocol, hands
// every parsed frame on, and reconnects with backoff when it drops.
//
// Events (EventTarget):
//   state  detail {state: 'connecting' | 'open' | 'waiting' | 'offline' | 'stopped', delay?, reason?}
//   open   the socket is open (send `join` now)
//   frame  detail: one parsed server object
//   close  detail {code, reason}: the socket is gone (a reconnect follows,
//          except after 4003: 'stopped' until the user asks again)
//
// Close 4003 (banned) stops reconnecting: the protocol forbids coming back by
// itself. After 4000 (an operator's disconnect) the page does reconnect, with
// the usual backoff: that close says "go away now", not "stay away" (that is
// what a ban is for, and a banned address would get 4003 or a 403 anyway),
// and a page that silently stayed dead would look broken to its user.
import { backoffDelay } from './backoff.js';
import { CLOSE_BANNED } from './errors.js';

export const SUBPROTOCOL = 'chatd.v1';

// ws:// or wss:// URL of `path`, resolved against the page's own address.
export function websocketUrl(path) {
  const url = new URL(path, document.baseURI);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.hash = '';
  return url.href;
}

export class Connection extends EventTarget {
  #url;
  #ws = null;
  #attempt = 0;   // failed attempts since the last healthy session
  #timer = 0;
  #offline = false;
  #stopped = null;  // {reason} of a 4003 close: no reconnect until the user asks

  constructor(url) {
    super();
    this.#url = url;
    window.addEventListener('offline', () => this.#goOffline());
    window.addEventListener('online', () => this.#goOnline());
  }

  get isOpen() { return this.#ws !== null && this.#ws.readyState === WebSocket.OPEN; }

  start() {
    this.#offline = navigator.onLine === false;
    if (this.#offline) this.#emitState('offline');
    else this.#connect();
  }

  // Sends one object as a JSON text frame; false when there is no open socket.
  send(object) {
    if (!this.isOpen) return false;
    this.#ws.send(JSON.stringify(object));
    return true;
  }

  // The server accepted us (welcome): the next drop starts backoff afresh.
  markHealthy() { this.#attempt = 0; }

  // Skips the rest of the current backoff wait. After a ban (4003) only the
  // user's own request (`byUser`, the Retry button) connects again.
  reconnectNow(byUser = false) {
    if (this.#ws !== null || this.#offline || (this.#stopped !== null && !byUser)) return;
    this.#stopped = null;
    clearTimeout(this.#timer);
    this.#connect();
  }

  #connect() {
    this.#timer = 0;
    this.#emitState('connecting');
    let ws;
    try {
      ws = new WebSocket(this.#url, SUBPROTOCOL);
    } catch (error) {
      console.warn('chatd: cannot open the WebSocket:', error);
      this.#scheduleRetry();
      return;
    }
    this.#ws = ws;
    ws.addEventListener('open', () => {
      if (this.#ws !== ws) return;
      this.#emitState('open');
      this.dispatchEvent(new Event('open'));
    });
    ws.addEventListener('message', (event) => {
      if (this.#ws === ws) this.#onData(event.data);
    });
    ws.addEventListener('close', (event) => {
      if (this.#ws !== ws) return;  // we dropped it ourselves (offline)
      this.#ws = null;
      this.#stopped = event.code === CLOSE_BANNED ? { reason: event.reason } : null;
      this.dispatchEvent(new CustomEvent('close', { detail: { code: event.code, reason: event.reason } }));
      if (this.#stopped !== null) this.#emitStopped();
      else this.#scheduleRetry();
    });
  }

  #onData(data) {
    if (typeof data !== 'string') return;  // chatd.v1 sends text frames only
    let frame;
    try {
      frame = JSON.parse(data);
    } catch {
      console.warn('chatd: ignoring a frame that is not JSON');
      return;
    }
    if (frame !== null && typeof frame === 'object' && typeof frame.type === 'string') {
      this.dispatchEvent(new CustomEvent('frame', { detail: frame }));
    }
  }

  #scheduleRetry() {
    if (this.#offline) {
      this.#emitState('offline');
      return;
    }
    const delay = backoffDelay(this.#attempt);
    this.#attempt += 1;
    this.#timer = setTimeout(() => this.#connect(), delay);
    this.#emitState('waiting', delay);
  }

  // The browser says the network is gone: drop the socket now rather than
  // wait for TCP to notice, and do not retry until it is back.
  #goOffline() {
    this.#offline = true;
    clearTimeout(this.#timer);
    const ws = this.#ws;
    if (ws !== null) {
      this.#ws = null;
      ws.close(1000, 'offline');
      this.dispatchEvent(new CustomEvent('close', { detail: { code: 1000, reason: 'offline' } }));
    }
    this.#emitState('offline');
  }

  #goOnline() {
    if (!this.#offline) return;
    this.#offline = false;
    this.#attempt = 0;
    if (this.#stopped !== null) this.#emitStopped();
    else if (this.#ws === null) this.#connect();
  }

  #emitStopped() {
    this.dispatchEvent(new CustomEvent('state', { detail: { state: 'stopped', reason: this.#stopped.reason } }));
  }

  #emitState(state, delay) {
    this.dispatchEvent(new CustomEvent('state', { detail: { state, delay } }));
  }
}
