// An auditor reads the audit log, narrows it and checks the hash chain.

import assert from 'node:assert/strict';
import { browserTest, expectText, uniqueReference, DEMO_AUDITOR } from '../support/browser.mjs';
import { SignInPage } from '../pages/sign_in_page.mjs';
import { WorkingContext } from '../pages/working_context.mjs';
import { AuditPage, AUDIT_URL } from '../pages/audit_page.mjs';

browserTest(
  'the demo auditor declares an audit context, sees collection events, filters by operation and finds the chain intact',
  async ({ page }) => {
    const context = new WorkingContext(page);
    const audit = new AuditPage(page);
    const reference = uniqueReference('AUD-2026');

    await new SignInPage(page).signInAs(DEMO_AUDITOR);
    await expectText(page.getByTestId('current-role'), 'Auditor');
    // An auditor sees the log, never the records: they start on the log.
    await page.waitForURL(AUDIT_URL);
    await audit.nav.waitFor();
    assert.equal(await page.getByTestId('nav-people').count(), 0, 'no People link for an auditor');
    assert.equal(await page.getByTestId('nav-new-person').count(), 0, 'no New person link for an auditor');

    // The log is personal data too: it asks why first.
    await context.required.waitFor();
    assert.equal(await audit.events.count(), 0, 'no events before a context');
    await context.declareAccepted({ purpose: 'audit', reference });
    await expectText(context.summary, `Audit · ${reference}`);

    // The demo data was collected (recorded) by the seed: those events exist.
    await audit.waitForResults();
    const shown = await audit.events.count();
    assert.ok(shown > 0, 'the log shows events');
    // Older events a page at a time (a fresh demo database may fit on one).
    if (await audit.loadMore.isVisible()) {
      await audit.loadMore.tap();
      await page.waitForFunction((n) => document.querySelectorAll('[data-testid="audit-event"]').length > n, shown);
    }

    await audit.filterByOperation('collection');
    assert.match(page.url(), /operation=collection/, 'the filter is in the address');
    const count = await audit.events.count();
    assert.ok(count > 0, 'there are collection events');
    for (let i = 0; i < Math.min(count, 10); i += 1) {
      await expectText(audit.cell(audit.events.nth(i), 'operation'), 'Collection');
    }
    await expectText(audit.cell(audit.events.first(), 'action'), '.create');
    await expectText(audit.cell(audit.events.first(), 'outcome'), 'Allowed');

    // On a portrait tablet each event is a card, and nothing scrolls sideways.
    assert.equal(await page.locator('.audit-events thead').isVisible(), false, 'no table header on a tablet');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page is ${overflow} px wider than the screen`);
    const box = await audit.verifyButton.boundingBox();
    assert.ok(box && box.height >= 44, 'the Verify button is a large enough touch target');

    await audit.verify();
    await expectText(audit.verifySummary, 'Chain intact: positions 1–');
    assert.equal(await audit.verifyFailure.count(), 0, 'no break reported');
    await expectText(audit.verifyOk, 'checkpoint');
    await expectText(audit.verifyOk, 'Head');

    // Checkpoints and an export for the Information Commissioner.
    await audit.checkpointsLoad.tap();
    await audit.checkpoints.or(audit.checkpointsEmpty).first().waitFor();
    await audit.exportFormat.selectOption('csv');
    await audit.exportSubmit.tap();
    await audit.exportDownload.waitFor();
    assert.match((await audit.exportDownload.getAttribute('download')) ?? '', /^probity-audit-.*\.csv$/);
    assert.match((await audit.exportDownload.getAttribute('href')) ?? '', /^blob:/);
    const [download] = await Promise.all([page.waitForEvent('download'), audit.exportDownload.click()]);
    assert.match(download.suggestedFilename(), /\.csv$/);
  },
);

browserTest('an auditor who opens the people list is told it is not for their role', async ({ page }) => {
  await new SignInPage(page).signInAs(DEMO_AUDITOR);
  await page.waitForURL(AUDIT_URL);
  const lists = [];
  page.on('request', (r) => {
    if (new URL(r.url()).pathname === '/api/v1/people') lists.push(r);
  });
  await page.goto('/people');
  await page.getByTestId('not-permitted').waitFor();
  assert.equal(lists.length, 0, 'nothing was asked of the server');
});
