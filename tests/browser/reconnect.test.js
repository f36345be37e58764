// Never lose, never duplicate: pages that lose the server (a restart, or
// their own network) come back, resume with `since`, and end up holding every
// message exactly once, in the same order. The daemon keeps its history in
// memory (`history.store: memory`), so a restart starts every room's new
// epoch: the page merges it under what it shows and says so. (With the
// default store a restart keeps the epoch: durable_history.test.js.)
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Daemon } from './lib/daemon.js';
import { launchBrowser } from './lib/browser.js';
import { ChatPage } from './lib/chat_page.js';
import { checkPrerequisites } from './lib/env.js';

// While the daemon is down the browser itself logs each failed attempt.
const DAEMON_DOWN = [/WebSocket connection to '.*' failed/];
const RECONNECT_TIMEOUT_MS = 45_000;

async function assertExactlyOnce(chat, expected) {
  const texts = await chat.texts();
  assert.deepEqual(texts, expected, `${chat.nick} holds every message once, in order`);
  const states = (await chat.messages()).map((m) => m.state);
  assert.ok(states.every((s) => s === 'sent'), `${chat.nick}: all confirmed (${states})`);
}

describe('reconnect and resume', () => {
  let daemon;
  let browser;

  before(async () => {
    checkPrerequisites();
    daemon = await Daemon.start('reconnect', { history: { store: 'memory' } });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await daemon?.dispose();
  });

  it('survives a daemon restart that lost the history, with messages sent while one page was away', async () => {
    const alice = await ChatPage.open(browser, daemon.url, { nick: 'alice', room: 'resilient' });
    const bob = await ChatPage.open(browser, daemon.url, { nick: 'bob', room: 'resilient' });
    const m = ['m1 before the restart', 'm2 before the restart', 'm3 written while the server was down',
      'm4 sent while bob was away', 'm5 after everyone is back'];

    await alice.send(m[0]);
    await bob.send(m[1]);
    await alice.waitForMessage(m[1]);
    await bob.waitForMessage(m[0]);

    // Bob's network goes away first, then the daemon stops.
    await bob.page.context().setOffline(true);
    await bob.waitStatus('offline');
    const stopped = await daemon.stop();
    assert.equal(stopped, 0, 'chatd exits cleanly on SIGTERM');
    await alice.waitStatus('offline');

    // Written while the server is down: shown at once, sent on reconnect.
    await alice.send(m[2]);
    await alice.waitForMessage(m[2], { state: 'queued' });

    await daemon.restart();
    await alice.waitForMessage(m[2], { timeout: RECONNECT_TIMEOUT_MS });
    await alice.send(m[3]);
    await alice.waitForMessage(m[3]);

    // Bob comes back: the restarted server's history (new epoch) is merged
    // under what he already shows.
    await bob.page.context().setOffline(false);
    await bob.waitOnline(RECONNECT_TIMEOUT_MS);
    await bob.waitForMessage(m[3]);
    await bob.send(m[4]);
    await alice.waitForMessage(m[4]);
    await bob.waitForMessage(m[4]);

    await assertExactlyOnce(alice, m);
    await assertExactlyOnce(bob, m);
    for (const chat of [alice, bob]) {
      assert.ok((await chat.notices()).some((n) => n.includes('server restarted')), `${chat.nick} is told of the restart`);
      chat.assertHealthy(DAEMON_DOWN);
    }
    await alice.close();
    await bob.close();
  });

  it('recovers what was missed during a network drop with `since`, without a gap or a duplicate', async () => {
    const carol = await ChatPage.open(browser, daemon.url, { nick: 'carol', room: 'resume' });
    const dave = await ChatPage.open(browser, daemon.url, { nick: 'dave', room: 'resume' });
    await carol.send('before the drop');
    await dave.waitForMessage('before the drop');

    await dave.page.context().setOffline(true);
    await dave.waitStatus('offline');
    await carol.send('missed 1');
    await carol.send('missed 2');
    await carol.waitForMessage('missed 2');
    await dave.send('dave wrote this offline');
    await dave.waitForMessage('dave wrote this offline', { state: 'queued' });

    await dave.page.context().setOffline(false);
    await dave.waitOnline(RECONNECT_TIMEOUT_MS);
    await dave.waitForMessage('dave wrote this offline');
    await carol.waitForMessage('dave wrote this offline');

    const expected = ['before the drop', 'missed 1', 'missed 2', 'dave wrote this offline'];
    await assertExactlyOnce(carol, expected);
    await assertExactlyOnce(dave, expected);
    const notices = await dave.notices();
    assert.ok(!notices.some((n) => /restarted|could not be recovered/.test(n)), `recovered fully: ${notices}`);
    carol.assertHealthy();
    dave.assertHealthy(DAEMON_DOWN);
    await carol.close();
    await dave.close();
  });
});
