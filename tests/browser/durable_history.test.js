// Durable history seen from the page: chatd killed with SIGKILL mid-chat
// (a page and a Node client talking) and started again on the same port and
// state directory. The page reconnects by itself and shows the same
// conversation: every message exactly once, in seq order, without a gap, in
// the same epoch, with no "restarted" or "could not be recovered" notice;
// scrolling up still loads the older messages, now from the store.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Daemon } from './lib/daemon.js';
import { launchBrowser } from './lib/browser.js';
import { ChatPage } from './lib/chat_page.js';
import { WsClient } from './lib/ws_client.js';
import { checkPrerequisites } from './lib/env.js';

const ROOM = 'durable';
const SEEDED = 60;
// A small send queue keeps the welcome to ~25 of the seeded messages (half
// the queue), so the page has older messages to load when scrolled up.
const SEND_QUEUE_BYTES = 12_288;
const textOf = (i) => `seeded ${String(i).padStart(3, '0')} `.padEnd(100, '·');
const MARKER = 'Beginning of the conversation';
// While the daemon is down the browser itself logs each failed attempt.
const DAEMON_DOWN = [/WebSocket connection to '.*' failed/];
const RECONNECT_TIMEOUT_MS = 45_000;

// The Node client's side: joins `ROOM` (resuming from `since` if given) and
// collects every message it is sent, the welcome's history included.
async function joinAsBot(url, received, since) {
  const bot = await WsClient.connect(url);
  bot.send({ type: 'join', room: ROOM, nick: 'nodebot', ...(since ? { since } : {}) });
  const welcome = await bot.next('welcome');
  received.push(...welcome.history);
  return { bot, welcome };
}

// Sends `text` from the bot and waits for its echo (its acknowledgement).
let botIds = 0;
async function botSays(bot, received, text) {
  const id = `n${++botIds}`;
  bot.send({ type: 'message', text, id });
  received.push(await bot.next('message', { where: (m) => m.id === id }));
}

// Asserts `messages` ({seq, epoch, text}) run from seq `first` to the end
// without a gap or a duplicate, all of `epoch`, and read `texts`.
function assertUnbroken(messages, { first, epoch, texts }, who) {
  const seqs = messages.map((m) => Number(m.seq));
  assert.deepEqual(seqs, Array.from({ length: texts.length }, (_, i) => first + i),
    `${who}: every message once, in seq order, no gap`);
  assert.deepEqual(messages.map((m) => m.text), texts, `${who}: the conversation`);
  assert.deepEqual([...new Set(messages.map((m) => m.epoch))], [epoch], `${who}: one epoch, the one before the kill`);
}

describe('durable history in the page', () => {
  let daemon;
  let browser;

  before(async () => {
    checkPrerequisites();
    daemon = await Daemon.start('durable_history', { limits: { send_queue_bytes: SEND_QUEUE_BYTES } });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await daemon?.dispose();
  });

  it('shows the same conversation after chatd is killed (SIGKILL) and started again, and still scrolls back', async () => {
    const botReceived = [];
    let { bot, welcome } = await joinAsBot(daemon.url, botReceived);
    const epoch = welcome.epoch;
    for (let i = 1; i <= SEEDED; i++) await botSays(bot, botReceived, textOf(i));

    const alice = await ChatPage.open(browser, daemon.url, { nick: 'alice', room: ROOM });
    await alice.waitForMessage(textOf(SEEDED));
    const welcomed = await alice.messages();
    const first = Number(welcomed[0].seq);
    assert.ok(first > 1, `the welcome shows only the newest messages (from seq ${first})`);

    const chat = ['alice before the kill', 'nodebot before the kill', 'alice while chatd is down',
      'nodebot after the restart', 'alice after the restart'];
    await alice.send(chat[0]);
    botReceived.push(await bot.next('message', { where: (m) => m.text === chat[0] }));
    await botSays(bot, botReceived, chat[1]);
    await alice.waitForMessage(chat[1]);

    const port = daemon.port;
    assert.equal(await daemon.kill(), 'SIGKILL', 'chatd was killed, not stopped');
    await bot.waitClosed();
    await alice.waitStatus('offline');
    // Written while the server is down: shown at once, sent on reconnect.
    await alice.send(chat[2]);
    await alice.waitForMessage(chat[2], { state: 'queued' });

    await daemon.restart();
    assert.equal(daemon.port, port, 'the same port, so the page reconnects to the URL it has');
    await alice.waitForMessage(chat[2], { timeout: RECONNECT_TIMEOUT_MS });
    const last = botReceived.at(-1);
    ({ bot, welcome } = await joinAsBot(daemon.url, botReceived, { epoch: last.epoch, seq: last.seq }));
    const resumed = welcome;
    await botSays(bot, botReceived, chat[3]);
    await alice.send(chat[4]);
    await alice.waitForMessage(chat[3]);
    await alice.waitForMessage(chat[4]);
    botReceived.push(await bot.next('message', { where: (m) => m.text === chat[4] }));

    const seeded = Array.from({ length: SEEDED }, (_, i) => textOf(i + 1));
    const whole = [...seeded, ...chat];
    const shown = await alice.messages();
    assertUnbroken(shown, { first, epoch, texts: whole.slice(first - 1) }, 'alice after the restart');
    assert.ok(shown.every((m) => m.state === 'sent'), `alice: all confirmed (${shown.map((m) => m.state)})`);
    const notices = await alice.notices();
    assert.ok(!notices.some((n) => /restarted|could not be recovered/.test(n)), `nothing was lost: ${notices}`);

    // Scrolling up loads what the welcome before the kill did not carry.
    await alice.scrollBackToBeginning();
    assert.deepEqual(await alice.historyEdge(), { state: 'done', text: MARKER });
    assertUnbroken(await alice.messages(), { first: 1, epoch, texts: whole }, 'alice scrolled back');
    alice.assertHealthy(DAEMON_DOWN);

    // The Node client resumed with `since` and missed nothing either.
    assert.equal(resumed.recovered, true, 'the Node client resumed with recovered: true');
    assert.equal(resumed.epoch, epoch);
    assertUnbroken(botReceived, { first: 1, epoch, texts: whole }, 'nodebot across both connections');

    // A reader arriving after the restart scrolls back through all of it.
    const carol = await ChatPage.open(browser, daemon.url, { nick: 'carol', room: ROOM });
    await carol.waitForMessage(chat[4]);
    await carol.scrollBackToBeginning();
    assertUnbroken(await carol.messages(), { first: 1, epoch, texts: whole }, 'carol, who came after the restart');
    carol.assertHealthy();

    bot.close();
    await alice.close();
    await carol.close();
  });
});
