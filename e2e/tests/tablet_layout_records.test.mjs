// Records are made and read on 10-inch tablets held either way: the stop and
// search form, the object form and the person profile never scroll sideways,
// and every control on them is at least 44 px high.

import assert from 'node:assert/strict';
import {
  browserTest,
  uniqueSurname,
  DEMO_OFFICER,
  DEMO_SUPERVISOR,
  TABLET_LANDSCAPE,
  TABLET_PORTRAIT,
} from '../support/browser.mjs';
import { SignInPage } from '../pages/sign_in_page.mjs';
import { WorkingContext } from '../pages/working_context.mjs';
import { PeopleListPage } from '../pages/people_list_page.mjs';
import { PersonFormPage } from '../pages/person_form_page.mjs';
import { PersonViewPage } from '../pages/person_view_page.mjs';
import { StopSearchFormPage, minutesAgo } from '../pages/stop_search_form_page.mjs';

const MIN_TOUCH = 44;

/**
 * Every visible control inside `root` that is less than 44 px high. A
 * checkbox or radio counts by its label, which the CSS makes the touch
 * target; a link counts when it is styled as a button or a row.
 */
async function smallControls(root) {
  return root.evaluate((el, min) => {
    const small = [];
    for (const control of el.querySelectorAll('input, select, button, textarea, a.button, a.record-row')) {
      const box = control.getBoundingClientRect();
      if (box.width === 0 && box.height === 0) continue;
      if (getComputedStyle(control).visibility === 'hidden') continue;
      const boxed = control.type === 'checkbox' || control.type === 'radio';
      const target = boxed ? control.closest('label') : control;
      const height = target ? target.getBoundingClientRect().height : 0;
      if (height < min) {
        const name = control.dataset.testid || control.id || control.textContent.trim() || control.tagName;
        small.push(`${name}${boxed ? "'s label" : ''} is ${height} px high`);
      }
    }
    return small;
  }, MIN_TOUCH);
}

async function sidewaysOverflow(page) {
  return page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
}

async function assertFits(page, root, what) {
  const overflow = await sidewaysOverflow(page);
  assert.ok(overflow <= 0, `${what}: the page is ${overflow} px wider than the screen`);
  assert.deepEqual(await smallControls(root), [], `${what}: every control is at least ${MIN_TOUCH} px high`);
}

/** The date of birth of someone who is `years` old today. */
function bornYearsAgo(years) {
  const d = new Date();
  d.setFullYear(d.getFullYear() - years);
  return d.toISOString().slice(0, 10);
}

for (const [orientation, viewport] of [
  ['portrait', TABLET_PORTRAIT],
  ['landscape', TABLET_LANDSCAPE],
]) {
  browserTest(
    `in ${orientation} the stop and search form and the object form fit the screen and their controls are at least 44 px high`,
    { viewport },
    async ({ page }) => {
      await new SignInPage(page).signInAs(DEMO_OFFICER);

      // A strip search of a child shows the most: the authority section, the
      // rules panel and an officer present.
      const search = new StopSearchFormPage(page);
      await page.goto('/events/new?kind=stop_search');
      await new WorkingContext(page).declareIfAsked(search.form);
      await assertFits(page, search.form, 'the empty stop and search form');
      await search.fill({
        occurred_at: await minutesAgo(page, 30),
        'details.search_type': 'intimate_exposure',
        'details.subject_date_of_birth': bornYearsAgo(15),
        'details.subject_sex': 'male',
      });
      await search.addOfficer('PC 1234', 'male');
      await search.childNotice.waitFor();
      await search.rules.waitFor();
      await search.submit();
      await search.summary.waitFor();
      await assertFits(page, search.form, 'the stop and search form of a child, refused');

      // The fields differ by kind: every kind is checked.
      const objectForm = page.getByTestId('object-form');
      await page.goto('/objects/new');
      await objectForm.waitFor();
      const kinds = await page
        .getByTestId('details-kind')
        .locator('option')
        .evaluateAll((options) => options.map((o) => o.value).filter(Boolean));
      assert.ok(kinds.length >= 4, 'vehicles, property, phones and weapons');
      for (const kind of kinds) {
        await page.getByTestId('details-kind').selectOption(kind);
        await assertFits(page, objectForm, `the object form for a ${kind}`);
      }
    },
  );

  browserTest(
    `in ${orientation} a supervisor's person profile with a possible duplicate fits the screen and its controls are at least 44 px high`,
    { viewport },
    async ({ page }) => {
      const context = new WorkingContext(page);
      const people = new PeopleListPage(page);
      const form = new PersonFormPage(page);
      const view = new PersonViewPage(page);
      const person = { surname: uniqueSurname('Layout'), forenames: 'Robin', dateOfBirth: '1979-06-30', gender: 'female' };

      await new SignInPage(page).signInAs(DEMO_SUPERVISOR);
      await context.required.waitFor();
      await context.declareAccepted({ purpose: 'investigation', reference: 'LAY-0001' });
      await people.list.or(people.empty).first().waitFor();

      // Two records of one person, so the profile lists a possible duplicate.
      await form.openNew();
      await form.fill(person);
      await form.submit();
      await view.waitForLoaded();
      await form.openNew();
      await form.fill(person);
      await form.submit();
      await form.duplicates.waitFor();
      await assertFits(page, form.form, 'the person form offering a duplicate');
      await form.saveNewAnyway.tap();
      await view.waitForLoaded();

      await view.duplicateRows.first().waitFor();
      await assertFits(page, view.view, 'the profile');
      // Asking to merge shows "Confirm merge" and "Cancel" in the row.
      await view.duplicateRows.first().getByTestId('person-duplicate-merge').tap();
      await view.duplicateRows.first().getByTestId('person-duplicate-confirm').waitFor();
      await assertFits(page, view.view, 'the profile asking to confirm a merge');
      await view.duplicateRows.first().getByTestId('person-duplicate-cancel').tap();
    },
  );
}
