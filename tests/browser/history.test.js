// Scrolling back: a page that joins a room with more messages than its
// welcome holds loads older pages (`history`) as the reader scrolls to the
// top, keeps the message the reader was looking at in place, shows the
// beginning of the conversation, never has two requests in flight, waits
// out `rate_limited` quietly, and ignores an answer for a room no longer shown.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Daemon } from './lib/daemon.js';
import { launchBrowser, newTrackedPage, accessibilityViolations } from './lib/browser.js';
import { ChatPage } from './lib/chat_page.js';
import { ARTIFACTS_DIR, checkPrerequisites } from './lib/env.js';

const ROOM = 'scrollback';
const MESSAGES = 120;
// A small send queue keeps the welcome and each `history` answer to ~25 of
// these messages (half the queue), so the page needs several pages, some cut
// to fit (`more` true with fewer than asked for).
const SEND_QUEUE_BYTES = 12_288;
const textOf = (seq) => `message ${String(seq).padStart(3, '0')} `.padEnd(100, '·');
const ANCHOR_TOLERANCE_PX = 3;
const MARKER = 'Beginning of the conversation';
const LIVE_TEXT = 'after scrolling back';  // sent by the first test, after the seeded ones

// Runs in the page before its scripts: records the `history` requests the
// page sends and the answers and errors it gets (window.__history.log), and
// can hold `history` answers back (a slow server) until released.
function recordHistoryTraffic() {
  const state = { log: [], hold: false, held: [], socket: null };
  window.__history = state;
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      state.socket = this;
    }

    send(data) {
      try {
        const frame = JSON.parse(data);
        if (frame.type === 'history') state.log.push({ dir: 'sent', id: frame.id, before: frame.before ?? null });
      } catch { /* not JSON: not ours to record */ }
      return super.send(data);
    }

    addEventListener(type, listener, options) {
      if (type !== 'message') return super.addEventListener(type, listener, options);
      return super.addEventListener(type, (event) => {
        let frame = null;
        try { frame = JSON.parse(event.data); } catch { /* delivered as is */ }
        if (frame?.type === 'history') {
          state.log.push({ dir: 'answer', id: frame.id, room: frame.room, count: frame.messages.length, more: frame.more });
          if (state.hold) {
            state.held.push(() => listener.call(this, event));
            return;
          }
        } else if (frame?.type === 'error') {
          state.log.push({ dir: 'error', id: frame.id, code: frame.code });
        }
        listener.call(this, event);
      }, options);
    }
  };
}

// Sends `count` messages to `room` from a plain WebSocket in a blank page,
// one after the other's echo (a small send queue must never overflow).
async function seedRoom(browser, url, room, count) {
  const page = await newTrackedPage(browser);
  await page.goto(`${url}/favicon.svg`);
  await page.evaluate(async ({ wsUrl, room, count, texts }) => {
    const ws = new WebSocket(wsUrl, 'chatd.v1');
    const frames = [];
    let wake = null;
    ws.addEventListener('message', (event) => {
      frames.push(JSON.parse(event.data));
      wake?.();
    });
    const next = async (type) => {
      for (;;) {
        const i = frames.findIndex((f) => f.type === type || f.type === 'error');
        if (i >= 0) {
          const [frame] = frames.splice(i, 1);
          if (frame.type === 'error') throw new Error(`seeding: ${frame.code} ${frame.reason}`);
          return frame;
        }
        await new Promise((resolve) => { wake = resolve; });
      }
    };
    await new Promise((resolve, reject) => { ws.onopen = resolve; ws.onerror = reject; });
    ws.send(JSON.stringify({ type: 'join', room, nick: 'seeder' }));
    await next('welcome');
    for (let i = 0; i < count; i++) {
      ws.send(JSON.stringify({ type: 'message', text: texts[i], id: `s${i}` }));
      await next('message');
    }
    ws.close();
  }, { wsUrl: `${url.replace(/^http/, 'ws')}/ws`, room, count, texts: Array.from({ length: count }, (_, i) => textOf(i + 1)) });
  await page.context().close();
}

