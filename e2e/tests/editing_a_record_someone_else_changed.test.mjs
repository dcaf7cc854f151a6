// Optimistic concurrency: a correction made to an old version of a record
// is refused, never silently overwriting someone else's.

import assert from 'node:assert/strict';
import { browserTest, expectText, uniqueSurname, DEMO_OFFICER } from '../support/browser.mjs';
import { SignInPage } from '../pages/sign_in_page.mjs';
import { WorkingContext } from '../pages/working_context.mjs';
import { PersonFormPage } from '../pages/person_form_page.mjs';
import { PersonViewPage } from '../pages/person_view_page.mjs';

async function openAsOfficer(page, path) {
  await new SignInPage(page).signInAs(DEMO_OFFICER);
  await new WorkingContext(page).declareAccepted({ purpose: 'investigation', reference: '01/77777' });
  await page.goto(path);
}

browserTest(
  'saving an edit after a colleague saved theirs says the record changed and offers a reload',
  async ({ page, openPage }) => {
    const form = new PersonFormPage(page);
    const view = new PersonViewPage(page);
    const surname = uniqueSurname();

    await new SignInPage(page).signInAs(DEMO_OFFICER);
    await new WorkingContext(page).declareAccepted({ purpose: 'investigation', reference: '01/77777' });
    await form.openNew();
    await form.fill({ surname, forenames: 'Sam' });
    await form.submit();
    await view.waitForLoaded();
    const id = view.id();

    // This officer starts an edit (version 1)...
    await view.edit.tap();
    await form.form.waitFor();
    await form.fill({ forenames: 'Samuel' });

    // ...while a colleague at another tablet saves a correction first.
    const other = await openPage();
    const otherForm = new PersonFormPage(other);
    await openAsOfficer(other, `/people/${id}/edit`);
    await otherForm.form.waitFor();
    await otherForm.fill({ forenames: 'Samantha' });
    await otherForm.submit();
    await new PersonViewPage(other).waitForLoaded();
    await other.close();

    const saved = page.waitForResponse((r) => r.request().method() === 'PUT');
    await form.submit();
    const answer = await saved;
    assert.equal(answer.status(), 412);
    assert.equal(answer.request().headers()['if-match'], '"v1"');
    await expectText(form.conflict, 'changed by someone else');
    assert.match(new URL(page.url()).pathname, /\/edit$/, 'still on the form');

    // Reloading shows the colleague's version, which can then be corrected.
    await form.reload.tap();
    await form.form.waitFor();
    await page.waitForFunction(
      (testid) => document.querySelector(`[data-testid="${testid}"]`)?.value === 'Samantha',
      'person-forenames',
    );
    await form.fill({ forenames: 'Samuel' });
    await form.submit();
    await view.waitForLoaded();
    await expectText(view.name, 'Samuel');
  },
);
