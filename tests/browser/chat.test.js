// The page in everyday use: two people chat both ways, hostile markup stays
// text, nick and room controls work, scrolling stays put while reading, the
// length counter counts UTF-8 bytes, and screenshots of a conversation at
// desktop and phone width are saved as artifacts.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Daemon } from './lib/daemon.js';
import { launchBrowser, newTrackedPage, accessibilityViolations } from './lib/browser.js';
import { ChatPage } from './lib/chat_page.js';
import { ARTIFACTS_DIR, checkPrerequisites } from './lib/env.js';

describe('chatd web page', () => {
  let daemon;
  let browser;
  const open = (options) => ChatPage.open(browser, daemon.url, options);

  before(async () => {
    checkPrerequisites();
    daemon = await Daemon.start('chat', { chat: { max_text_bytes: 300 } });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await daemon?.dispose();
  });

  it('lets two pages chat both ways, with nick, time, presence and own messages set apart', async () => {
    const alice = await open({ nick: 'alice' });
    const bob = await open({ nick: 'bob' });

    assert.equal(new URL(alice.page.url()).hash, '#lobby', 'the default room is shown in the URL');
    await alice.page.waitForFunction(() => document.getElementById('people-count').textContent === '2');
    assert.deepEqual(await alice.people(), ['alice', 'bob']);
    assert.ok((await alice.notices()).some((n) => n.includes('bob joined')), 'alice is told bob joined');

    await alice.send('hello bob');
    await bob.waitForMessage('hello bob');
    await bob.send('hi alice\nsecond line');
    await alice.waitForMessage('hi alice\nsecond line');
    await alice.waitForMessage('hello bob');

    const seenByAlice = await alice.messages();
    const seenByBob = await bob.messages();
    assert.deepEqual(seenByAlice.map((m) => [m.from, m.text, m.own]),
      [['alice', 'hello bob', true], ['bob', 'hi alice\nsecond line', false]]);
    assert.deepEqual(seenByBob.map((m) => [m.from, m.text, m.own]),
      [['alice', 'hello bob', false], ['bob', 'hi alice\nsecond line', true]]);
    for (const m of [...seenByAlice, ...seenByBob]) assert.match(m.time, /\d/, 'every message shows a time');
    assert.deepEqual(seenByAlice.map((m) => m.seq), seenByBob.map((m) => m.seq), 'same order everywhere');

    await bob.close();
    await alice.page.waitForFunction(() => document.getElementById('people-count').textContent === '1');
    assert.ok((await alice.notices()).some((n) => n.includes('bob left')), 'alice is told bob left');
    alice.assertHealthy();
  });

  it('loads promptly in several tabs at once (a newcomer opens two tabs)', async () => {
    // Each tab leaves idle keep-alive connections behind; they must not hold
    // the daemon's HTTP threads so that the next tab waits for them to time out.
    const LOAD_BUDGET_MS = 8_000;
    const pages = [];
    const timings = [];
    for (let i = 0; i < 4; i++) {
      const page = await newTrackedPage(browser);
      pages.push(page);
      const started = Date.now();
      await page.goto(`${daemon.url}/#tabs`, { timeout: 60_000 });
      timings.push(Date.now() - started);
    }
    for (const page of pages) await page.context().close();
    assert.ok(timings.every((ms) => ms < LOAD_BUDGET_MS),
      `every tab loads within ${LOAD_BUDGET_MS} ms; took ${timings.join(', ')} ms ` +
      '(if later tabs wait ~10 s: idle keep-alive connections hold all HTTP threads)');
  });

  it('shows hostile markup as text and runs none of it', async () => {
    const mallory = await open({ nick: 'mallory', room: 'xss' });
    const victim = await open({ nick: 'victim', room: 'xss' });
    const payloads = [
      '<img src=x onerror=alert(1)>',
      '<script>alert(2)</script>',
      '<svg onload=alert(3)></svg><a href="javascript:alert(4)">click</a>',
    ];
    for (const payload of payloads) await mallory.send(payload);
    for (const payload of payloads) await victim.waitForMessage(payload);

    for (const chat of [mallory, victim]) {
      assert.deepEqual(await chat.texts(), payloads, 'shown verbatim, as text');
      const injected = await chat.page.$$eval('#log img, #log script, #log svg, #log a', (n) => n.length);
      assert.equal(injected, 0, 'no element was created from a message');
      chat.assertHealthy();  // includes: no alert/confirm/prompt dialog opened
    }
    await mallory.close();
    await victim.close();
  });

  it('remembers the nick, follows the room in the URL, switches room and changes nick', async () => {
    const carol = await open({ nick: 'carol', room: 'garden' });
    const dave = await open({ nick: 'dave', room: 'garden' });
    assert.equal(await carol.page.textContent('#room-name'), '#garden');

    // Reloading does not ask again: the nick is remembered.
    await carol.page.reload();
    await carol.waitOnline();
    assert.equal(await carol.page.locator('#nick-dialog').isVisible(), false);
    assert.equal(await carol.page.textContent('#nick-name'), 'carol');

    // Change nick through the dialog; dave sees the rename.
    await carol.page.click('#nick-button');
    await carol.page.fill('#nick-input', 'carol_2');
    await carol.page.press('#nick-input', 'Enter');
    await carol.page.waitForFunction(() => document.getElementById('nick-name').textContent === 'carol_2');
    await dave.page.waitForFunction(() =>
      [...document.querySelectorAll('#log li.notice')].some((li) => li.textContent.includes('carol is now known as carol_2')));

    // An invalid nick is refused in the dialog, before reaching the server.
    await carol.page.click('#nick-button');
    await carol.page.fill('#nick-input', 'no spaces');
    await carol.page.press('#nick-input', 'Enter');
    await carol.page.locator('#nick-error').waitFor({ state: 'visible' });
    await carol.page.keyboard.press('Escape');
    await carol.page.locator('#nick-dialog').waitFor({ state: 'hidden' });

    // Switch room through the dialog: the URL follows, messages stay apart.
    await carol.page.click('#room-button');
    await carol.page.fill('#room-input', 'shed');
    await carol.page.press('#room-input', 'Enter');
    await carol.page.waitForFunction(() => location.hash === '#shed');
    await carol.waitOnline();
    await carol.send('only in the shed');
    await carol.waitForMessage('only in the shed');
    await dave.send('only in the garden');
    await dave.waitForMessage('only in the garden');
    assert.deepEqual(await carol.texts(), ['only in the shed']);

    // Back to the garden by the URL hash: the garden's messages are there once.
    await carol.page.evaluate(() => { location.hash = '#garden'; });
    await carol.waitForMessage('only in the garden');
    assert.deepEqual(await carol.texts(), ['only in the garden']);
    assert.equal(await carol.page.textContent('#nick-name'), 'carol_2');
    carol.assertHealthy();
    dave.assertHealthy();
    await carol.close();
    await dave.close();
  });

  it('keeps the reading position while new messages arrive, and offers a jump button', async () => {
    const reader = await open({ nick: 'reader', room: 'scroll', height: 500 });
    const writer = await open({ nick: 'writer', room: 'scroll' });
    for (let i = 1; i <= 30; i++) await writer.send(`line ${i}`);
    await reader.waitForMessage('line 30');
    const atBottom = () => reader.page.$eval('#log', (log) => log.scrollHeight - log.scrollTop - log.clientHeight < 2);
    await reader.page.waitForFunction(() => {
      const log = document.getElementById('log');
      return log.scrollHeight - log.scrollTop - log.clientHeight < 2;
    });

    // Scroll up to read, and wait until the page has seen that scroll.
    await reader.page.$eval('#log', (log) => new Promise((resolve) => {
      log.addEventListener('scroll', resolve, { once: true });
      log.scrollTop = 100;
    }));
    await writer.send('while you were reading');
    await reader.waitForMessage('while you were reading');
    await reader.page.locator('#jump-button').waitFor({ state: 'visible' });
    assert.equal(await reader.page.$eval('#log', (log) => log.scrollTop), 100, 'the view did not move');
    assert.match(await reader.page.textContent('#jump-button'), /1 new message/);

    await reader.page.click('#jump-button');
    await reader.page.locator('#jump-button').waitFor({ state: 'hidden' });
    assert.ok(await atBottom(), 'the jump button goes to the newest message');

    // Sending one's own message always scrolls down.
    await reader.page.$eval('#log', (log) => { log.scrollTop = 0; });
    await reader.send('my own');
    await reader.waitForMessage('my own');
    await reader.page.waitForFunction(() => {
      const log = document.getElementById('log');
      return log.scrollHeight - log.scrollTop - log.clientHeight < 2;
    });
    reader.assertHealthy();
    await reader.close();
    await writer.close();
  });

  it('counts UTF-8 bytes near the limit; Shift+Enter adds a line, Enter sends', async () => {
    const typist = await open({ nick: 'typist', room: 'counter' });
    const counter = typist.page.locator('#composer-counter');
    await typist.page.fill('#composer-input', 'short');
    assert.equal(await counter.isVisible(), false, 'no counter far from the limit (300 bytes)');

    await typist.page.fill('#composer-input', '€'.repeat(90));  // 270 bytes, 90 characters
    await counter.waitFor({ state: 'visible' });
    assert.match(await counter.textContent(), /^270 \/ 300 bytes/);
    await typist.page.fill('#composer-input', '€'.repeat(101));  // 303 bytes
    await typist.page.waitForFunction(() => document.getElementById('composer-counter').classList.contains('over'));
    assert.match(await counter.textContent(), /303 \/ 300 bytes/);

    await typist.page.fill('#composer-input', 'first line');
    await typist.page.press('#composer-input', 'Shift+Enter');
    await typist.page.type('#composer-input', 'second line');
    assert.equal(await typist.page.inputValue('#composer-input'), 'first line\nsecond line', 'Shift+Enter did not send');
    await typist.page.press('#composer-input', 'Enter');
    await typist.waitForMessage('first line\nsecond line');
    assert.equal(await typist.page.inputValue('#composer-input'), '', 'Enter sent and cleared the box');
    typist.assertHealthy();
    await typist.close();
  });

  it('saves screenshots of a conversation at 1280 px and 360 px, light and dark', async () => {
    await mkdir(ARTIFACTS_DIR, { recursive: true });
    const ana = await open({ nick: 'ana', room: 'tour', width: 1280, height: 800 });
    const ben = await open({ nick: 'ben_from_accounting', room: 'tour' });
    const lines = [
      [ben, 'Morning! Did the deploy go out last night?'],
      [ana, 'It did ✓ — all green. The new page handles reconnects now.'],
      [ben, 'Nice. Here is the log line you asked for:\n  listening on http://127.0.0.1:8080\n' +
            'and a very long token without spaces: ' + 'a1b2c3d4'.repeat(12)],
      [ana, '<b>markup</b> stays text, by the way'],
      [ben, 'Grüße aus dem Büro — Ωμέγα — مرحبا'],
    ];
    for (const [chat, text] of lines) {
      await chat.send(text);
      await ana.waitForMessage(text);
    }
    await ana.page.locator('#composer-input').fill('Typing a reply…');
    await ana.page.locator('#composer-input').blur();

    const shots = [
      { name: 'conversation-1280', width: 1280, height: 800, colorScheme: 'light' },
      { name: 'conversation-1280-dark', width: 1280, height: 800, colorScheme: 'dark' },
      { name: 'conversation-360', width: 360, height: 740, colorScheme: 'light' },
      { name: 'conversation-360-dark', width: 360, height: 740, colorScheme: 'dark' },
    ];
    for (const shot of shots) {
      await ana.page.setViewportSize({ width: shot.width, height: shot.height });
      await ana.page.emulateMedia({ colorScheme: shot.colorScheme });
      const overflow = await ana.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `${shot.name}: no horizontal scrolling (overflow ${overflow}px)`);
      await ana.page.screenshot({ path: path.join(ARTIFACTS_DIR, `${shot.name}.png`) });
      assert.deepEqual(await accessibilityViolations(ana.page), [], `${shot.name}: axe-core finds no accessibility problem`);
    }
    // At phone width the people list is behind a toggle.
    assert.equal(await ana.page.locator('#people').isVisible(), false);
    await ana.page.click('#people-toggle');
    await ana.page.locator('#people').waitFor({ state: 'visible' });
    assert.equal(await ana.page.getAttribute('#people-toggle', 'aria-expanded'), 'true');
    await ana.page.screenshot({ path: path.join(ARTIFACTS_DIR, 'conversation-360-dark-people.png') });
    ana.assertHealthy();
    ben.assertHealthy();
    await ana.close();
    await ben.close();
  });
});
