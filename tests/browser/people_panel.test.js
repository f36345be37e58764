// The people panel of a big room (protocol 1.1): with chat.presence_max_members
// at 3 and chat.welcome_users at 20, a page joining a room of 60 Node clients
// shows the count and the first 20 names, loads the rest with `users` requests
// once the panel is scrolled to its end, and shows a batch of joins as one
// line ("12 people joined: …") instead of one line each.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { Daemon } from './lib/daemon.js';
import { launchBrowser } from './lib/browser.js';
import { ChatPage } from './lib/chat_page.js';
import { WsClient } from './lib/ws_client.js';
import { checkPrerequisites } from './lib/env.js';

const ROOM = 'crowd';
const CROWD = 60;
const LATE = 12;
const WELCOME_USERS = 20;
const name = (prefix, i) => `${prefix}${String(i).padStart(2, '0')}`;

// Joins `count` Node clients named prefix00, prefix01... to the room, one after the other's welcome.
async function joinCrowd(url, prefix, count) {
  const clients = [];
  for (let i = 0; i < count; i++) {
    const client = await WsClient.connect(url);
    client.send({ type: 'join', room: ROOM, nick: name(prefix, i) });
    await client.next('welcome');
    clients.push(client);
  }
  return clients;
}

const peopleCount = (chat) => chat.page.$eval('#people-count', (node) => Number(node.textContent));
const listed = (chat) => chat.page.$$eval('#people-list li:not(.more)', (items) => items.length);

describe('the people panel of a big room', () => {
  let daemon;
  let browser;
  let clients = [];

  before(async () => {
    checkPrerequisites();
    daemon = await Daemon.start('people_panel', {
      chat: { presence_max_members: 3, presence_interval: '1s', welcome_users: WELCOME_USERS },
    });
    browser = await launchBrowser();
    clients = await joinCrowd(daemon.url, 'bot', CROWD);
    // The crowd's last batch is out: the page's first names come from its welcome alone.
    await clients.at(-1).next('presence', { where: (f) => f.event === 'batch' && f.count === CROWD });
  });

  after(async () => {
    for (const client of clients) client.close?.();
    await browser?.close();
    await daemon?.dispose();
  });

  it('shows the count and the first names, loads the rest on scroll, renders a batch', async () => {
    // A short window: the first 20 names overflow the panel, so nothing more is loaded until it is scrolled.
    const chat = await ChatPage.open(browser, daemon.url, { nick: 'viewer', room: ROOM, width: 1280, height: 360 });
    await chat.page.waitForFunction((n) => Number(document.getElementById('people-count').textContent) === n,
      CROWD + 1);
    assert.equal(await listed(chat), WELCOME_USERS);
    const more = await chat.page.$eval('#people-list li.more', (node) => node.textContent);
    assert.match(more, new RegExp(`and ${CROWD + 1 - WELCOME_USERS} more`));
    assert.equal((await chat.people())[0], 'bot00');  // the first names in order (viewer sorts last)

    await chat.page.$eval('#people', (panel) => { panel.scrollTop = panel.scrollHeight; });
    await chat.page.waitForFunction((n) => document.querySelectorAll('#people-list li:not(.more)').length === n,
      CROWD + 1);
    assert.equal(await chat.page.$('#people-list li.more'), null);
    const people = await chat.people();
    assert.ok(people.includes(name('bot', CROWD - 1)));
    assert.ok(people.includes('viewer'));

    // Twelve more join: the page shows batches, never a line per join.
    clients.push(...await joinCrowd(daemon.url, 'late', LATE));
    await chat.page.waitForFunction((n) => Number(document.getElementById('people-count').textContent) === n,
      CROWD + 1 + LATE);
    // Every join since the page's own (its own included) is in a batch line.
    const all = await chat.notices();
    assert.deepEqual(all.filter((text) => /^(late|viewer)\S* joined/.test(text)), []);
    const batches = all.filter((text) => / joined: /.test(text));
    assert.ok(batches.length >= 1, 'a batch was shown');
    for (const text of batches) assert.match(text, /^\d+ (people|person) joined: (viewer|late\d\d)/);
    const total = batches.reduce((sum, text) => sum + Number(text.match(/^(\d+)/)[1]), 0);
    assert.equal(total, LATE + 1);
    assert.equal(await peopleCount(chat), CROWD + 1 + LATE);
    assert.ok((await chat.people()).includes(name('late', LATE - 1)));
    chat.assertHealthy();
    await chat.close();
  });
});
