// Where the browser tests find what they drive: the chatd binary, the page,
// plugins, Chromium, playwright-core, and where artifacts go. CMake sets
// every CHATD_* variable (tests/browser/CMakeLists.txt); the defaults let a
// developer run `node --test` in tests/browser with only CHATD_BIN set.
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const testsDir = path.resolve(here, '..');
const repoDir = path.resolve(testsDir, '../..');

export const CHATD_BIN = process.env.CHATD_BIN ?? path.join(repoDir, 'build/daemon/chatd');
export const PUBLIC_DIR = process.env.CHATD_PUBLIC_DIR ?? path.join(repoDir, 'public');
export const PLUGIN_DIR = process.env.CHATD_PLUGIN_DIR || path.resolve(path.dirname(CHATD_BIN), '../plugins');
// chatdctl (the control socket's client) and the daemon's test plugins
// (tests/plugins: actor.so and friends), next to chatd in the build tree.
export const CHATDCTL_BIN = process.env.CHATDCTL_BIN ?? path.resolve(path.dirname(CHATD_BIN), 'chatdctl/chatdctl');
export const TEST_PLUGIN_DIR = process.env.CHATD_TEST_PLUGIN_DIR || path.resolve(path.dirname(CHATD_BIN), '../tests/plugins');
export const ARTIFACTS_DIR = process.env.CHATD_ARTIFACTS_DIR ?? path.join(testsDir, 'artifacts');
export const CHROMIUM = process.env.CHATD_CHROMIUM ?? '/usr/bin/chromium';
export const FIXTURES_DIR = path.join(testsDir, 'fixtures');

// playwright-core from CHATD_BROWSER_DEPS (the build tree's `npm ci`), else
// from tests/browser/node_modules.
function loadPlaywright() {
  const base = process.env.CHATD_BROWSER_DEPS
    ? path.join(process.env.CHATD_BROWSER_DEPS, 'package.json')
    : path.join(testsDir, 'package.json');
  try {
    return createRequire(base)('playwright-core');
  } catch (error) {
    throw new Error(`playwright-core is not installed next to ${base}: run \`npm ci\` there ` +
                    `(ctest runs browser.npm_install first). ${error.message}`);
  }
}

export const { chromium } = loadPlaywright();

// axe-core's browser bundle (accessibility checks), from the same place.
export function axeSource() {
  const base = process.env.CHATD_BROWSER_DEPS
    ? path.join(process.env.CHATD_BROWSER_DEPS, 'package.json')
    : path.join(testsDir, 'package.json');
  return readFileSync(createRequire(base).resolve('axe-core/axe.min.js'), 'utf8');
}

// Fails early, with the fix in the message, when a prerequisite is missing.
export function checkPrerequisites() {
  if (!existsSync(CHATD_BIN)) {
    throw new Error(`chatd binary not found at ${CHATD_BIN}: build it, or set CHATD_BIN`);
  }
  if (!existsSync(CHROMIUM)) {
    throw new Error(`Chromium not found at ${CHROMIUM}: apt-get install -y chromium, or set CHATD_CHROMIUM`);
  }
}
