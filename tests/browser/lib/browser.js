// Headless Chromium (Debian's /usr/bin/chromium) driven by playwright-core,
// and pages that record everything that would mean a broken page: console
// errors, uncaught exceptions, CSP violations, and JavaScript dialogs (which
// an injected script would open).
import { chromium, CHROMIUM, axeSource } from './env.js';

export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run',
];

export function launchBrowser() {
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}

// A page in its own context (own localStorage, so its own nick), with its
// problems collected in `page.problems` and dialogs in `page.dialogs`.
export async function newTrackedPage(browser, { width = 1280, height = 800, colorScheme = 'light' } = {}) {
  const context = await browser.newContext({ viewport: { width, height }, colorScheme });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  page.problems = [];
  page.dialogs = [];
  page.on('console', (message) => {
    if (message.type() === 'error') page.problems.push(`console error: ${message.text()}`);
  });
  page.on('pageerror', (error) => page.problems.push(`uncaught: ${error.message}`));
  page.on('dialog', (dialog) => {
    page.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    dialog.dismiss().catch(() => {});
  });
  // Runs before the page's own scripts, outside its CSP.
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI}`);
    });
  });
  return page;
}

// Problems other than those matching `allowed` (regexps), e.g. the browser's
// own "WebSocket connection failed" while the daemon is deliberately down.
export function unexpectedProblems(page, allowed = []) {
  return page.problems.filter((problem) => !allowed.some((re) => re.test(problem)));
}

// Runs axe-core (WCAG 2.x A/AA rules) on the page and returns its violations
// as readable lines. Evaluated through the DevTools protocol, so the page's
// CSP (no inline script) does not stand in the way.
export async function accessibilityViolations(page) {
  await page.evaluate(axeSource());
  const violations = await page.evaluate(async () => {
    const result = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
    });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help,
      targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')) }));
  });
  return violations.map((v) => `${v.impact} ${v.id}: ${v.help} (${v.targets.join('; ')})`);
}
