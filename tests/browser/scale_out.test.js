// The tutorial's closing scene, solved: two chatd instances on two ports
// sharing rooms through one Redis; a page on each chats with the other, both
// see one order (same seq), both see both people. The tutorial's own page
// on the second instance takes part too.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Daemon } from './lib/daemon.js';
import { launchBrowser, newTrackedPage } from './lib/browser.js';
import { ChatPage } from './lib/chat_page.js';
import { RedisServer } from './lib/redis.js';
import { FIXTURES_DIR, PUBLIC_DIR, checkPrerequisites } from './lib/env.js';

describe('two instances sharing rooms through Redis', () => {
  let redis;
  let first;
  let second;
  let browser;
  let publicDir;

  before(async () => {
    checkPrerequisites();
    redis = await RedisServer.start();
    // The shipped page plus the tutorial's page under /tutorial/.
    publicDir = await mkdtemp(path.join(os.tmpdir(), 'chatd-public-'));
    await cp(PUBLIC_DIR, publicDir, { recursive: true });
    await cp(path.join(FIXTURES_DIR, 'tutorial'), path.join(publicDir, 'tutorial'), { recursive: true });
    const bus = { type: 'redis', redis: { port: redis.port, key_prefix: 'browser:' } };
    first = await Daemon.start('scale-out-8080', { bus, public_dir: publicDir });
    second = await Daemon.start('scale-out-8081', { bus, public_dir: publicDir });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await first?.dispose();
    await second?.dispose();
    await redis?.dispose();
    if (publicDir) await rm(publicDir, { recursive: true, force: true });
  });

  it('lets a page on each instance chat with the other, in one order', async () => {
    assert.notEqual(first.port, second.port);
    const alice = await ChatPage.open(browser, first.url, { nick: 'alice', room: 'scene' });
    const bob = await ChatPage.open(browser, second.url, { nick: 'bob', room: 'scene' });

    // Each page lists both people, whichever instance they are on.
    for (const page of [alice, bob]) {
      await page.page.waitForFunction(() => document.getElementById('people-count').textContent === '2');
      assert.deepEqual((await page.people()).sort(), ['alice', 'bob']);
    }

    await alice.send('hello from 8080');
    await bob.waitForMessage('hello from 8080');
    await bob.send('hello from 8081');
    await alice.waitForMessage('hello from 8081');
    await alice.send('one more');
    await bob.waitForMessage('one more');

    const seenByAlice = await alice.messages();
    const seenByBob = await bob.messages();
    assert.deepEqual(seenByAlice.map((m) => [m.from, m.text]),
      [['alice', 'hello from 8080'], ['bob', 'hello from 8081'], ['alice', 'one more']]);
    assert.deepEqual(seenByAlice.map((m) => [m.text, m.epoch, m.seq]), seenByBob.map((m) => [m.text, m.epoch, m.seq]),
      'same epoch and seq on both instances');
    assert.deepEqual(seenByAlice.map((m) => m.seq), ['1', '2', '3']);

    await bob.close();
    await alice.page.waitForFunction(() => document.getElementById('people-count').textContent === '1');
    alice.assertHealthy();
    await alice.close();
  });

  it('carries messages between the new page on one port and the tutorial page on the other', async () => {
    const carol = await ChatPage.open(browser, first.url, { nick: 'carol' });  // the default room: raw clients' room
    const tutorial = await newTrackedPage(browser);
    const opened = tutorial.waitForEvent('console', (msg) => msg.text() === 'Connection opened!');
    await tutorial.goto(`${second.url}/tutorial/index.html`);
    await opened;
    await carol.page.waitForFunction(() => document.getElementById('people-count').textContent === '2');

    await carol.send('to the tutorial page on 8081');
    await tutorial.waitForFunction((t) =>
      document.getElementById('messages').textContent.split('\n\n').includes(t), 'to the tutorial page on 8081');
    const fromTutorial = 'hello back from 8081';
    await tutorial.fill('#messageBox', fromTutorial);
    await tutorial.click('#send');
    await carol.waitForMessage(fromTutorial);
    carol.assertHealthy();
    assert.deepEqual(tutorial.problems, [], 'the tutorial page logged no errors');
    await tutorial.context().close();
    await carol.close();
  });
});
