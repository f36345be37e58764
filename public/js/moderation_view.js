// Moderation as the page shows it beyond render.js and errors.js: `/help`,
// answered on the page and never sent (the page's own command and the
// moderation plugin's, marked as needing the moderator role), and the times
// the moderation plugin writes (ISO 8601 in UTC, "muted ... until
// 2026-12-07T14:05:00Z") shown in the reader's local time.
import { formatTime, noticeElement } from './render.js';

// [command, what it does]; the moderators' need a sign-in token with the
// moderator role (the server answers anyone else with `rejected`).
export const HELP_FOR_EVERYONE = [
  ['/help', 'this list (stays on your screen, nothing is sent)'],
];
export const HELP_FOR_MODERATORS = [
  ['/kick nick [reason]', 'remove nick from this room (they may rejoin)'],
  ['/mute nick [10m|2h|1d|forever] [reason]', 'refuse nick\'s messages in this room'],
  ['/unmute nick', 'lift a mute'],
  ['/ban nick|address [10m|1d|forever] [reason]', 'remove from this room and keep out'],
  ['/unban nick|address', 'lift a ban'],
  ['/bans, /mutes', 'what is in force here'],
];
export const MODERATOR_NOTE = 'Moderators only (your sign-in must give you the moderator role):';

// True for what the user typed when it asks for the help.
export const isHelpCommand = (text) => /^\/help$/i.test(String(text).trim());

// The help as lines of text (what helpElement shows, and what is announced).
export function helpLines() {
  const line = ([command, what]) => `${command} — ${what}`;
  return ['Commands:', ...HELP_FOR_EVERYONE.map(line), MODERATOR_NOTE, ...HELP_FOR_MODERATORS.map(line)];
}

// The help as a notice in the room's log: a title and two lists.
export function helpElement() {
  const item = noticeElement('Commands:', 'help');
  const list = (rows) => {
    const ul = document.createElement('ul');
    ul.className = 'help-list';
    for (const [command, what] of rows) {
      const li = document.createElement('li');
      const code = document.createElement('code');
      code.textContent = command;
      li.append(code, ` — ${what}`);
      ul.append(li);
    }
    return ul;
  };
  const note = document.createElement('p');
  note.className = 'help-note';
  note.textContent = MODERATOR_NOTE;
  item.querySelector('.notice-text').after(list(HELP_FOR_EVERYONE), note, list(HELP_FOR_MODERATORS));
  return item;
}

const ISO_UTC = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z\b/g;

// `text` with every UTC time in it written in local time ("until 14:05"
// today, "until 8 Dec 2026, 09:00" another day); other text unchanged.
export function localTimes(text, now = new Date()) {
  return String(text).replace(ISO_UTC, (iso) => {
    const date = new Date(iso);
    return Number.isNaN(date.getTime()) ? iso : formatTime(date, now);
  });
}
