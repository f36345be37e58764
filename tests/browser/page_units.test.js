// The page's pure modules, in Node without a browser: the Timeline that keeps
// a room's messages ordered and unique across reconnects and restarts, the
// HistoryPager that scrolls back through a room page by page, the reconnect
// backoff, UTF-8 byte counting and the name rules; the words and badges of
// moderation (protocol 1.1), big rooms' presence batches and member pages
// (protocol 1.1), and the Connection's reconnect rules against a
// fake WebSocket (4003: never by itself).
import { describe, it, beforeEach, afterEach, mock } from 'node:test';
import assert from 'node:assert/strict';
import { Timeline, resumeLoss } from '../../public/js/timeline.js';
import { HistoryPager, PAGE_SIZE, retryDelay } from '../../public/js/history.js';
import { backoffDelay, BACKOFF_BASE_MS, BACKOFF_CAP_MS } from '../../public/js/backoff.js';
import { utf8Length, isValidNick, isValidRoom, nickProblem, roomProblem, newId } from '../../public/js/util.js';
import { describeError, describeClose } from '../../public/js/errors.js';
import { originBadge } from '../../public/js/render.js';
import { leaveText } from '../../public/js/people.js';
import { Connection } from '../../public/js/connection.js';
import { applyPresence, batchNotices, MemberPager } from '../../public/js/presence.js';

// Inserts (epoch, seq) pairs and returns the held order as "epoch:seq".
function order(timeline, positions) {
  const held = [];
  for (const [epoch, seq] of positions) {
    const value = `${epoch}:${seq}`;
    const placed = timeline.insert({ epoch, seq }, value);
    if (placed === null) continue;
    const at = placed.next === null ? held.length : held.indexOf(placed.next);
    held.splice(at, 0, value);
  }
  return held;
}

describe('Timeline', () => {
  it('holds each (epoch, seq) once', () => {
    const t = new Timeline();
    assert.notEqual(t.insert({ epoch: 'a', seq: 1 }, 'x'), null);
    assert.equal(t.insert({ epoch: 'a', seq: 1 }, 'y'), null, 'a duplicate is refused');
    assert.notEqual(t.insert({ epoch: 'b', seq: 1 }, 'z'), null, 'same seq, other epoch is another message');
    assert.equal(t.size, 2);
  });

  it('orders by seq within an epoch, filling gaps in place', () => {
    assert.deepEqual(order(new Timeline(), [['a', 1], ['a', 4], ['a', 2], ['a', 3], ['a', 2]]),
      ['a:1', 'a:2', 'a:3', 'a:4']);
  });

  it('puts a new epoch after everything of the old one (a restarted server starts at seq 1)', () => {
    assert.deepEqual(order(new Timeline(), [['old', 7], ['old', 8], ['new', 1], ['old', 9], ['new', 2], ['new', 1]]),
      ['old:7', 'old:8', 'old:9', 'new:1', 'new:2']);
  });

  it('moves the resume position forward only, and adopts a new epoch', () => {
    const t = new Timeline();
    assert.equal(t.position, null);
    t.advance('a', 5);
    t.advance('a', 3);
    assert.deepEqual(t.position, { epoch: 'a', seq: 5 });
    t.advance('b', 1);
    assert.deepEqual(t.position, { epoch: 'b', seq: 1 });
  });
});

describe('Timeline.runStart', () => {
  it('is the oldest seq of the unbroken run that ends with the newest of an epoch', () => {
    const t = new Timeline();
    assert.equal(t.runStart('a'), null, 'nothing held');
    order(t, [['old', 3], ['old', 4], ['a', 2], ['a', 3], ['a', 7], ['a', 8], ['a', 9]]);
    assert.equal(t.runStart('a'), 7, 'a gap (4–6) ends the run');
    assert.equal(t.runStart('old'), 3);
    assert.equal(t.runStart('unknown'), null);
    order(t, [['a', 6], ['a', 5], ['a', 4]]);
    assert.equal(t.runStart('a'), 2, 'the gap filled');
  });

  it('says when an inserted message is the oldest held', () => {
    const t = new Timeline();
    assert.equal(t.insert({ epoch: 'a', seq: 5 }, 'x').oldest, true);
    assert.equal(t.insert({ epoch: 'a', seq: 6 }, 'y').oldest, false);
    assert.equal(t.insert({ epoch: 'a', seq: 2 }, 'z').oldest, true);
  });
});

