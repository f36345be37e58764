// chatd's web page: wires the connection, the chat session and the page's
// controls together. The protocol logic lives in js/client.js; this file
// only shows state and forwards what the user does.
import { Connection, websocketUrl } from './js/connection.js';
import { ChatClient } from './js/client.js';
import { Composer } from './js/composer.js';
import { StickyScroll } from './js/scroll.js';
import { ValueDialog } from './js/dialogs.js';
import { renderPeople } from './js/people.js';
import { noticeElement } from './js/render.js';
import { nickProblem, roomProblem } from './js/util.js';
import * as prefs from './js/prefs.js';

const $ = (id) => document.getElementById(id);

const el = {
  log: $('log'),
  roomName: $('room-name'),
  roomButton: $('room-button'),
  nickName: $('nick-name'),
  nickButton: $('nick-button'),
  status: $('status'),
  statusText: $('status-text'),
  retry: $('retry-button'),
  peopleToggle: $('people-toggle'),
  people: { list: $('people-list'), counts: [$('people-count'), $('people-count-badge')] },
  peoplePanel: $('people'),
  announcer: $('announcer'),
  recentRooms: $('recent-rooms'),
};

const roomLabel = (name) => (name === null ? '…' : name.startsWith('#') ? name : `#${name}`);

let client = null;
let chosenNick = prefs.loadNick();   // the nick the user picked (saved once the server accepts it)
let unread = 0;                      // messages that arrived while the tab was hidden

const scroll = new StickyScroll(el.log, $('jump-button'));
const composer = new Composer({
  form: $('composer'),
  input: $('composer-input'),
  counter: $('composer-counter'),
  onSend: (text) => client.send(text),
});
scroll.onTop = () => client.loadOlder();
const nickDialog = new ValueDialog($('nick-dialog'), nickProblem);
const roomDialog = new ValueDialog($('room-dialog'), roomProblem);

function setStatus(state, text, canRetry = false) {
  el.status.dataset.state = state;
  el.statusText.textContent = text;
  el.retry.hidden = !canRetry;
}

// A big room lists its first names only: the rest is paged in while the
// people panel (when shown) is scrolled to its end (js/presence.js).
function loadPeopleAtEnd() {
  const panel = el.peoplePanel;
  if (!client?.hasMorePeople || panel.offsetParent === null) return;
  if (panel.scrollTop + panel.clientHeight >= panel.scrollHeight - 40) client.loadMorePeople();
}

function updateTitle() {
  const room = client?.view.name;
  const base = room ? `${roomLabel(room)} — chatd` : 'chatd';
  document.title = unread > 0 ? `(${unread}) ${base}` : base;
}

// What the chat session tells the page (see js/client.js).
const ui = {
  showView(view) {
    el.log.replaceChildren(view.list);
    el.roomName.textContent = roomLabel(view.name);
    composer.placeholder = view.name ? `Message ${roomLabel(view.name)}` : 'Message';
    renderPeople(el.people, view, client?.nick);
    scroll.follow(view.list);
    updateTitle();
  },
  welcomed(view, { nick, fresh }) {
    prefs.setHashRoom(view.name, true);
    prefs.rememberRoom(view.name);
    if (nick === chosenNick) prefs.saveNick(nick);
    el.nickName.textContent = nick;
    el.roomName.textContent = roomLabel(view.name);
    composer.placeholder = `Message ${roomLabel(view.name)}`;
    composer.limit = client.maxTextBytes;
    renderPeople(el.people, view, nick);
    setStatus('online', 'Connected');
    document.body.classList.remove('is-disconnected');
    scroll.contentAdded({ own: false, fresh });
    updateTitle();
    if (scroll.atTop) client.loadOlder();
    loadPeopleAtEnd();
  },
  contentAdded(view, change) {
    if (view !== client.view) return;
    scroll.contentAdded(change);
    if (change.fresh > 0 && document.hidden) {
      unread += change.fresh;
      updateTitle();
    }
  },
  // A page of older messages is shown above (the reader's place kept), or
  // the request ended otherwise: more if the reader is still at the top.
  olderShown(view) {
    if (view === client.view) scroll.contentAdded({ own: false, fresh: 0 });
    if (scroll.atTop) client.loadOlder();
  },
  peopleChanged(view) {
    if (view === client.view) renderPeople(el.people, view, client.nick);
    loadPeopleAtEnd();
  },
  nickShown(nick, confirmed) {
    el.nickName.textContent = nick;
    if (confirmed) {
      chosenNick = nick;
      prefs.saveNick(nick);
      renderPeople(el.people, client.view, nick);
    }
  },
  joinState(state, info) {
    document.body.classList.toggle('is-disconnected', state === 'disconnected');
    if (state === 'joining') setStatus('connecting', 'Joining…');
    else if (state === 'nick-held') setStatus('connecting', `Joining… waiting for the server to release “${info.nick}”`);
    else if (state === 'nick-needed') setStatus('connecting', 'Choose another nickname to join');
    else if (state === 'kicked') setStatus('offline', `Removed from ${roomLabel(info.room)} — not in a room`);
    else if (state === 'refused') setStatus('offline', info.text);
  },
  askNick(error) {
    return nickDialog.ask({ value: client.nick ?? '', error }).then((nick) => {
      if (nick) chosenNick = nick;
      return nick;
    });
  },
  announce(text) {
    const line = document.createElement('p');
    line.textContent = text;
    el.announcer.append(line);
    while (el.announcer.childElementCount > 5) el.announcer.firstElementChild.remove();
  },
};