function offsetOf(page, seq) {
  return page.evaluate((s) => {
    const log = document.getElementById('log');
    const li = log.querySelector(`li.msg[data-seq="${s}"]`);
    return li.getBoundingClientRect().top - log.getBoundingClientRect().top;
  }, seq);
}

const historyLog = (page) => page.evaluate(() => window.__history.log);

// Asserts that every `history` request the page sent (ids not starting
// with `skip`) was answered before the next one went out.
function assertOneInFlight(log, skip = 'drain-') {
  let inFlight = null;
  for (const event of log) {
    if (typeof event.id === 'string' && event.id.startsWith(skip)) continue;
    if (event.dir === 'sent') {
      assert.equal(inFlight, null, `request ${event.id} sent while ${inFlight} was in flight: ${JSON.stringify(log)}`);
      inFlight = event.id;
    } else if (event.id === inFlight) {
      inFlight = null;
    }
  }
}

// Scrolls to the top until the beginning of the conversation is shown,
// checking after each page that the reader's message stayed in place.
async function scrollBackToBeginning(chat) {
  const pages = [];
  await chat.scrollBackToBeginning(async (seen) => {
    const offset = await offsetOf(chat.page, seen.seq);
    pages.push({ ...seen, after: offset });
    assert.ok(Math.abs(offset - seen.offset) <= ANCHOR_TOLERANCE_PX,
      `message ${seen.seq} stays in place when older ones are added above: ${seen.offset} px, then ${offset} px`);
  });
  return pages;
}

// The seeded messages, each once in seq order (then `extra` later ones).
async function assertWholeConversation(chat, extra = []) {
  const shown = await chat.messages();
  assert.deepEqual(shown.map((m) => Number(m.seq)), Array.from({ length: MESSAGES + extra.length }, (_, i) => i + 1),
    'every message once, in seq order');
  assert.deepEqual(shown.map((m) => m.text), [...Array.from({ length: MESSAGES }, (_, i) => textOf(i + 1)), ...extra]);
}