describe('resumeLoss', () => {
  const at = { epoch: 'a', seq: 5 };
  it('is silent when nothing was lost', () => {
    assert.equal(resumeLoss(null, { epoch: 'a', seq: 9 }, []), null, 'first join');
    assert.equal(resumeLoss(at, { epoch: 'a', seq: 9, recovered: true }, []), null);
    assert.equal(resumeLoss(at, { epoch: 'a', seq: 7 }, [{ seq: 6 }, { seq: 7 }]), null);
    assert.equal(resumeLoss(at, { epoch: 'a', seq: 5 }, []), null);
  });
  it('says a restart or a gap', () => {
    assert.match(resumeLoss(at, { epoch: 'b', seq: 1 }, []), /server restarted/);
    assert.match(resumeLoss(at, { epoch: 'a', seq: 9 }, [{ seq: 8 }, { seq: 9 }]), /could not be recovered/);
    assert.match(resumeLoss(at, { epoch: 'a', seq: 9 }, []), /could not be recovered/);
  });
});

// A HistoryPager over fake rooms ({name, timeline}) with fake timers.
function pagerFixture() {
  const timers = [];
  const ready = [];
  let ids = 0;
  const pager = new HistoryPager({
    newId: () => `h${++ids}`,
    onReady: (room) => ready.push(room.name),
    timers: {
      set: (fn, ms) => { timers.push({ fn, ms, cleared: false }); return timers.length - 1; },
      clear: (handle) => { timers[handle].cleared = true; },
    },
  });
  const room = (name, epoch, seqs) => {
    const r = { name, timeline: new Timeline() };
    for (const seq of seqs) r.timeline.insert({ epoch, seq }, seq);
    return r;
  };
  const messages = (epoch, from, to) => Array.from({ length: to - from + 1 }, (_, i) => ({ epoch, seq: from + i }));
  // Asks for the next page, "sends" it, and returns the request.
  const ask = (r) => {
    const request = pager.nextRequest(r);
    if (request !== null) pager.sent(r, request);
    return request;
  };
  // Shows an answer's messages the way the page does.
  const show = (page) => { for (const m of page?.messages ?? []) page.room.timeline.insert(m, m.seq); };
  return { pager, timers, ready, room, messages, ask, show };
}

