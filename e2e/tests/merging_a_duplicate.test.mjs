// One person recorded twice splits their history. An officer is shown the
// first record but may still save a second; a supervisor later sees the two
// side by side on the profile and merges them, and the second record's id
// opens the first from then on.

import assert from 'node:assert/strict';
import { browserTest, expectText, uniqueSurname, DEMO_OFFICER, DEMO_SUPERVISOR } from '../support/browser.mjs';
import { SignInPage } from '../pages/sign_in_page.mjs';
import { WorkingContext } from '../pages/working_context.mjs';
import { PeopleListPage } from '../pages/people_list_page.mjs';
import { PersonFormPage } from '../pages/person_form_page.mjs';
import { PersonViewPage } from '../pages/person_view_page.mjs';

browserTest(
  'an officer records the same person twice and a supervisor merges the second record into the first from its profile',
  async ({ page }) => {
    const signIn = new SignInPage(page);
    const context = new WorkingContext(page);
    const people = new PeopleListPage(page);
    const form = new PersonFormPage(page);
    const view = new PersonViewPage(page);
    const surname = uniqueSurname('Merge');
    const person = { surname, forenames: 'Sam', dateOfBirth: '1984-02-11', gender: 'male' };

    await signIn.signInAs(DEMO_OFFICER);
    await context.required.waitFor();
    await context.declareAccepted({ purpose: 'investigation', reference: 'MRG-0001' });
    await people.list.or(people.empty).first().waitFor();

    await form.openNew();
    await form.fill(person);
    await form.submit();
    await view.waitForLoaded();
    const firstId = view.id();

    // The second record, saved after the offer of the first.
    await form.openNew();
    await form.fill(person);
    await form.submit();
    await form.duplicates.waitFor();
    await form.saveNewAnyway.tap();
    await view.waitForLoaded();
    const secondId = view.id();
    assert.notEqual(secondId, firstId, 'a second record was made');

    // Merging is for supervisors: an officer is not even offered it.
    await view.view.waitFor();
    assert.equal(await view.duplicates.count(), 0, 'the officer sees no possible duplicates');

    await page.getByTestId('sign-out').tap();
    await signIn.form.waitFor();

    await signIn.signInAs(DEMO_SUPERVISOR);
    await context.required.waitFor();
    await context.declareAccepted({ purpose: 'investigation', reference: 'MRG-0001' });
    await page.goto(`/people/${firstId}`);
    await view.waitForLoaded();
    await expectText(view.name, `${surname.toUpperCase()}, Sam`);

    const second = view.duplicate(secondId);
    await second.waitFor();
    await expectText(second, `${surname.toUpperCase()}, Sam`);
    await expectText(second, 'Born 11/02/1984');
    await expectText(second, 'Same name and date of birth');
    assert.equal(await view.duplicate(firstId).count(), 0, 'the record shown is not its own duplicate');

    // The first tap only asks; nothing is merged until the second.
    const merges = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && new URL(r.url()).pathname.endsWith('/merge')) merges.push(r);
    });
    await second.getByTestId('person-duplicate-merge').tap();
    const confirm = second.getByTestId('person-duplicate-confirm');
    await confirm.waitFor();
    assert.equal(merges.length, 0, 'nothing is merged on the first tap');

    const merged = page.waitForResponse(
      (r) => r.request().method() === 'POST' && new URL(r.url()).pathname === `/api/v1/people/${firstId}/merge`,
    );
    await confirm.tap();
    const response = await merged;
    assert.equal(response.status(), 200);
    assert.deepEqual(response.request().postDataJSON(), { duplicate: secondId }, 'the second is folded into the first');

    await expectText(view.merged, `Merged: ${surname.toUpperCase()}, Sam, born 11/02/1984 now resolves to this record`);
    assert.equal(await view.shownId(), firstId);
    // The profile reloaded: the merged record is no longer a candidate.
    await view.duplicate(secondId).waitFor({ state: 'detached' });
    await view.noDuplicates.waitFor();

    // The second record's id now opens the first record.
    await page.goto(`/people/${secondId}`);
    await view.waitForLoaded();
    await expectText(view.name, `${surname.toUpperCase()}, Sam`);
    await expectText(view.dateOfBirth, '11/02/1984');
    assert.equal(await view.shownId(), firstId, 'the survivor is shown');
    assert.equal(await page.getByTestId('person-edit').getAttribute('href'), `/people/${firstId}/edit`);
  },
);

browserTest(
  'a merge a colleague has already made the other way round is refused with the server\'s reason and nothing changes',
  async ({ page, openPage }) => {
    const surname = uniqueSurname('Merge');
    const person = { surname, forenames: 'Alex', dateOfBirth: '1991-12-05', gender: 'female' };
    const view = new PersonViewPage(page);

    // Two records of one person, both made by the supervisor.
    await new SignInPage(page).signInAs(DEMO_SUPERVISOR);
    await new WorkingContext(page).declareAccepted({ purpose: 'investigation', reference: 'MRG-0002' });
    const form = new PersonFormPage(page);
    await form.openNew();
    await form.fill(person);
    await form.submit();
    await view.waitForLoaded();
    const firstId = view.id();
    await form.openNew();
    await form.fill(person);
    await form.submit();
    await form.duplicates.waitFor();
    await form.saveNewAnyway.tap();
    await view.waitForLoaded();
    const secondId = view.id();

    await page.goto(`/people/${firstId}`);
    await view.waitForLoaded();
    const second = view.duplicate(secondId);
    await second.getByTestId('person-duplicate-merge').tap();

    // Meanwhile a colleague at another desk merges the first into the second.
    const colleague = await openPage();
    const theirView = new PersonViewPage(colleague);
    await new SignInPage(colleague).signInAs(DEMO_SUPERVISOR);
    await new WorkingContext(colleague).declareAccepted({ purpose: 'investigation', reference: 'MRG-0002' });
    await colleague.goto(`/people/${secondId}`);
    await theirView.waitForLoaded();
    const first = theirView.duplicate(firstId);
    await first.getByTestId('person-duplicate-merge').tap();
    await first.getByTestId('person-duplicate-confirm').tap();
    await theirView.merged.waitFor();

    // The first tab still offers the stale merge: the server refuses it.
    const refused = page.waitForResponse(
      (r) => r.request().method() === 'POST' && new URL(r.url()).pathname === `/api/v1/people/${firstId}/merge`,
    );
    await second.getByTestId('person-duplicate-confirm').tap();
    const response = await refused;
    assert.ok(response.status() >= 400 && response.status() < 500, `the merge was refused (${response.status()})`);
    const problem = await response.json();
    const shown = page.getByTestId('person-merge-refused');
    await expectText(shown.getByTestId('error-title'), problem.title);
    for (const error of problem.errors ?? []) await expectText(shown, error.message);
    if (response.status() === 404) await shown.getByTestId('person-merge-gone').waitFor();
    assert.equal(await view.merged.count(), 0, 'no success is claimed');
    await second.getByTestId('person-duplicate-merge').waitFor();
  },
);