describe('scrolling back through a room', () => {
  let daemon;
  let browser;
  const open = (nick, room = ROOM) => ChatPage.open(browser, daemon.url, { nick, room, initScript: recordHistoryTraffic });

  before(async () => {
    checkPrerequisites();
    daemon = await Daemon.start('history', {
      chat: { history_size: 500 },
      limits: { send_queue_bytes: SEND_QUEUE_BYTES },
    });
    browser = await launchBrowser();
    await seedRoom(browser, daemon.url, ROOM, MESSAGES);
  });

  after(async () => {
    await browser?.close();
    await daemon?.dispose();
  });

  it('loads older pages at the top, keeps the reader\'s place, and shows the beginning once', async () => {
    const reader = await open('reader');
    await reader.waitForMessage(textOf(MESSAGES));
    const welcomed = await reader.messages();
    assert.ok(welcomed.length < MESSAGES / 2 && Number(welcomed[0].seq) > 1,
      `the welcome shows only the newest messages (${welcomed.length}, from seq ${welcomed[0].seq})`);
    assert.equal((await reader.historyEdge()).state, 'idle', 'no marker while older messages exist');

    const pages = await scrollBackToBeginning(reader);
    assert.ok(pages.length >= 3, `several pages were loaded: ${JSON.stringify(pages)}`);
    const edge = await reader.historyEdge();
    assert.deepEqual(edge, { state: 'done', text: MARKER });
    await reader.page.evaluate(() => { document.getElementById('log').scrollTop = 0; });
    assert.ok(await reader.page.locator('#log .history-edge', { hasText: MARKER }).isVisible(), 'the marker is shown at the top');
    await mkdir(ARTIFACTS_DIR, { recursive: true });
    await reader.page.screenshot({ path: path.join(ARTIFACTS_DIR, 'history-beginning-1280.png') });
    assert.deepEqual(await accessibilityViolations(reader.page), [], 'axe-core finds no violations at the beginning');
    await assertWholeConversation(reader);

    const log = await historyLog(reader.page);
    assertOneInFlight(log);
    const sent = log.filter((e) => e.dir === 'sent');
    assert.equal(sent.length, pages.length, `one request per page, none after the beginning: ${JSON.stringify(log)}`);
    assert.equal(pages[0].seq, welcomed[0].seq);
    assert.deepEqual(sent.map((e) => e.before), pages.map((p) => Number(p.seq)),
      'each request asks for what is older than the oldest message shown');

    // Live messages and paging together: a new message arrives once, below.
    const writer = await open('writer');
    await writer.send(LIVE_TEXT);
    await reader.waitForMessage(LIVE_TEXT);
    await assertWholeConversation(reader, [LIVE_TEXT]);
    reader.assertHealthy();
    writer.assertHealthy();
    await reader.close();
    await writer.close();
  });

  it('waits out rate_limited and tries again, without showing an error', async () => {
    const reader = await open('patient');
    await reader.waitForMessage(textOf(MESSAGES));
    const shown = (await reader.messages()).length;
    // Use up the connection's history tokens (burst 10) with requests of
    // our own on the page's socket, then scroll up: the page's own request
    // is refused with rate_limited.
    await reader.page.evaluate(() => {
      for (let i = 0; i < 10; i++) {
        window.__history.socket.send(JSON.stringify({ type: 'history', limit: 1, id: `drain-${i}` }));
      }
      const log = document.getElementById('log');
      log.scrollTop = 0;
      log.dispatchEvent(new Event('scroll'));
    });
    await reader.page.waitForFunction((count) => document.querySelectorAll('#log li.msg').length > count, shown);
    const log = await historyLog(reader.page);
    const own = log.filter((e) => !String(e.id).startsWith('drain-'));
    const limited = own.find((e) => e.dir === 'error' && e.code === 'rate_limited');
    assert.ok(limited, `the page's request was rate limited: ${JSON.stringify(log)}`);
    const retried = own.filter((e) => e.dir === 'sent');
    assert.ok(retried.length >= 2 && retried[1].before === retried[0].before,
      `the same page was asked for again after the wait: ${JSON.stringify(own)}`);
    assertOneInFlight(log);
    assert.deepEqual(await reader.page.$$eval('#log li.notice-warning', (items) => items.map((li) => li.textContent)), [],
      'no error is shown for a rate-limited scroll-back');
    const seqs = (await reader.messages()).map((m) => Number(m.seq));
    assert.deepEqual(seqs, [...new Set(seqs)].sort((a, b) => a - b), 'each message once, in order');
    reader.assertHealthy();
    await reader.close();
  });

  it('ignores an answer that arrives after the reader switched rooms', async () => {
    const reader = await open('switcher');
    await reader.waitForMessage(textOf(MESSAGES));
    const before = await reader.messages();
    await reader.page.evaluate(() => { window.__history.hold = true; });
    await reader.scrollToTop();
    await reader.page.waitForFunction(() => window.__history.held.length === 1);

    await reader.page.evaluate(() => { window.location.hash = '#elsewhere'; });
    await reader.page.waitForFunction(() => document.getElementById('room-name').textContent === '#elsewhere' &&
      document.getElementById('status').dataset.state === 'online');
    await reader.page.evaluate(() => {
      window.__history.hold = false;
      for (const deliver of window.__history.held.splice(0)) deliver();
    });
    assert.deepEqual(await reader.messages(), [], 'the other room\'s answer shows nothing here');
    assert.equal((await reader.historyEdge()).text, MARKER, 'an empty room starts at its beginning');

    await reader.page.evaluate((room) => { window.location.hash = `#${room}`; }, ROOM);
    await reader.page.waitForFunction((room) => document.getElementById('room-name').textContent === `#${room}` &&
      document.getElementById('status').dataset.state === 'online', ROOM);
    assert.deepEqual((await reader.messages()).map((m) => m.seq), before.map((m) => m.seq),
      'the answer that came late was not added to the room left either');
    await scrollBackToBeginning(reader);
    await assertWholeConversation(reader, [LIVE_TEXT]);
    assertOneInFlight(await historyLog(reader.page));
    reader.assertHealthy();
    await reader.close();
  });
});