describe('HistoryPager', () => {
  it('pages back below the oldest message shown until `more` is false', () => {
    const { pager, room, messages, ask, show } = pagerFixture();
    const lobby = room('lobby', 'e1', messages('e1', 81, 120).map((m) => m.seq));  // the welcome's
    pager.joined(lobby, 'e1', 120);
    assert.equal(pager.stateOf(lobby), 'idle');
    const first = ask(lobby);
    assert.deepEqual(first, { type: 'history', limit: PAGE_SIZE, id: 'h1', before: 81 });
    assert.equal(pager.stateOf(lobby), 'loading');
    show(pager.answered({ type: 'history', room: 'lobby', epoch: 'e1', messages: messages('e1', 31, 80), more: true, id: 'h1' }, lobby));
    assert.equal(ask(lobby).before, 31);
    show(pager.answered({ type: 'history', room: 'lobby', epoch: 'e1', messages: messages('e1', 1, 30), more: false, id: 'h2' }, lobby));
    assert.equal(pager.stateOf(lobby), 'done');
    assert.equal(ask(lobby), null, 'nothing is asked for once the beginning is shown');
    assert.equal(lobby.timeline.size, 120);
  });

  it('never has two requests in flight on one connection', () => {
    const { pager, room, ask } = pagerFixture();
    const a = room('a', 'e', [50]);
    const b = room('b', 'e', [70]);
    pager.joined(a, 'e', 50);
    pager.joined(b, 'e', 70);
    assert.notEqual(ask(a), null);
    assert.equal(ask(a), null, 'same room');
    assert.equal(ask(b), null, 'another room');
    pager.closed();
    assert.notEqual(ask(b), null, 'a dropped connection forgets what was in flight');
  });

  it('knows the beginning without asking: seq 1 shown, or an empty room', () => {
    const { pager, room } = pagerFixture();
    const fresh = room('fresh', 'e', [1, 2, 3]);
    const empty = room('empty', 'e', []);
    const gap = room('gap', 'e', [1, 2, 9, 10]);
    pager.joined(fresh, 'e', 3);
    pager.joined(empty, 'e', 0);
    pager.joined(gap, 'e', 10);
    assert.equal(pager.stateOf(fresh), 'done');
    assert.equal(pager.stateOf(empty), 'done');
    assert.equal(pager.stateOf(gap), 'idle', 'a gap left by a reconnect is filled from above');
    assert.equal(pager.nextRequest(gap).before, 9);
    assert.equal(pager.stateOf(room('unjoined', 'e', [5])), 'unknown');
  });

  it('asks for the newest page when nothing of the epoch is shown', () => {
    const { pager, room, ask } = pagerFixture();
    const r = room('r', 'old-epoch', [4, 5]);
    pager.joined(r, 'new-epoch', 40);
    assert.equal('before' in ask(r), false);
  });

  it('ignores an answer for another room or epoch than the one shown, and one that is not ours', () => {
    const { pager, room, messages, ask, show } = pagerFixture();
    const a = room('a', 'e1', [60]);
    const b = room('b', 'e1', [30]);
    pager.joined(a, 'e1', 60);
    pager.joined(b, 'e1', 30);
    ask(a);
    assert.equal(pager.answered({ type: 'history', room: 'a', epoch: 'e1', messages: messages('e1', 10, 59), more: true, id: 'other' }, a),
      null, 'another id');
    // The reader switched to b before the answer came.
    const stale = pager.answered({ type: 'history', room: 'a', epoch: 'e1', messages: messages('e1', 10, 59), more: true, id: 'h1' }, b);
    assert.deepEqual(stale, { room: a, messages: [] });
    show(stale);
    assert.equal(a.timeline.size, 1);
    assert.equal(ask(a).before, 60, 'the page not shown is asked for again later');
    // The epoch changed (the room's history was lost) while waiting.
    pager.sawLive(a, 'e2', 1);
    assert.deepEqual(pager.answered({ type: 'history', room: 'a', epoch: 'e1', messages: messages('e1', 10, 59), more: true, id: 'h2' }, a).messages, []);
  });

  it('waits out rate_limited as long as the server says, then calls back', () => {
    const { pager, room, timers, ready, ask } = pagerFixture();
    const r = room('r', 'e', [90]);
    pager.joined(r, 'e', 90);
    ask(r);
    assert.equal(pager.failed({ type: 'error', code: 'rate_limited', reason: 'too many history requests; the next is allowed in 180 ms', id: 'h1' }), r);
    assert.equal(pager.stateOf(r), 'loading', 'still loading while waiting: no error shown');
    assert.equal(ask(r), null, 'nothing is sent while waiting');
    assert.equal(timers.length, 1);
    assert.equal(timers[0].ms, 180);
    timers[0].fn();
    assert.deepEqual(ready, ['r']);
    assert.equal(ask(r).before, 90, 'the same page is asked for again');
    assert.equal(pager.failed({ type: 'error', code: 'rate_limited', reason: 'later', id: 'unrelated' }), null);
  });

  it('stops paging a room on any other error (a server without `history`)', () => {
    const { pager, room, ask } = pagerFixture();
    const r = room('r', 'e', [90]);
    pager.joined(r, 'e', 90);
    ask(r);
    assert.equal(pager.failed({ type: 'error', code: 'bad_request', reason: 'unknown type "history"', id: 'h1' }), r);
    assert.equal(ask(r), null);
    pager.joined(r, 'e', 90);
    assert.notEqual(ask(r), null, 'a new welcome tries again');
  });

  it('never asks for the same page twice, even when a page does not join what is shown', () => {
    const { pager, room, messages, ask, show } = pagerFixture();
    const r = room('r', 'e', [100]);
    pager.joined(r, 'e', 100);
    ask(r);
    // seq 99 is missing from the answer: the run shown still starts at 100.
    show(pager.answered({ type: 'history', room: 'r', epoch: 'e', messages: messages('e', 60, 98), more: true, id: 'h1' }, r));
    assert.equal(ask(r).before, 60);
    show(pager.answered({ type: 'history', room: 'r', epoch: 'e', messages: [], more: true, id: 'h2' }, r));
    assert.equal(pager.stateOf(r), 'done', 'an empty page ends paging');
  });

  it('reads the wait from the reason, within bounds', () => {
    assert.equal(retryDelay('the next is allowed in 180 ms'), 180);
    assert.equal(retryDelay('the next is allowed in 0 ms'), 100);
    assert.equal(retryDelay('the next is allowed in 999999 ms'), 10_000);
    assert.equal(retryDelay(''), 1000);
    assert.equal(retryDelay(undefined), 1000);
  });
});