function onConnectionState({ state, delay, reason }) {
  if (state === 'connecting') setStatus('connecting', 'Connecting…');
  else if (state === 'open') setStatus('connecting', 'Joining…');
  else if (state === 'offline') setStatus('offline', 'Offline — waiting for the network');
  else if (state === 'stopped') setStatus('offline', `Banned${reason ? `: ${reason}` : ''} — not reconnecting`, true);
  else if (state === 'waiting') {
    const seconds = Math.max(1, Math.round(delay / 1000));
    setStatus('offline', `Disconnected — retrying in ${seconds} s`, true);
  }
}

function fillRecentRooms() {
  const options = prefs.loadRecentRooms().map((room) => {
    const option = document.createElement('option');
    option.value = room;
    return option;
  });
  el.recentRooms.replaceChildren(...options);
}

function switchRoom(room) {
  if (room === client.view.name) return;
  prefs.setHashRoom(room, false);
  client.switchRoom(room);
  composer.focus();
}

function setPeopleOpen(open) {
  document.body.classList.toggle('people-open', open);
  el.peopleToggle.setAttribute('aria-expanded', String(open));
}

function wireControls(conn) {
  conn.addEventListener('state', (event) => onConnectionState(event.detail));
  el.retry.addEventListener('click', () => conn.reconnectNow(true));
  el.nickButton.addEventListener('click', async () => {
    const nick = await nickDialog.ask({ value: client.nick ?? '' });
    if (nick) {
      chosenNick = nick;
      client.changeNick(nick);
    }
    composer.focus();
  });
  el.roomButton.addEventListener('click', async () => {
    fillRecentRooms();
    const room = await roomDialog.ask({ value: client.view.name ?? '' });
    if (room) switchRoom(room);
    else composer.focus();
  });
  el.peopleToggle.addEventListener('click', () => {
    setPeopleOpen(!document.body.classList.contains('people-open'));
    loadPeopleAtEnd();
  });
  el.peoplePanel.addEventListener('scroll', loadPeopleAtEnd, { passive: true });
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && document.body.classList.contains('people-open')) {
      setPeopleOpen(false);
      el.peopleToggle.focus();
    }
  });
  const followHash = () => {
    const room = prefs.roomFromHash();
    if (room && room !== client.view.name) client.switchRoom(room);
  };
  window.addEventListener('hashchange', followHash);
  window.addEventListener('popstate', followHash);
  document.addEventListener('visibilitychange', () => {
    if (document.hidden) return;
    conn.reconnectNow();  // back from the background: skip the rest of a backoff wait
    if (unread > 0) {
      unread = 0;
      updateTitle();
    }
  });
}

async function main() {
  const path = document.querySelector('meta[name="chatd-websocket-path"]')?.content || 'ws';
  const conn = new Connection(websocketUrl(path));
  const hashRoom = prefs.roomFromHash();
  client = new ChatClient(conn, ui, { nick: chosenNick, room: hashRoom || null });
  wireControls(conn);
  ui.showView(client.view);
  if (hashRoom === null) {
    client.view.addLocal(noticeElement('The room in the address is not a valid room name; joining the default room.', 'warning'));
  }
  el.nickName.textContent = chosenNick ?? 'guest';
  if (!chosenNick) {
    const nick = await nickDialog.ask();
    if (nick) {
      chosenNick = nick;
      client.changeNick(nick);
    }
  }
  conn.start();
  // On phones focusing would pop the keyboard up over the conversation.
  if (!matchMedia('(pointer: coarse)').matches) composer.focus();
}

main();
