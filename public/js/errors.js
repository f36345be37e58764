// Words for the server's error codes (docs/protocol.md, "Error codes"), shown next
// to the message or in the dialog the error concerns.

const TITLES = {
  too_large: 'Not sent — too long',
  rate_limited: 'Not sent — you are sending too fast',
  rejected: 'Not sent — rejected',
  nick_taken: 'That nickname is already taken here',
  invalid_nick: 'That nickname is not allowed',
  invalid_room: 'That room name is not allowed',
  bad_request: 'The server did not understand the request',
  forbidden: 'You may not join this room',
  nick_locked: 'Your sign-in fixes your nickname',
  room_full: 'That room is full',
  too_many_rooms: 'The server cannot open another room',
  muted: 'Not sent — muted',
  banned: 'You are banned from this room',
};

// One readable sentence for an error frame's `code` and `reason`.
export function describeError(code, reason, maxTextBytes) {
  const title = TITLES[code] ?? `Error (${code})`;
  if (reason) return `${title}: ${reason}`;
  if (code === 'too_large' && maxTextBytes) return `${title}: the limit is ${maxTextBytes} bytes.`;
  return `${title}.`;
}

// Codes where sending the same thing again later can work.
export const isRetryable = (code) => code === 'rate_limited';

// Codes that concern the nick of a join or nick request.
export const isNickError = (code) => code === 'nick_taken' || code === 'invalid_nick';

// Close codes chatd chooses (docs/protocol.md, "Close codes"): 4000 an
// operator (or a plugin) disconnected us, 4003 we are banned.
export const CLOSE_DISCONNECTED = 4000;
export const CLOSE_BANNED = 4003;

// One readable sentence for a close chatd chose, or null for any other close
// (a dropped network, a restart: the status line says enough then).
export function describeClose(code, reason) {
  const why = reason ? `: ${reason}` : '.';
  if (code === CLOSE_BANNED) return `You were banned from this server${why}`;
  if (code === CLOSE_DISCONNECTED) return `You were disconnected by the server's operator${why}`;
  return null;
}