describe('backoffDelay', () => {
  it('doubles per attempt between half and all of the ceiling, up to the cap', () => {
    for (let attempt = 0; attempt < 20; attempt++) {
      const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** attempt);
      assert.equal(backoffDelay(attempt, () => 0), ceiling / 2, `attempt ${attempt}, least`);
      assert.equal(backoffDelay(attempt, () => 1), ceiling, `attempt ${attempt}, most`);
    }
    assert.equal(backoffDelay(1000, () => 1), BACKOFF_CAP_MS, 'huge attempt counts stay at the cap');
  });

  it('spreads clients out (jitter)', () => {
    const delays = new Set(Array.from({ length: 50 }, () => backoffDelay(4)));
    assert.ok(delays.size > 10, `50 draws gave ${delays.size} distinct delays`);
  });
});

describe('utf8Length', () => {
  const cases = ['', 'a', 'é', '€', '😀', 'aé€😀', 'x'.repeat(1000), '\u{10FFFF}', '\u07FF\u0800\uFFFF'];
  for (const text of cases) {
    it(`counts ${JSON.stringify(text).slice(0, 20)} like TextEncoder`, () => {
      assert.equal(utf8Length(text), new TextEncoder().encode(text).length);
    });
  }
  it('counts a lone surrogate as U+FFFD (3 bytes), as it is sent', () => {
    assert.equal(utf8Length('\uD800'), 3);
    assert.equal(utf8Length('a\uDC00b'), 5);
    assert.equal(utf8Length('\uD83D'), new TextEncoder().encode('\uD83D').length);
  });
});

describe('names', () => {
  it('accepts the protocol\'s nicks and rooms at their length limits', () => {
    assert.ok(isValidNick('a'));
    assert.ok(isValidNick('A_b-c.9'));
    assert.ok(isValidNick('n'.repeat(32)));
    assert.ok(isValidRoom('#general'));
    assert.ok(isValidRoom('r'.repeat(64)));
  });
  it('refuses everything else with a reason', () => {
    for (const nick of ['', 'n'.repeat(33), 'has space', 'é', 'a#b', '<b>']) {
      assert.ok(!isValidNick(nick), nick);
      assert.notEqual(nickProblem(nick), '', nick);
    }
    for (const room of ['', 'r'.repeat(65), 'a room', 'ü', 'a/b']) {
      assert.ok(!isValidRoom(room), room);
      assert.notEqual(roomProblem(room), '', room);
    }
    assert.equal(nickProblem('fine'), '');
    assert.equal(roomProblem('fine#1'), '');
  });
  it('makes unique ids within the protocol\'s 64 characters', () => {
    const ids = new Set(Array.from({ length: 1000 }, () => newId()));
    assert.equal(ids.size, 1000);
    for (const id of ids) assert.ok(id.length <= 64);
  });
});

describe('describeError', () => {
  it('puts the server\'s reason after a readable title', () => {
    assert.equal(describeError('rejected', 'no forbidden words'), 'Not sent — rejected: no forbidden words');
    assert.equal(describeError('too_large', '', 4096), 'Not sent — too long: the limit is 4096 bytes.');
    assert.equal(describeError('something_new', ''), 'Error (something_new).');
  });
});

