// DOM for the conversation: messages, the user's own unconfirmed messages,
// their errors, and notices. User data only ever goes through textContent.

const NICK_COLOURS = 8;

// A stable colour class for a nick, so people are told apart at a glance.
function nickColourClass(nick) {
  let hash = 0;
  for (let i = 0; i < nick.length; i++) hash = (hash * 31 + nick.charCodeAt(i)) >>> 0;
  return `nick-c${hash % NICK_COLOURS}`;
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

const timeOnly = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const dateAndTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const fullStamp = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'medium' });

// "14:05" for today, "12 Mar 2025, 14:05" otherwise.
export function formatTime(date, now = new Date()) {
  return date.toDateString() === now.toDateString() ? timeOnly.format(date) : dateAndTime.format(date);
}

function timeElement(ts) {
  const date = new Date(typeof ts === 'number' ? ts : Date.now());
  const node = element('time', 'msg-time', formatTime(date));
  node.dateTime = date.toISOString();
  node.title = fullStamp.format(date);
  return node;
}

// Badge words for a message's `origin` (protocol 1.1): what no member's nick
// can look like, since a member's message never has an origin.
const ORIGIN_BADGES = { plugin: 'bot', admin: 'admin' };

// The badge of `origin`, or null for a member's message (no origin).
export function originBadge(origin) {
  if (origin === undefined || origin === null) return null;
  return ORIGIN_BADGES[origin] ?? String(origin);
}

// `origin` set: a bot's or the operator's message, styled apart from every
// member's (no nick colour, a badge after the name, class msg-origin).
function messageShell(from, ts, own, origin) {
  const badge = originBadge(origin);
  const item = element('li', badge !== null ? 'msg msg-origin' : own ? 'msg own' : 'msg');
  const meta = element('div', 'msg-meta');
  if (badge !== null) {
    item.dataset.origin = ORIGIN_BADGES[origin] ? origin : 'other';
    meta.append(element('span', 'msg-nick', from), document.createTextNode(' '),
      element('span', 'msg-badge', badge));
  } else {
    meta.append(element('span', `msg-nick ${nickColourClass(from)}`, from));
  }
  meta.append(document.createTextNode(' '), timeElement(ts));
  item.append(meta);
  return item;
}

// The text of a message; dir=auto lets right-to-left text read right.
function textElement(text) {
  const node = element('p', 'msg-text', text);
  node.dir = 'auto';
  return node;
}

// A confirmed chat message {from, text, ts, epoch, seq, origin?}: live,
// from a welcome's history or a page scrolled back to, all drawn here.
export function messageElement(message, own) {
  const item = messageShell(String(message.from), message.ts, own, message.origin);
  item.dataset.state = 'sent';
  item.dataset.epoch = String(message.epoch);
  item.dataset.seq = String(message.seq);
  item.append(textElement(String(message.text)));
  return item;
}

const STATE_TEXT = {
  queued: 'Waiting for the connection…',
  sending: 'Sending…',
};

// The user's own message before the server confirmed it.
export function pendingElement(text, nick) {
  const item = messageShell(nick, Date.now(), true);
  item.classList.add('unconfirmed');
  item.append(textElement(text));
  item.append(element('p', 'msg-status'));
  setPendingState(item, 'queued');
  return item;
}

export function setPendingState(item, state) {
  item.dataset.state = state;
  const status = item.querySelector('.msg-status');
  if (status) status.textContent = STATE_TEXT[state] ?? '';
}

// Marks the user's message as refused and says why, right under it.
// `onRetry` (optional) adds a Retry button.
export function showMessageError(item, text, onRetry) {
  item.classList.remove('unconfirmed');
  item.classList.add('failed');
  item.dataset.state = 'failed';
  item.querySelector('.msg-status')?.remove();
  item.querySelector('.msg-error')?.remove();
  const error = element('p', 'msg-error');
  error.setAttribute('role', 'alert');
  error.append(element('span', 'msg-error-text', text));
  if (onRetry) {
    const retry = element('button', 'link-button', 'Retry');
    retry.type = 'button';
    retry.addEventListener('click', () => {
      error.remove();
      item.classList.remove('failed');
      item.classList.add('unconfirmed');
      item.append(element('p', 'msg-status'));
      onRetry();
    }, { once: true });
    error.append(document.createTextNode(' '), retry);
  }
  item.append(error);
}

// A line from the system: joins, leaves, renames, plugin notices, dividers.
// kind: 'presence' | 'info' | 'warning' | 'notice'
export function noticeElement(text, kind = 'info', from) {
  const item = element('li', `notice notice-${kind}`);
  if (from) item.append(element('span', 'notice-from', `${from}: `));
  item.append(element('span', 'notice-text', text));
  item.append(document.createTextNode(' '), timeElement(Date.now()));
  return item;
}

// The notice of a `kicked` event (protocol 1.1): where from, by whom, why;
// with a Rejoin button calling `onRejoin` when given.
export function kickedElement(room, by, reason, onRejoin) {
  const who = typeof by === 'string' && by ? by : 'a moderator';
  const why = typeof reason === 'string' && reason ? `: ${reason}` : '.';
  const label = String(room).startsWith('#') ? room : `#${room}`;
  const item = noticeElement(`You were removed from ${label} by ${who}${why}`, 'warning');
  item.classList.add('notice-kicked');
  if (onRejoin) addNoticeButton(item, 'Rejoin', onRejoin);
  return item;
}

// Adds a button to a notice (e.g. "Rejoin"); it is used once, then goes.
export function addNoticeButton(item, label, onClick) {
  const button = element('button', 'link-button notice-action', label);
  button.type = 'button';
  button.addEventListener('click', () => {
    button.remove();
    onClick();
  }, { once: true });
  item.querySelector('.notice-text').after(document.createTextNode(' '), button);
  return button;
}

const HISTORY_EDGE_TEXT = {
  loading: 'Loading older messages…',
  done: 'Beginning of the conversation',
};

// The first item of a room's list: where older messages appear. It keeps
// its height in every state so that its text coming and going moves nothing.
export function historyEdgeElement() {
  const item = element('li', 'history-edge');
  setHistoryEdge(item, 'idle');
  return item;
}

export function setHistoryEdge(item, state) {
  const text = HISTORY_EDGE_TEXT[state] ?? '';
  item.dataset.state = text ? state : 'idle';
  item.textContent = text;
  if (text) item.removeAttribute('aria-hidden');
  else item.setAttribute('aria-hidden', 'true');
}
