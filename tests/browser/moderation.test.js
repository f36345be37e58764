// Moderation as the page shows it (protocol 1.1): an operator's post
// (`chatdctl say`) and a plugin's carry a badge no member's nick can imitate,
// also in a later visitor's welcome history; `chatdctl kick` shows who
// removed the user and why and offers Rejoin; an operator's disconnect (4000)
// is explained and the page comes back; a ban (4003, from the test plugin
// actor: "ban me") is explained and the page stays away until the user asks;
// a join a plugin refuses (`forbidden`) shows the plugin's reason. With the
// shipped moderation plugin: `/help` is answered on the page (never sent) and
// marks the moderators' commands; a muted user reads until when in local
// time and why a message was refused; a ban from the room shows the others
// "was banned". The page's moderation words are unit-tested at the end.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Daemon } from './lib/daemon.js';
import { launchBrowser, accessibilityViolations } from './lib/browser.js';
import { ChatPage } from './lib/chat_page.js';
import { CHATDCTL_BIN, PLUGIN_DIR, TEST_PLUGIN_DIR, checkPrerequisites } from './lib/env.js';
import { isHelpCommand, helpLines, localTimes, HELP_FOR_MODERATORS } from '../../public/js/moderation_view.js';
import { formatTime } from '../../public/js/render.js';

const ACTOR_SO = path.join(TEST_PLUGIN_DIR, 'actor.so');
const MODERATION_SO = path.join(PLUGIN_DIR, 'moderation.so');
const haveTools = existsSync(ACTOR_SO) && existsSync(MODERATION_SO) && existsSync(CHATDCTL_BIN);
const ROOM = 'mod';
// The browser's own log line when the server closes the socket is not a page error.
const ALLOWED = [/WebSocket/];

// Waits for a notice in the room on screen whose text contains `part`; returns its text.
function noticeWith(chat, part, selector = 'li.notice') {
  return chat.page.waitForFunction(([p, s]) =>
    [...document.querySelectorAll(`#log ${s}`)].map((li) => li.textContent).find((t) => t.includes(p)) ?? false,
  [part, selector]).then((handle) => handle.jsonValue());
}

// Name, badge and classes of the message whose text is `text`.
async function messageLook(chat, text) {
  await chat.waitForMessage(text);
  return chat.page.$$eval('#log li.msg', (items, t) => {
    const li = items.find((item) => item.querySelector('.msg-text')?.textContent === t);
    return { from: li.querySelector('.msg-nick').textContent, badge: li.querySelector('.msg-badge')?.textContent ?? null,
      origin: li.dataset.origin ?? null, own: li.classList.contains('own'), className: li.className };
  }, text);
}

const status = (chat) => chat.page.$eval('#status', (node) => ({ state: node.dataset.state, text: node.textContent.trim() }));