describe('moderation words', () => {
  it('says forbidden with the plugin\'s reason', () => {
    assert.equal(describeError('forbidden', 'members only'), 'You may not join this room: members only');
  });

  it('explains the closes chatd chooses, and only those', () => {
    assert.equal(describeClose(4003, 'spam'), 'You were banned from this server: spam');
    assert.equal(describeClose(4000, ''), 'You were disconnected by the server\'s operator.');
    assert.equal(describeClose(1006, ''), null);
    assert.equal(describeClose(1001, 'going away'), null);
  });

  it('badges a bot\'s and the operator\'s messages, never a member\'s', () => {
    assert.equal(originBadge('plugin'), 'bot');
    assert.equal(originBadge('admin'), 'admin');
    assert.equal(originBadge(undefined), null);
    assert.equal(originBadge(null), null);
    assert.equal(originBadge('relay'), 'relay', 'a newer server\'s origin is still badged');
  });

  it('tells a removal from a leave', () => {
    assert.equal(leaveText({ nick: 'bob', event: 'leave' }), 'bob left');
    assert.equal(leaveText({ nick: 'bob', event: 'leave', reason: 'kicked' }), 'bob was removed by a moderator');
    assert.equal(leaveText({ nick: 'bob', event: 'leave', reason: 'banned' }), 'bob was banned');
  });
});

// A WebSocket stand-in: records every socket the Connection opens.
class FakeSocket extends EventTarget {
  static OPEN = 1;
  static made = [];
  readyState = 0;
  constructor(url, protocol) {
    super();
    this.url = url;
    this.protocol = protocol;
    FakeSocket.made.push(this);
  }
  serverOpens() {
    this.readyState = FakeSocket.OPEN;
    this.dispatchEvent(new Event('open'));
  }
  serverCloses(code, reason) {
    this.readyState = 3;
    const event = new Event('close');
    Object.assign(event, { code, reason });
    this.dispatchEvent(event);
  }
  close() { this.readyState = 3; }
  send() {}
}

describe('Connection reconnects', () => {
  const saved = {};
  beforeEach(() => {
    for (const name of ['window', 'WebSocket', 'navigator']) saved[name] = Object.getOwnPropertyDescriptor(globalThis, name);
    Object.defineProperty(globalThis, 'window', { value: new EventTarget(), configurable: true, writable: true });
    Object.defineProperty(globalThis, 'WebSocket', { value: FakeSocket, configurable: true, writable: true });
    Object.defineProperty(globalThis, 'navigator', { value: { onLine: true }, configurable: true, writable: true });
    FakeSocket.made = [];
    mock.timers.enable({ apis: ['setTimeout'] });
  });
  afterEach(() => {
    mock.timers.reset();
    for (const [name, descriptor] of Object.entries(saved)) {
      if (descriptor) Object.defineProperty(globalThis, name, descriptor);
      else delete globalThis[name];
    }
  });

  // A started Connection whose first socket is open; `states` collects its state events.
  function openConnection() {
    const conn = new Connection('ws://chatd.test/ws');
    const states = [];
    conn.addEventListener('state', (event) => states.push(event.detail));
    conn.start();
    FakeSocket.made[0].serverOpens();
    conn.markHealthy();
    return { conn, states };
  }

  it('comes back after an operator\'s disconnect (4000), after the backoff', () => {
    const { states } = openConnection();
    FakeSocket.made[0].serverCloses(4000, 'server move');
    assert.equal(states.at(-1).state, 'waiting');
    mock.timers.tick(states.at(-1).delay);
    assert.equal(FakeSocket.made.length, 2);
  });

  it('stays away after a ban (4003), even when told the network is back, until the user asks', () => {
    const { conn, states } = openConnection();
    const closes = [];
    conn.addEventListener('close', (event) => closes.push(event.detail));
    FakeSocket.made[0].serverCloses(4003, 'spam');
    assert.deepEqual(closes, [{ code: 4003, reason: 'spam' }]);
    assert.deepEqual(states.at(-1), { state: 'stopped', reason: 'spam' });
    mock.timers.tick(120_000);
    conn.reconnectNow();  // what coming back to the tab does
    window.dispatchEvent(new Event('offline'));
    window.dispatchEvent(new Event('online'));
    assert.equal(FakeSocket.made.length, 1, 'no socket opened by itself');
    assert.equal(states.at(-1).state, 'stopped');
    conn.reconnectNow(true);  // the Retry button
    assert.equal(FakeSocket.made.length, 2);
  });
});

