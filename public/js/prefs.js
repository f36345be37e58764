// What the page remembers between visits (localStorage) and the room named in
// the URL hash (#lobby). Storage can be unavailable (privacy modes): then
// nothing is remembered and nothing breaks.
import { isValidNick, isValidRoom } from './util.js';

const NICK_KEY = 'chatd.nick';
const ROOMS_KEY = 'chatd.recentRooms';

function read(key) {
  try { return localStorage.getItem(key); } catch { return null; }
}

function write(key, value) {
  try { localStorage.setItem(key, value); } catch { /* not remembered */ }
}

export function loadNick() {
  const nick = read(NICK_KEY);
  return nick && isValidNick(nick) ? nick : null;
}

export const saveNick = (nick) => write(NICK_KEY, nick);

export function loadRecentRooms() {
  try {
    const rooms = JSON.parse(read(ROOMS_KEY) ?? '[]');
    return Array.isArray(rooms) ? rooms.filter((r) => typeof r === 'string' && isValidRoom(r)) : [];
  } catch {
    return [];
  }
}

// Puts `room` first in the remembered list (at most 8 rooms).
export function rememberRoom(room) {
  const rooms = [room, ...loadRecentRooms().filter((r) => r !== room)].slice(0, 8);
  write(ROOMS_KEY, JSON.stringify(rooms));
}

// The room in the URL hash, "" when there is none, null when it is invalid.
export function roomFromHash() {
  const raw = location.hash.replace(/^#/, '');
  if (raw === '') return '';
  let room;
  try { room = decodeURIComponent(raw); } catch { return null; }
  return isValidRoom(room) ? room : null;
}

// Shows `room` in the URL hash. `replace` keeps the history entry (used when
// the server told us the room), otherwise the back button returns to the
// previous room.
export function setHashRoom(room, replace) {
  const hash = '#' + encodeURIComponent(room);
  if (location.hash === hash) return;
  if (replace) history.replaceState(null, '', hash);
  else history.pushState(null, '', hash);
}
