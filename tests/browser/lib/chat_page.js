// One person using chatd's page: opens it, picks a nick, sends messages and
// reads what the page shows. Every wait is for a DOM condition, never a sleep.
import assert from 'node:assert/strict';
import { newTrackedPage, unexpectedProblems } from './browser.js';

export class ChatPage {
  constructor(page, nick) {
    this.page = page;
    this.nick = nick;
  }

  // Opens `url` (with `#room` if given) as a first-time visitor and answers
  // the nick prompt. `initScript` runs in the page before its own scripts.
  static async open(browser, url, { nick, room, width, height, colorScheme, initScript } = {}) {
    const page = await newTrackedPage(browser, { width, height, colorScheme });
    if (initScript) await page.addInitScript(initScript);
    await page.goto(room ? `${url}/#${room}` : `${url}/`);
    const chat = new ChatPage(page, nick);
    await chat.answerNickPrompt(nick);
    await chat.waitOnline();
    return chat;
  }

  // Types `nick` into the nick prompt and submits it. (Callers wait for what
  // follows: the page going online, or the prompt coming back with an error.)
  async answerNickPrompt(nick) {
    await this.page.locator('#nick-dialog').waitFor({ state: 'visible' });
    await this.page.fill('#nick-input', nick);
    await this.page.press('#nick-input', 'Enter');
  }

  // The status says "Connected" (a welcome arrived).
  async waitOnline(timeout) {
    await this.page.waitForFunction(() => document.getElementById('status').dataset.state === 'online',
      null, { timeout });
  }

  async waitStatus(state, timeout) {
    await this.page.waitForFunction((s) => document.getElementById('status').dataset.state === s,
      state, { timeout });
  }

  async send(text) {
    await this.page.fill('#composer-input', text);
    await this.page.press('#composer-input', 'Enter');
  }

  // Waits until a message with exactly `text` is shown in state `state`
  // ('sent' = confirmed by the server).
  async waitForMessage(text, { state = 'sent', timeout } = {}) {
    await this.page.waitForFunction(([t, s]) =>
      [...document.querySelectorAll('#log li.msg')].some((li) =>
        li.dataset.state === s && li.querySelector('.msg-text')?.textContent === t),
    [text, state], { timeout });
  }

  // Every message of the room on screen, in order.
  messages() {
    return this.page.$$eval('#log li.msg', (items) => items.map((li) => ({
      from: li.querySelector('.msg-nick')?.textContent ?? '',
      text: li.querySelector('.msg-text')?.textContent ?? '',
      time: li.querySelector('.msg-time')?.textContent ?? '',
      state: li.dataset.state,
      own: li.classList.contains('own'),
      error: li.querySelector('.msg-error')?.textContent ?? '',
      epoch: li.dataset.epoch,
      seq: li.dataset.seq,
    })));
  }

  async texts() {
    return (await this.messages()).map((m) => m.text);
  }

  // Scrolls the log to the top and fires several scroll events at once (a
  // reader flicking the wheel): returns the first message in view, its offset
  // from the top of the log, and how many messages are shown.
  scrollToTop() {
    return this.page.evaluate(() => {
      const log = document.getElementById('log');
      log.scrollTop = 0;
      for (let i = 0; i < 5; i++) log.dispatchEvent(new Event('scroll'));
      const top = log.getBoundingClientRect().top;
      const first = [...log.querySelectorAll('li.msg')].find((li) => li.getBoundingClientRect().bottom > top);
      return { seq: first.dataset.seq, offset: first.getBoundingClientRect().top - top,
        count: log.querySelectorAll('li.msg').length };
    });
  }

  // The line above the oldest message: its state ('done' at the beginning
  // of the conversation) and text.
  historyEdge() {
    return this.page.$eval('#log .history-edge', (li) => ({ state: li.dataset.state, text: li.textContent }));
  }

  // Scrolls to the top page after page until the beginning of the
  // conversation is shown (at most `rounds` pages); after each page loaded,
  // awaits `onPage` with what scrollToTop() saw before it.
  async scrollBackToBeginning(onPage = async () => {}, rounds = 20) {
    for (let round = 0; round < rounds && (await this.historyEdge()).state !== 'done'; round++) {
      const seen = await this.scrollToTop();
      await this.page.waitForFunction((count) => document.querySelectorAll('#log li.msg').length > count ||
        document.querySelector('#log .history-edge').dataset.state === 'done', seen.count);
      await onPage(seen);
    }
  }

  notices() {
    return this.page.$$eval('#log li.notice', (items) => items.map((li) => li.textContent));
  }

  people() {
    return this.page.$$eval('#people-list li', (items) => items.map((li) => li.firstChild.textContent));
  }

  // Asserts the page logged no errors, broke no CSP rule and opened no dialog.
  assertHealthy(allowed = []) {
    assert.deepEqual(unexpectedProblems(this.page, allowed), [], `problems on ${this.nick}'s page`);
    assert.deepEqual(this.page.dialogs, [], `dialogs opened on ${this.nick}'s page`);
  }

  close() {
    return this.page.context().close();
  }
}
