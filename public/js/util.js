// Small helpers shared by the page's modules: UTF-8 length, the chatd.v1 name
// rules, and ids for the messages and requests this page sends.

// Bytes `text` takes once encoded as UTF-8 (what the server's limit counts),
// computed without allocating. A lone surrogate is sent as U+FFFD (3 bytes).
export function utf8Length(text) {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit < 0x80) bytes += 1;
    else if (unit < 0x800) bytes += 2;
    else if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length &&
             (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

// docs/protocol.md, "Names": ASCII letters, digits, _ - . (rooms also #).
const NICK_RE = /^[A-Za-z0-9_.-]{1,32}$/;
const ROOM_RE = /^[A-Za-z0-9_.#-]{1,64}$/;

export const isValidNick = (nick) => NICK_RE.test(nick);
export const isValidRoom = (room) => ROOM_RE.test(room);

// Explains what is wrong with a nick, or returns "" when it is fine.
export function nickProblem(nick) {
  if (nick.length === 0) return 'Please enter a nickname.';
  if (nick.length > 32) return 'At most 32 characters.';
  if (!isValidNick(nick)) return 'Only letters, digits, _ - and . are allowed.';
  return '';
}

// Explains what is wrong with a room name, or returns "" when it is fine.
export function roomProblem(room) {
  if (room.length === 0) return 'Please enter a room name.';
  if (room.length > 64) return 'At most 64 characters.';
  if (!isValidRoom(room)) return 'Only letters, digits, _ - . and # are allowed.';
  return '';
}

// Page-unique ids ("k3f9x2-17"): a random prefix per page load plus a counter,
// well under the protocol's 64-character limit.
const idPrefix = (() => {
  const bytes = crypto.getRandomValues(new Uint32Array(2));
  return bytes[0].toString(36) + bytes[1].toString(36);
})();
let idCounter = 0;
export function newId() {
  idCounter += 1;
  return `${idPrefix}-${idCounter}`;
}

// Case-insensitive comparison key for nicks (uniqueness rule of the server).
export const foldNick = (nick) => nick.toLowerCase();
