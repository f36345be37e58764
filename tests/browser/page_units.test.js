// The page's pure modules, in Node without a browser: the Timeline that keeps
// a room's messages ordered and unique across reconnects and restarts, the
// reconnect backoff, UTF-8 byte counting and the name rules.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Timeline } from '../../public/js/timeline.js';
import { backoffDelay, BACKOFF_BASE_MS, BACKOFF_CAP_MS } from '../../public/js/backoff.js';
import { utf8Length, isValidNick, isValidRoom, nickProblem, roomProblem, newId } from '../../public/js/util.js';
import { describeError } from '../../public/js/errors.js';

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
