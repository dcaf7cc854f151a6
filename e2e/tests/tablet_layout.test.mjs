// The app is used on 10-inch tablets: every touch target is at least 44 px high.

import assert from 'node:assert/strict';
import { browserTest, DEMO_AUDITOR, DEMO_OFFICER, TABLET_LANDSCAPE } from '../support/browser.mjs';
import { SignInPage } from '../pages/sign_in_page.mjs';
import { WorkingContext } from '../pages/working_context.mjs';
import { AuditPage } from '../pages/audit_page.mjs';

const MIN_TOUCH = 44;

async function height(locator) {
  await locator.waitFor();
  const box = await locator.boundingBox();
  assert.ok(box, 'the element is laid out');
  return box.height;
}

browserTest(
  'in landscape the navigation and the controls are at least 44 px high',
  { viewport: TABLET_LANDSCAPE },
  async ({ page }) => {
    const signIn = new SignInPage(page);
    await signIn.goto();
    for (const target of [signIn.username, signIn.password, signIn.submit]) {
      assert.ok((await height(target)) >= MIN_TOUCH, 'sign-in controls are large enough');
    }
    await signIn.signIn(DEMO_OFFICER);
    await page.getByTestId('app-header').waitFor();

    const nav = page.getByTestId('main-nav');
    const context = new WorkingContext(page);
    const targets = {
      navigation: nav,
      'People link': page.getByTestId('nav-people'),
      'New person link': page.getByTestId('nav-new-person'),
      'Change working context': context.change,
      'Sign out': page.getByTestId('sign-out'),
      'Purpose select': context.purpose,
      'Reference input': context.reference,
      'Declare button': context.submit,
    };
    for (const [name, locator] of Object.entries(targets)) {
      const h = await height(locator);
      assert.ok(h >= MIN_TOUCH, `${name} is ${h} px high`);
    }

    // Nothing scrolls sideways at this size.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page is ${overflow} px wider than the screen`);
  },
);

browserTest(
  'in landscape the audit log shows events as cards and its controls are at least 44 px high',
  { viewport: TABLET_LANDSCAPE },
  async ({ page }) => {
    const audit = new AuditPage(page);
    await new SignInPage(page).signInAs(DEMO_AUDITOR);
    await new WorkingContext(page).declareAccepted({ purpose: 'audit', reference: 'AUD-LAYOUT-1' });
    await audit.waitForResults();

    const targets = {
      'Audit link': audit.nav,
      'Verify button': audit.verifyButton,
      'Person id input': audit.filter.person,
      'Operation select': audit.filter.operation,
      'Purpose select': audit.filter.purpose,
      'From date': audit.filter.from,
      'Search button': audit.filter.submit,
      'Actor link in an event': audit.cell(audit.events.first(), 'actor').getByRole('link'),
      'Checkpoints button': audit.checkpointsLoad,
      'Export button': audit.exportSubmit,
    };
    for (const [name, locator] of Object.entries(targets)) {
      const h = await height(locator);
      assert.ok(h >= MIN_TOUCH, `${name} is ${h} px high`);
    }
    assert.equal(await page.locator('.audit-events thead').isVisible(), false, 'cards, not a table, on a tablet');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page is ${overflow} px wider than the screen`);
  },
);

browserTest(
  'on a desktop the audit log is a table that fits the screen',
  { viewport: { width: 1440, height: 900 } },
  async ({ page }) => {
    const audit = new AuditPage(page);
    await new SignInPage(page).signInAs(DEMO_AUDITOR);
    await new WorkingContext(page).declareAccepted({ purpose: 'audit', reference: 'AUD-LAYOUT-2' });
    await audit.waitForResults();
    await page.locator('.audit-events thead').waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page is ${overflow} px wider than the screen`);
  },
);