// The part of a RoomView that presence touches.
function fakeView(nicks = [], name = 'r') {
  const people = new Map(nicks.map((nick) => [nick.toLowerCase(), nick]));
  return {
    name,
    count: people.size,
    get people() { return [...people.values()].sort(); },
    addPerson(nick) { people.set(nick.toLowerCase(), nick); },
    removePerson(nick) { people.delete(nick.toLowerCase()); },
    renamePerson(oldNick, nick) { people.delete(oldNick.toLowerCase()); people.set(nick.toLowerCase(), nick); },
  };
}

describe('presence batches (protocol 1.1)', () => {
  it('says how many joined and left with the first names', () => {
    assert.deepEqual(batchNotices({ joined: ['ann', 'bob', 'cy', 'dee'], joined_count: 12, left: ['eve'], left_count: 1, renamed: [] }),
      ['12 people joined: ann, bob, cy and 9 others', '1 person left: eve']);
    assert.deepEqual(batchNotices({ joined: [], left: [], renamed: [{ old_nick: 'a', nick: 'b' }] }), ['a is now known as b']);
    assert.deepEqual(batchNotices({ joined: [], left: [], renamed: [{ old_nick: 'a', nick: 'b' }, { old_nick: 'c', nick: 'd' }] }),
      ['2 people changed their names']);
  });

  it('applies renamed, then joined, then left: a join and leave within one interval leaves nothing', () => {
    const view = fakeView(['ann', 'bob']);
    const notices = applyPresence(view, {
      event: 'batch', joined: ['cyrus', 'dee'], renamed: [{ old_nick: 'cy', nick: 'cyrus' }], left: ['dee', 'bob'],
      joined_count: 2, left_count: 2, count: 2,
    }, () => false);
    assert.deepEqual(view.people, ['ann', 'cyrus']);
    assert.equal(view.count, 2);
    assert.equal(notices.length, 3);
  });

  it('keeps per-event presence for small rooms, with no notice of one\'s own join', () => {
    const view = fakeView(['ann']);
    assert.deepEqual(applyPresence(view, { event: 'join', nick: 'me', count: 2 }, (nick) => nick === 'me'), []);
    assert.deepEqual(applyPresence(view, { event: 'leave', nick: 'ann', count: 1, reason: 'kicked' }, () => false),
      ['ann was removed by a moderator']);
    assert.deepEqual(view.people, ['me']);
  });
});

describe('MemberPager (protocol 1.1)', () => {
  it('pages from after the welcome\'s first names until there is no `next`', () => {
    const pager = new MemberPager({ newId: () => 'u1' });
    const view = fakeView(['me', 'ann', 'bob']);
    pager.welcomed(view, { users: ['me', 'Bob', 'ann'], count: 5, users_complete: false });
    assert.equal(view.count, 5);
    assert.ok(pager.hasMore(view));
    const sent = [];
    pager.more(view, (request) => sent.push(request));
    pager.more(view, (request) => sent.push(request));  // one in flight at a time
    assert.deepEqual(sent, [{ type: 'users', limit: 200, id: 'u1', after: 'bob' }]);
    assert.equal(pager.answered({ type: 'users', room: 'r', users: ['cy', 'dee'], count: 5, id: 'u1' }), view);
    assert.deepEqual(view.people, ['ann', 'bob', 'cy', 'dee', 'me']);
    assert.equal(pager.hasMore(view), false);
  });

  it('ignores answers that are not its own and ends the wait on an error', () => {
    const pager = new MemberPager({ newId: () => 'u2' });
    const view = fakeView(['me']);
    pager.welcomed(view, { users: ['me'], count: 3, users_complete: false });
    assert.equal(pager.answered({ type: 'users', room: 'r', users: ['x'], id: 'other' }), null);
    pager.more(view, () => true);
    assert.equal(pager.failed({ code: 'rate_limited', id: 'u2' }), true);
    const sent = [];
    pager.more(view, (request) => sent.push(request));
    assert.equal(sent.length, 1);
    assert.equal(sent[0].after, undefined);  // the welcome listed only our own nick
    assert.equal(pager.hasMore(fakeView()), false);  // a room never welcomed: nothing to load
  });
});
