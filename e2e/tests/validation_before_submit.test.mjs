// The form applies the rules before anything is sent to the server.

import assert from 'node:assert/strict';
import { browserTest, expectText, DEMO_OFFICER } from '../support/browser.mjs';
import { SignInPage } from '../pages/sign_in_page.mjs';
import { PersonFormPage } from '../pages/person_form_page.mjs';

/** Counts attempts to create a person, so a test can show none was made. */
function watchCreates(page) {
  const creates = [];
  page.on('request', (request) => {
    if (request.method() === 'POST' && new URL(request.url()).pathname === '/api/v1/people') {
      creates.push(request);
    }
  });
  return creates;
}

browserTest('a date of birth in the future is refused under the field and nothing is sent', async ({ page }) => {
  const form = new PersonFormPage(page);
  const creates = watchCreates(page);
  await new SignInPage(page).signInAs(DEMO_OFFICER);
  await form.openNew();
  const url = page.url();

  await form.fill({ surname: 'Future', forenames: 'Tess', dateOfBirth: '2999-01-01' });
  await form.submit();

  await expectText(form.errorFor('date-of-birth'), 'A date of birth cannot be in the future');
  assert.equal(await form.errorFor('surname').count(), 0, 'the surname is fine');
  assert.equal(page.url(), url, 'still on the form');
  assert.equal(creates.length, 0, 'nothing was sent');
});

browserTest('an empty surname is asked for when the field is left, and the form will not submit', async ({ page }) => {
  const form = new PersonFormPage(page);
  const creates = watchCreates(page);
  await new SignInPage(page).signInAs(DEMO_OFFICER);
  await form.openNew();
  const url = page.url();

  // Leaving the field empty shows the rule straight away.
  await form.surname.focus();
  await form.forenames.focus();
  await expectText(form.errorFor('surname'), 'Enter a surname');

  await form.fill({ forenames: 'Nameless' });
  await form.submit();
  await expectText(form.errorFor('surname'), 'Enter a surname');
  assert.equal(page.url(), url, 'still on the form');
  assert.equal(creates.length, 0, 'nothing was sent');

  // Correcting it clears the message.
  await form.fill({ surname: 'Corrected' });
  await form.errorFor('surname').waitFor({ state: 'detached' });
});
