// One fresh Chromium per test, driven by playwright-core against Debian's
// /usr/bin/chromium (never a downloaded browser). A test fails on any page
// error or console error, and leaves a screenshot in e2e/artifacts/.

import { test, before } from 'node:test';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const BASE_URL = (process.env.PROBITY_URL ?? 'http://127.0.0.1:8080').replace(/\/$/, '');
export const CHROMIUM = process.env.PROBITY_CHROMIUM ?? '/usr/bin/chromium';
const ARTIFACTS = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'artifacts');

export const TABLET_PORTRAIT = { width: 800, height: 1280 };
export const TABLET_LANDSCAPE = { width: 1280, height: 800 };

// The first page load after a server start can take 6-12 s.
export const TIMEOUT = 20_000;

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let ready;

/** Waits (once per run) until the server says it is ready. */
export function serverReady() {
  ready ??= (async () => {
    const deadline = Date.now() + 60_000;
    let last = 'no answer';
    while (Date.now() < deadline) {
      try {
        const response = await fetch(`${BASE_URL}/readyz`);
        if (response.status === 200) return;
        last = `status ${response.status}`;
      } catch (error) {
        last = error.message;
      }
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    throw new Error(`${BASE_URL}/readyz did not answer 200 within 60 s (${last})`);
  })();
  return ready;
}

// Chromium logs every 4xx/5xx response as a console error. Tests that expect
// a refusal (a wrong password is a 401) assert the response themselves, so
// these network lines are not treated as app errors.
function isNetworkLog(message) {
  return /^Failed to load resource: the server responded with a status of \d+/.test(message.text());
}

function slug(name) {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 100);
}

/**
 * Declares a test that gets a fresh browser and page.
 * `options.viewport` defaults to a portrait 10-inch tablet with touch.
 */
export function browserTest(name, options, body) {
  if (typeof options === 'function') {
    body = options;
    options = {};
  }
  before(serverReady, { timeout: 65_000 });
  test(name, { timeout: options.timeout ?? 90_000 }, async () => {
    const userDataDir = await mkdtemp(path.join(tmpdir(), 'probity-e2e-'));
    const context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: options.viewport ?? TABLET_PORTRAIT,
      hasTouch: options.hasTouch ?? true,
      baseURL: BASE_URL,
      locale: 'en-GB',
      timezoneId: 'Europe/London',
    });
    context.setDefaultTimeout(TIMEOUT);
    const problems = [];
    const watch = (page) => {
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      page.on('console', (message) => {
        if (message.type() === 'error' && !isNetworkLog(message)) {
          problems.push(`console error: ${message.text()}`);
        }
      });
      return page;
    };
    const page = watch(context.pages()[0] ?? (await context.newPage()));
    // Another tab, watched the same way: sessionStorage is per tab, so it
    // needs its own sign-in, as a second user at another desk would.
    const openPage = async () => watch(await context.newPage());
    await mkdir(ARTIFACTS, { recursive: true });
    const shot = path.join(ARTIFACTS, slug(name));
    try {
      await body({ page, context, openPage });
      await page.screenshot({ path: `${shot}.png`, fullPage: true });
    } catch (error) {
      await page.screenshot({ path: `${shot}-failure.png`, fullPage: true }).catch(() => {});
      throw error;
    } finally {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    }
    if (problems.length > 0) {
      throw new Error(`The page reported errors:\n${problems.join('\n')}`);
    }
  });
}

/** Waits until one of the locator's elements shows text containing `expected`. */
export async function expectText(locator, expected, timeout = TIMEOUT) {
  await locator.filter({ hasText: expected }).first().waitFor({ state: 'visible', timeout });
}

/** A surname no other run has used: names may hold letters only. */
export function uniqueSurname(prefix = 'Testperson') {
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  let suffix = '';
  for (let i = 0; i < 8; i += 1) suffix += letters[Math.floor(Math.random() * letters.length)];
  return `${prefix}${suffix}`;
}

export const DEMO_OFFICER = { username: 'officer', password: 'probity-demo-pass' };
export const DEMO_AUDITOR = { username: 'auditor', password: 'probity-demo-pass' };
export const DEMO_DPO = { username: 'data_protection_officer', password: 'probity-demo-pass' };
export const DEMO_SUPERVISOR = { username: 'supervisor', password: 'probity-demo-pass' };

/** A reference no other run has used, such as AUD-2026-4821. */
export function uniqueReference(prefix = 'E2E') {
  return `${prefix}-${Date.now().toString(36).toUpperCase()}-${Math.floor(Math.random() * 1e4)}`;
}
