// "Here now": how many people are in the room and who they are.
import { foldNick } from './util.js';

export function renderPeople({ list, counts }, view, me) {
  const people = view.people;
  const items = people.map((nick) => {
    const item = document.createElement('li');
    item.textContent = nick;
    if (me && foldNick(nick) === foldNick(me)) {
      item.className = 'me';
      const you = document.createElement('span');
      you.className = 'you';
      you.textContent = ' (you)';
      item.append(you);
    }
    return item;
  });
  // A big room's list holds the names loaded so far (js/presence.js).
  const unlisted = view.count - items.length;
  if (unlisted > 0) {
    const more = document.createElement('li');
    more.className = 'more';
    more.textContent = `and ${unlisted} more…`;
    items.push(more);
  }
  list.replaceChildren(...items);
  const count = String(view.count);
  for (const node of counts) node.textContent = count;
}

// "X left", or that a moderator made X leave (presence `reason`, protocol 1.1).
export function leaveText(presence) {
  if (presence.reason === 'kicked') return `${presence.nick} was removed by a moderator`;
  if (presence.reason === 'banned') return `${presence.nick} was banned`;
  return `${presence.nick} left`;
}
