// Refusals are shown next to the message they concern (matched by the `id`
// the page sends with each message): too_large from the server's
// chat.max_text_bytes, rejected from the filter plugin; a plugin's private
// reply (notice) is a system line; a taken nick brings the nick prompt back.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Daemon } from './lib/daemon.js';
import { launchBrowser, newTrackedPage, accessibilityViolations } from './lib/browser.js';
import { ChatPage } from './lib/chat_page.js';
import { PLUGIN_DIR, checkPrerequisites } from './lib/env.js';

const FILTER_SO = path.join(PLUGIN_DIR, 'filter.so');
const HELLO_SO = path.join(PLUGIN_DIR, 'hello.so');
const haveFilter = existsSync(FILTER_SO);
const haveHello = existsSync(HELLO_SO);
const RATELIMIT_SO = path.join(PLUGIN_DIR, 'ratelimit.so');
const haveRatelimit = existsSync(RATELIMIT_SO);
const BURST = 3;
const MAX_TEXT_BYTES = 200;

// The error shown under the message whose text is `text`.
function errorOf(chat, text) {
  return chat.page.waitForFunction((t) => {
    const item = [...document.querySelectorAll('#log li.msg.failed')]
      .find((li) => li.querySelector('.msg-text')?.textContent === t);
    return item?.querySelector('.msg-error')?.textContent ?? false;
  }, text).then((handle) => handle.jsonValue());
}

