// An officer records someone new and then finds them again.

import assert from 'node:assert/strict';
import { browserTest, expectText, uniqueSurname, DEMO_OFFICER } from '../support/browser.mjs';
import { SignInPage } from '../pages/sign_in_page.mjs';
import { WorkingContext } from '../pages/working_context.mjs';
import { PeopleListPage } from '../pages/people_list_page.mjs';
import { PersonFormPage } from '../pages/person_form_page.mjs';
import { PersonViewPage } from '../pages/person_view_page.mjs';

browserTest(
  'the demo officer declares a working context, records a new person and finds them by surname',
  async ({ page }) => {
    const context = new WorkingContext(page);
    const people = new PeopleListPage(page);
    const form = new PersonFormPage(page);
    const view = new PersonViewPage(page);
    const surname = uniqueSurname();

    await new SignInPage(page).signInAs(DEMO_OFFICER);
    await expectText(page.getByTestId('current-role'), 'Officer');

    // The list asks why before it shows anyone.
    await context.required.waitFor();
    await context.declare({ purpose: 'investigation', reference: '01/12345' });
    await expectText(context.summary, 'Investigation · 01/12345');
    await people.list.or(people.empty).first().waitFor();

    await form.openNew();
    await form.fill({ surname, forenames: 'Alex Jordan', dateOfBirth: '1990-04-17', gender: 'female' });
    await form.submit();

    await view.waitForLoaded();
    await expectText(view.name, `${surname.toUpperCase()}, Alex Jordan`);
    await expectText(view.dateOfBirth, '17/04/1990');
    await expectText(view.gender, 'Female');

    await people.open();
    await people.filterBySurname(surname.slice(0, 14).toLowerCase());
    await people.row(surname.toUpperCase()).waitFor();
    assert.equal(await people.rows.count(), 1, 'only the new person has that surname');

    await people.row(surname.toUpperCase()).tap();
    await view.waitForLoaded();
    await expectText(view.name, surname.toUpperCase());
  },
);