describe('moderation on the page', { skip: haveTools ? false : `needs ${ACTOR_SO}, ${MODERATION_SO} and ${CHATDCTL_BIN} (build chatd_test_plugins moderation chatdctl)` }, () => {
  let daemon;
  let browser;

  before(async () => {
    checkPrerequisites();
    daemon = await Daemon.start('moderation', {
      controlSocket: true,
      plugins: [
        { name: 'moderation', path: MODERATION_SO, tick: '1s' },
        { name: 'actor', path: ACTOR_SO, config: { kick: true, refuse_join: 'vault', reason: 'members only' } },
      ],
    });
    browser = await launchBrowser();
  });

  after(async () => {
    await browser?.close();
    await daemon?.dispose();
  });

  it('badges an operator\'s post, also in a later visitor\'s history; a member\'s message has none', async () => {
    const alice = await ChatPage.open(browser, daemon.url, { nick: 'alice', room: ROOM });
    const said = await daemon.ctl('say', ROOM, 'maintenance at noon');
    assert.equal(said.code, 0, said.stderr);
    assert.deepEqual(await messageLook(alice, 'maintenance at noon'),
      { from: 'admin', badge: 'admin', origin: 'admin', own: false, className: 'msg msg-origin' });
    await alice.send('thanks');
    assert.equal((await messageLook(alice, 'thanks')).badge, null);

    // A member named "admin" posting looks like a member; the operator's post keeps its badge.
    const fake = await ChatPage.open(browser, daemon.url, { nick: 'admin', room: ROOM });
    const fakeSaid = await daemon.ctl('say', ROOM, 'from the real operator');
    assert.equal(fakeSaid.code, 0, fakeSaid.stderr);
    const real = await messageLook(fake, 'from the real operator');
    assert.equal(real.badge, 'admin');
    assert.equal(real.own, false, 'the operator\'s post is not the member admin\'s own message');
    await fake.send('I am admin too');
    const member = await messageLook(alice, 'I am admin too');
    assert.equal(member.badge, null);
    assert.equal(member.origin, null);
    assert.match(member.className, /^msg$/);

    // Welcome history: the same rendering.
    const carol = await ChatPage.open(browser, daemon.url, { nick: 'carol', room: ROOM });
    assert.equal((await messageLook(carol, 'maintenance at noon')).badge, 'admin');
    assert.deepEqual(await accessibilityViolations(carol.page), []);
    for (const chat of [alice, fake, carol]) {
      chat.assertHealthy();
      await chat.close();
    }
  });

  it('shows a kick with who and why, tells the others, and rejoins with the button', async () => {
    const alice = await ChatPage.open(browser, daemon.url, { nick: 'alice2', room: ROOM });
    const bob = await ChatPage.open(browser, daemon.url, { nick: 'bob', room: ROOM });
    const who = await daemon.ctl('--json', 'who', ROOM);
    const answer = JSON.parse(who.stdout);
    const bobSession = (answer.members ?? answer.result?.members).find((m) => m.nick === 'bob').session;
    const kicked = await daemon.ctl('kick', ROOM, 'bob', '--reason', 'calm down');
    assert.equal(kicked.code, 0, kicked.stderr);

    const notice = await noticeWith(bob, 'calm down', 'li.notice-kicked');
    assert.match(notice, /removed from #mod by admin: calm down/);
    await bob.page.waitForFunction(() => document.getElementById('status').dataset.state !== 'online');
    assert.match((await status(bob)).text, /Removed from #mod/);
    assert.match(await noticeWith(alice, 'bob was removed'), /bob was removed by a moderator/);
    assert.deepEqual(await accessibilityViolations(bob.page), []);

    // A reconnect meanwhile does not put bob back by itself (in no room, bob
    // is found by session only).
    const dropped = await daemon.ctl('disconnect', String(bobSession), '--reason', 'network shuffle');
    assert.equal(dropped.code, 0, dropped.stderr);
    await noticeWith(bob, 'network shuffle');
    await bob.page.waitForFunction(() => document.getElementById('status').textContent.includes('Removed from'));

    await bob.page.click('#log li.notice-kicked button');
    await bob.waitOnline();
    await alice.page.waitForFunction(() =>
      [...document.querySelectorAll('#log li.notice')].filter((li) => li.textContent.startsWith('bob joined')).length === 2);
    assert.equal(await bob.page.$$eval('#log li.notice-kicked button', (buttons) => buttons.length), 0, 'the button is used once');
    await bob.send('back again');
    await alice.waitForMessage('back again');
    for (const chat of [alice, bob]) {
      chat.assertHealthy(ALLOWED);
      await chat.close();
    }
  });

  it('explains an operator\'s disconnect (4000) and reconnects', async () => {
    const dave = await ChatPage.open(browser, daemon.url, { nick: 'dave', room: ROOM });
    const done = await daemon.ctl('disconnect', 'dave', '--reason', 'server move');
    assert.equal(done.code, 0, done.stderr);
    assert.match(await noticeWith(dave, 'server move'), /disconnected by the server's operator: server move/);
    await dave.waitOnline();
    await dave.send('still here');
    await dave.waitForMessage('still here');
    dave.assertHealthy(ALLOWED);
    await dave.close();
  });

  it('explains a ban (4003), does not reconnect by itself, and reconnects when the user asks', async () => {
    // Counts the page's WebSocket connections.
    const erin = await ChatPage.open(browser, daemon.url, {
      nick: 'erin', room: ROOM,
      initScript: () => {
        const Native = window.WebSocket;
        window.socketsOpened = 0;
        window.WebSocket = class extends Native {
          constructor(...args) {
            super(...args);
            window.socketsOpened += 1;
          }
        };
      },
    });
    const opened = await erin.page.evaluate(() => window.socketsOpened);
    await erin.send('ban me');
    assert.match(await noticeWith(erin, 'banned'), /You were banned from this server: banned/);
    await erin.page.waitForFunction(() => document.getElementById('status').textContent.includes('not reconnecting'));
    // Not a readiness wait: the page must stay away; 1.5 s is three times its first backoff (≤ 0.5 s).
    await erin.page.evaluate(() => {
      document.dispatchEvent(new Event('visibilitychange'));  // the automatic "come back now" path
      return new Promise((resolve) => { setTimeout(resolve, 1500); });
    });
    assert.equal(await erin.page.evaluate(() => window.socketsOpened), opened, 'no reconnect after 4003');
    assert.equal((await status(erin)).state, 'offline');

    await erin.page.click('#retry-button');
    await erin.waitOnline();
    assert.equal(await erin.page.evaluate(() => window.socketsOpened), opened + 1);
    erin.assertHealthy(ALLOWED);
    await erin.close();
  });

  it('answers /help on the page, marking the moderators\' commands, and sends nothing', async () => {
    const hana = await ChatPage.open(browser, daemon.url, { nick: 'hana', room: ROOM });
    const ivan = await ChatPage.open(browser, daemon.url, { nick: 'ivan', room: ROOM });
    await hana.send('/help');
    const help = await noticeWith(hana, '/kick nick', 'li.notice-help');
    assert.match(help, /\/help/);
    assert.match(help, /Moderators only/);
    assert.match(help, /\/mute nick/);
    await hana.send('after help');  // the next message goes; /help never did
    await ivan.waitForMessage('after help');
    const seen = await ivan.page.$$eval('#log li', (items) => items.map((li) => li.textContent));
    assert.ok(!seen.some((t) => t.includes('/help') || t.includes('Moderators only')), 'the help stayed on hana\'s page');
    assert.equal(await hana.page.$$eval('#log li.msg', (items) => items.filter((li) => li.textContent.includes('/help')).length), 0);
    assert.deepEqual(await accessibilityViolations(hana.page), []);
    for (const chat of [hana, ivan]) {
      chat.assertHealthy();
      await chat.close();
    }
  });

  it('tells a muted user until when, in local time, and why a message was refused', async () => {
    const jo = await ChatPage.open(browser, daemon.url, { nick: 'jo', room: ROOM });
    const muted = await daemon.ctl('mute', 'jo', '--for', '2h', '--reason', 'cool off');
    assert.equal(muted.code, 0, muted.stderr);
    const notice = await noticeWith(jo, 'you are muted');
    assert.match(notice, /you are muted everywhere until .*\d{1,2}:\d{2}/);
    assert.doesNotMatch(notice, /\d{4}-\d{2}-\d{2}T/, 'no raw UTC time');
    await jo.send('can I talk');
    const refused = await jo.page.waitForFunction(() =>
      document.querySelector('#log li.msg .msg-error')?.textContent ?? false).then((h) => h.jsonValue());
    assert.match(refused, /Not sent — muted: .*cool off/);
    assert.doesNotMatch(refused, /\d{4}-\d{2}-\d{2}T/);
    const lifted = await daemon.ctl('unmute', 'jo');
    assert.equal(lifted.code, 0, lifted.stderr);
    jo.assertHealthy();
    await jo.close();
  });

  it('shows the others "was banned" when a user is banned from the room', async () => {
    const kim = await ChatPage.open(browser, daemon.url, { nick: 'kim', room: ROOM });
    const lou = await ChatPage.open(browser, daemon.url, { nick: 'lou', room: ROOM });
    const banned = await daemon.ctl('ban', 'lou', '--room', ROOM, '--for', '1h', '--reason', 'trolling');
    assert.equal(banned.code, 0, banned.stderr);
    assert.match(await noticeWith(kim, 'lou was banned'), /lou was banned/);
    assert.match(await noticeWith(lou, 'trolling', 'li.notice-kicked'), /removed from #mod by moderation: banned: trolling/);
    const unbanned = await daemon.ctl('unban', 'lou', '--room', ROOM);
    assert.equal(unbanned.code, 0, unbanned.stderr);
    for (const chat of [kim, lou]) {
      chat.assertHealthy(ALLOWED);
      await chat.close();
    }
  });

  it('shows the plugin\'s reason when it refuses a join (forbidden)', async () => {
    const finn = await ChatPage.open(browser, daemon.url, { nick: 'finn', room: ROOM });
    await finn.page.evaluate(() => { location.hash = '#vault'; });
    assert.match(await noticeWith(finn, 'members only'), /You may not join this room: members only/);
    assert.match((await status(finn)).text, /members only/);
    finn.assertHealthy(ALLOWED);
    await finn.close();
  });

  it('renders origins apart from nicks (render.js in the page)', async () => {
    const page = (await ChatPage.open(browser, daemon.url, { nick: 'gina', room: ROOM })).page;
    const looks = await page.evaluate(async () => {
      const render = await import('/js/render.js');
      const look = (m) => {
        const li = render.messageElement({ epoch: 'e', seq: 1, ts: 0, text: 't', ...m }, false);
        return [li.className, li.dataset.origin ?? null, li.querySelector('.msg-nick').className,
          li.querySelector('.msg-badge')?.textContent ?? null];
      };
      return {
        member: look({ from: 'admin' }),
        admin: look({ from: 'admin', origin: 'admin' }),
        bot: look({ from: 'ticker', origin: 'plugin' }),
        future: look({ from: 'x', origin: 'relay' }),
      };
    });
    assert.equal(looks.member[0], 'msg');
    assert.match(looks.member[2], /msg-nick nick-c\d/);
    assert.equal(looks.member[3], null);
    assert.deepEqual(looks.admin, ['msg msg-origin', 'admin', 'msg-nick', 'admin']);
    assert.deepEqual(looks.bot, ['msg msg-origin', 'plugin', 'msg-nick', 'bot']);
    assert.deepEqual(looks.future, ['msg msg-origin', 'other', 'msg-nick', 'relay']);
    await page.context().close();
  });
});

describe('moderation words of the page (moderation_view.js)', () => {
  it('knows /help in any case, and nothing else', () => {
    assert.ok(isHelpCommand('/help'));
    assert.ok(isHelpCommand('  /HELP '));
    assert.ok(!isHelpCommand('/help me'));
    assert.ok(!isHelpCommand('help'));
  });

  it('lists the moderators\' commands after the note that they need the role', () => {
    const lines = helpLines();
    const note = lines.findIndex((line) => line.startsWith('Moderators only'));
    assert.ok(note > 0);
    assert.ok(lines.findIndex((line) => line.startsWith('/help')) < note);
    assert.equal(lines.length - note - 1, HELP_FOR_MODERATORS.length);
    assert.ok(lines.slice(note).some((line) => line.startsWith('/ban nick|address')));
  });

  it('writes the plugin\'s UTC times in local time and leaves other text alone', () => {
    const now = new Date(2026, 11, 7, 9, 0);           // local time
    const later = new Date(2026, 11, 7, 14, 5);
    const text = `you are muted everywhere until ${later.toISOString().replace(/\.\d{3}Z$/, 'Z')}: calm down`;
    const local = localTimes(text, now);
    assert.equal(local, `you are muted everywhere until ${formatTime(later, now)}: calm down`);
    assert.doesNotMatch(local, /T\d{2}:/);
    assert.equal(localTimes('muted forever: spam', now), 'muted forever: spam');
    assert.equal(localTimes('until 2026-99-99T99:99:99Z', now), 'until 2026-99-99T99:99:99Z');
  });
});