describe('errors next to the message', () => {
  let daemon;
  let browser;

  before(async () => {
    checkPrerequisites();
    const config = { chat: { max_text_bytes: MAX_TEXT_BYTES } };
    config.plugin_dir = PLUGIN_DIR;
    config.plugins = [];
    if (haveFilter) {
      config.plugins.push({ name: 'filter', config: { words: ['forbidden'], action: 'reject', reason: 'no forbidden words' } });
    }
    if (haveHello) config.plugins.push({ name: 'hello' });
    // One message per 2 s after a burst of 3: only the test below sends that much.
    if (haveRatelimit) config.plugins.push({ name: 'ratelimit', config: { rate: 0.5, burst: BURST } });
    daemon = await Daemon.start('errors', config);
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await daemon?.dispose();
  });

  it('shows too_large under the message that was too long, and nobody else gets it', async () => {
    const sender = await ChatPage.open(browser, daemon.url, { nick: 'sender', room: 'limits' });
    const other = await ChatPage.open(browser, daemon.url, { nick: 'other', room: 'limits' });
    const tooLong = 'x'.repeat(MAX_TEXT_BYTES + 1);
    const justRight = 'y'.repeat(MAX_TEXT_BYTES);
    await sender.send(tooLong);
    await sender.send(justRight);
    const error = await errorOf(sender, tooLong);
    assert.match(error, /too long/i);
    await other.waitForMessage(justRight);
    await sender.waitForMessage(justRight);
    assert.deepEqual(await other.texts(), [justRight], 'the refused message was not broadcast');
    const mine = await sender.messages();
    assert.deepEqual(mine.map((m) => [m.text, m.state]), [[tooLong, 'failed'], [justRight, 'sent']]);
    assert.equal(await sender.page.locator('#log li.msg.failed .msg-error[role="alert"]').count(), 1,
      'the error is announced to screen readers');
    for (const colorScheme of ['light', 'dark']) {
      await sender.page.emulateMedia({ colorScheme });
      assert.deepEqual(await accessibilityViolations(sender.page), [], `${colorScheme}: the error is readable (axe-core)`);
    }
    sender.assertHealthy();
    other.assertHealthy();
    await sender.close();
    await other.close();
  });

  it('shows the plugin\'s reason under a rejected message', { skip: haveFilter ? false : `filter plugin not built (${FILTER_SO} does not exist)` }, async () => {
    const sender = await ChatPage.open(browser, daemon.url, { nick: 'sender', room: 'filtered' });
    const other = await ChatPage.open(browser, daemon.url, { nick: 'other', room: 'filtered' });
    await sender.send('this word is forbidden here');
    await sender.send('this one is fine');
    const error = await errorOf(sender, 'this word is forbidden here');
    assert.match(error, /rejected/i);
    assert.match(error, /no forbidden words/);
    await other.waitForMessage('this one is fine');
    assert.deepEqual(await other.texts(), ['this one is fine']);
    sender.assertHealthy();
    other.assertHealthy();
    await sender.close();
    await other.close();
  });

  it('shows a plugin\'s reply to the sender as a system line', { skip: haveHello ? false : `hello plugin not built (${HELLO_SO} does not exist)` }, async () => {
    const sender = await ChatPage.open(browser, daemon.url, { nick: 'asker', room: 'plugins' });
    const other = await ChatPage.open(browser, daemon.url, { nick: 'other', room: 'plugins' });
    await sender.send('/hello');  // dropped by the plugin, answered to the sender only
    await sender.page.waitForFunction(() =>
      [...document.querySelectorAll('#log li.notice-notice')].some((li) => li.textContent.includes('hello, asker!')));
    await sender.send('after the command');
    await other.waitForMessage('after the command');
    await sender.waitForMessage('after the command');
    assert.deepEqual(await sender.texts(), ['after the command'], 'the command left no message bubble behind');
    assert.deepEqual(await other.texts(), ['after the command'], 'nobody else saw the command');
    assert.ok(!(await other.notices()).some((n) => n.includes('hello, asker!')), 'the reply went to the sender only');
    sender.assertHealthy();
    other.assertHealthy();
    await sender.close();
    await other.close();
  });

  it('shows rate_limited under the message, and Retry sends it later', { skip: haveRatelimit ? false : `ratelimit plugin not built (${RATELIMIT_SO} does not exist)` }, async () => {
    const sender = await ChatPage.open(browser, daemon.url, { nick: 'hasty', room: 'ratelimited' });
    const texts = Array.from({ length: BURST + 1 }, (_, i) => `quick ${i + 1}`);
    for (const text of texts) await sender.send(text);
    const last = texts[BURST];
    const error = await errorOf(sender, last);
    assert.match(error, /too fast/i);
    for (const text of texts.slice(0, BURST)) await sender.waitForMessage(text);

    // Retry until the bucket has refilled (each refused retry shows Retry again).
    const item = sender.page.locator('#log li.msg', { hasText: last });
    const deadline = Date.now() + 20_000;
    while ((await item.getAttribute('data-state')) !== 'sent') {
      assert.ok(Date.now() < deadline, 'the retried message was accepted within 20 s');
      await item.locator('button', { hasText: 'Retry' }).click();
      await sender.page.waitForFunction((t) => {
        const li = [...document.querySelectorAll('#log li.msg')].find((n) => n.querySelector('.msg-text')?.textContent === t);
        return li && (li.dataset.state === 'sent' || li.querySelector('.msg-error button'));
      }, last);
    }
    assert.deepEqual(await sender.texts(), texts, 'each message once, the retried one last');
    sender.assertHealthy();
    await sender.close();
  });

  it('asks for another nick when the nick is taken in the room', async () => {
    const first = await ChatPage.open(browser, daemon.url, { nick: 'sam', room: 'names' });
    const page = await newTrackedPage(browser);
    const second = new ChatPage(page, 'sam');
    await page.goto(`${daemon.url}/#names`);
    await second.answerNickPrompt('SAM');  // nicks are unique case-insensitively
    await page.locator('#nick-error').waitFor({ state: 'visible' });
    assert.match(await page.textContent('#nick-error'), /taken/i);
    assert.ok(await page.locator('#nick-dialog').isVisible(), 'the prompt is back');
    await second.answerNickPrompt('sam_too');
    await second.waitOnline();
    assert.equal(await page.textContent('#nick-name'), 'sam_too');
    await first.page.waitForFunction(() => document.getElementById('people-count').textContent === '2');
    first.assertHealthy();
    second.assertHealthy();
    await first.close();
    await second.close();
  });
});
