// Before a new person is recorded the officer is shown who already matches,
// so one person does not become two records; they can still record a new one.

import assert from 'node:assert/strict';
import { browserTest, expectText, uniqueSurname, DEMO_OFFICER } from '../support/browser.mjs';
import { SignInPage } from '../pages/sign_in_page.mjs';
import { WorkingContext } from '../pages/working_context.mjs';
import { PeopleListPage } from '../pages/people_list_page.mjs';
import { PersonFormPage } from '../pages/person_form_page.mjs';
import { PersonViewPage } from '../pages/person_view_page.mjs';

browserTest(
  'an officer starting a second record with the same name and date of birth is offered the first, and may still save a new one',
  async ({ page }) => {
    const context = new WorkingContext(page);
    const people = new PeopleListPage(page);
    const form = new PersonFormPage(page);
    const view = new PersonViewPage(page);
    const surname = uniqueSurname('Duplicate');
    const person = { surname, forenames: 'Sam', dateOfBirth: '1987-09-03', gender: 'male' };

    await new SignInPage(page).signInAs(DEMO_OFFICER);
    // The duplicate check is a consultation, so it needs the working context.
    await context.required.waitFor();
    await context.declareAccepted({ purpose: 'investigation', reference: 'DUP-0001' });
    await people.list.or(people.empty).first().waitFor();

    // The first record: nobody matches, so it is saved straight away.
    await form.openNew();
    await form.fill(person);
    await form.submit();
    await view.waitForLoaded();
    const firstId = view.id();

    // The second: the same name and date of birth.
    await form.openNew();
    await form.fill(person);
    const checked = page.waitForResponse(
      (r) => new URL(r.url()).pathname === '/api/v1/people/duplicates',
    );
    await form.submit();
    assert.equal((await checked).status(), 200, 'the server was asked who matches');

    await form.duplicates.waitFor();
    const first = form.duplicateCandidates.filter({ hasText: surname.toUpperCase() });
    await expectText(first, `${surname.toUpperCase()}, Sam, born 03/09/1987`);
    await expectText(first, 'Same name and date of birth');
    assert.equal(
      await first.getByTestId('duplicate-candidate-link').getAttribute('href'),
      `/people/${firstId}`,
      'the candidate links to the first record',
    );
    assert.ok(page.url().endsWith('/people/new'), 'nothing was saved yet');

    // None of these: the officer records a new person all the same.
    const created = page.waitForResponse(
      (r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/v1/people',
    );
    await form.saveNewAnyway.tap();
    const response = await created;
    assert.equal(response.status(), 201);
    assert.ok(response.request().headers()['idempotency-key'], 'the create names its submission');

    await view.waitForLoaded();
    assert.notEqual(view.id(), firstId, 'a second record was made');
    await expectText(view.name, `${surname.toUpperCase()}, Sam`);
  },
);
