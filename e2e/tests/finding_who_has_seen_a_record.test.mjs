// DPA 2018 s.62: the data protection officer finds who consulted a record, and why.

import assert from 'node:assert/strict';
import { browserTest, expectText, uniqueReference, uniqueSurname, DEMO_DPO, DEMO_OFFICER } from '../support/browser.mjs';
import { SignInPage } from '../pages/sign_in_page.mjs';
import { WorkingContext } from '../pages/working_context.mjs';
import { PersonFormPage } from '../pages/person_form_page.mjs';
import { PersonViewPage } from '../pages/person_view_page.mjs';
import { AuditPage } from '../pages/audit_page.mjs';

browserTest(
  "after the officer records and opens a person, the data protection officer sees the officer's consultation with its purpose and reference",
  async ({ page }) => {
    const signIn = new SignInPage(page);
    const context = new WorkingContext(page);
    const form = new PersonFormPage(page);
    const view = new PersonViewPage(page);
    const audit = new AuditPage(page);
    const reference = uniqueReference('OCC');
    const surname = uniqueSurname();

    // The officer, under an investigation context, records and opens someone.
    await signIn.signInAs(DEMO_OFFICER);
    await context.declareAccepted({ purpose: 'investigation', reference });
    await form.openNew();
    await form.fill({ surname, forenames: 'Robin' });
    const read = page.waitForResponse(
      (r) => r.request().method() === 'GET' && /^\/api\/v1\/people\/[0-9a-f-]{36}\/profile$/.test(new URL(r.url()).pathname),
    );
    await form.submit();
    await view.waitForLoaded();
    assert.equal((await read).status(), 200);
    const personId = view.id();
    assert.equal(await view.auditLink.count(), 0, 'an officer cannot read the audit log');
    await page.getByTestId('sign-out').tap();
    await signIn.form.waitFor();

    // The data protection officer follows a link to the record's events.
    await signIn.signInAs(DEMO_DPO);
    await expectText(page.getByTestId('current-role'), 'Data protection officer');
    await audit.goto(`?person=${personId}`);
    await context.declareAccepted({ purpose: 'audit', reference: 'DPO-REVIEW-1' });
    await audit.waitForResults();
    assert.equal(await audit.filter.person.inputValue(), personId, 'the filter shows the person from the address');

    const consultation = audit.events.filter({ hasText: 'person.profile' }).filter({ hasText: reference });
    await consultation.first().waitFor();
    await expectText(audit.cell(consultation.first(), 'operation'), 'Consultation');
    await expectText(audit.cell(consultation.first(), 'why'), `Investigation · ${reference}`);
    await expectText(audit.cell(consultation.first(), 'actor'), 'officer');
    await expectText(audit.cell(consultation.first(), 'records'), personId);
    await expectText(audit.cell(consultation.first(), 'outcome'), 'Allowed');
    // Its creation is there too, and nothing about anyone else.
    await audit.events.filter({ hasText: 'person.create' }).first().waitFor();
    const rows = await audit.events.count();
    for (let i = 0; i < rows; i += 1) {
      await expectText(audit.cell(audit.events.nth(i), 'records'), personId);
    }

    // From the record itself, the same question is one tap away.
    await page.goto(`/people/${personId}`);
    await view.view.waitFor();
    await view.auditLink.tap();
    await page.waitForURL(new RegExp(`/audit\\?person=${personId}$`));
    await consultation.first().waitFor();
  },
);
