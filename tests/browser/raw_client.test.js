// The tutorial's original page (raw mode: no sub-protocol, binary frames read
// with FileReader) and the new page chat with each other in the default room.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Daemon } from './lib/daemon.js';
import { launchBrowser, newTrackedPage } from './lib/browser.js';
import { ChatPage } from './lib/chat_page.js';
import { FIXTURES_DIR, PUBLIC_DIR, checkPrerequisites } from './lib/env.js';

describe('the tutorial page still works', () => {
  let daemon;
  let browser;
  let publicDir;

  before(async () => {
    checkPrerequisites();
    // The shipped page plus the tutorial's page under /tutorial/.
    publicDir = await mkdtemp(path.join(os.tmpdir(), 'chatd-public-'));
    await cp(PUBLIC_DIR, publicDir, { recursive: true });
    await cp(path.join(FIXTURES_DIR, 'tutorial'), path.join(publicDir, 'tutorial'), { recursive: true });
    daemon = await Daemon.start('raw_client', { public_dir: publicDir });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await daemon?.dispose();
    if (publicDir) await rm(publicDir, { recursive: true, force: true });
  });

  it('chats with the new page in the same room, both ways', async () => {
    const modern = await ChatPage.open(browser, daemon.url, { nick: 'modern' });  // default room

    const tutorial = await newTrackedPage(browser);
    const opened = tutorial.waitForEvent('console', (msg) => msg.text() === 'Connection opened!');
    await tutorial.goto(`${daemon.url}/tutorial/index.html`);
    await opened;
    await modern.page.waitForFunction(() => document.getElementById('people-count').textContent === '2');

    const fromTutorial = 'hello from the tutorial — grüße 🎉';
    await tutorial.fill('#messageBox', fromTutorial);
    await tutorial.click('#send');
    await modern.waitForMessage(fromTutorial);
    const received = (await modern.messages()).find((m) => m.text === fromTutorial);
    assert.match(received.from, /^guest-\d+$/, 'a raw client chats as guest-<n>');
    assert.equal(received.own, false);

    const fromModern = 'hello from the new page <b>not bold</b>\nsecond line';
    await modern.send(fromModern);
    await tutorial.waitForFunction((t) =>
      document.getElementById('messages').textContent.split('\n\n').includes(t), fromModern);
    const lines = (await tutorial.textContent('#messages')).split('\n\n').filter(Boolean);
    assert.ok(lines.every((line) => !line.startsWith('{')), `raw frames carry only the text: ${JSON.stringify(lines)}`);

    modern.assertHealthy();
    assert.deepEqual(tutorial.problems, [], 'the tutorial page logged no errors');
    await modern.close();
    await tutorial.context().close();
  });
});
