// A copy that leaves Probity (on paper or as a file) is a disclosure
// (DPA 2018 s.62): the server records it before the page prints or offers
// the file, and the data protection officer then sees each copy made.

import assert from 'node:assert/strict';
import { browserTest, expectText, uniqueReference, uniqueSurname, DEMO_DPO, DEMO_OFFICER } from '../support/browser.mjs';
import { SignInPage } from '../pages/sign_in_page.mjs';
import { WorkingContext } from '../pages/working_context.mjs';
import { PersonFormPage } from '../pages/person_form_page.mjs';
import { PersonViewPage } from '../pages/person_view_page.mjs';
import { AuditPage } from '../pages/audit_page.mjs';

browserTest(
  'an officer prints and saves a profile, and the data protection officer sees both as disclosures',
  async ({ page }) => {
    const signIn = new SignInPage(page);
    const context = new WorkingContext(page);
    const form = new PersonFormPage(page);
    const view = new PersonViewPage(page);
    const audit = new AuditPage(page);
    const reference = uniqueReference('CASE');
    const surname = uniqueSurname();

    await signIn.signInAs(DEMO_OFFICER);
    await context.declareAccepted({ purpose: 'prosecution', reference });
    await form.openNew();
    await form.fill({ surname, forenames: 'Morgan' });
    await form.submit();
    await view.waitForLoaded();
    const personId = view.id();

    // The browser's print dialog cannot be driven headless: count the calls.
    await page.evaluate(() => {
      window.__prints = 0;
      window.print = () => {
        window.__prints += 1;
      };
    });
    const printed = page.waitForResponse(
      (r) => new URL(r.url()).pathname === `/api/v1/people/${personId}/print`,
    );
    await view.print.tap();
    assert.equal((await printed).status(), 200);
    await page.waitForFunction(() => window.__prints === 1);

    await view.saveAsFile.tap();
    await view.savedFile.waitFor();
    // Named by the record's id, never by the person's name.
    assert.equal(await view.savedFile.getAttribute('download'), `probity-person-${personId}.json`);
    assert.match((await view.savedFile.getAttribute('href')) ?? '', /^blob:/);
    const [download] = await Promise.all([page.waitForEvent('download'), view.savedFile.click()]);
    assert.equal(download.suggestedFilename(), `probity-person-${personId}.json`);
    await page.getByTestId('sign-out').tap();
    await signIn.form.waitFor();

    await signIn.signInAs(DEMO_DPO);
    await audit.goto(`?person=${personId}&operation=disclosure`);
    await context.declareAccepted({ purpose: 'audit', reference: 'DPO-COPIES-1' });
    await audit.waitForResults();
    for (const action of ['person.print', 'person.export']) {
      const row = audit.events.filter({ hasText: action });
      await row.first().waitFor();
      assert.equal(await row.count(), 1, `one ${action}`);
      await expectText(audit.cell(row.first(), 'operation'), 'Disclosure');
      await expectText(audit.cell(row.first(), 'why'), `Prosecution · ${reference}`);
      await expectText(audit.cell(row.first(), 'records'), personId);
    }
    assert.equal(await audit.events.count(), 2, 'only the two copies are disclosures');
  },
);
