// From a person's profile an officer records the vehicle they keep and the
// address they live at; both are saved already linked and shown on the profile.

import assert from 'node:assert/strict';
import { browserTest, expectText, uniqueSurname, DEMO_OFFICER } from '../support/browser.mjs';
import { SignInPage } from '../pages/sign_in_page.mjs';
import { WorkingContext } from '../pages/working_context.mjs';
import { PersonFormPage } from '../pages/person_form_page.mjs';
import { PersonViewPage } from '../pages/person_view_page.mjs';

browserTest('an officer adds a vehicle and an address to a person from the profile', async ({ page }) => {
  const form = new PersonFormPage(page);
  const view = new PersonViewPage(page);
  await new SignInPage(page).signInAs(DEMO_OFFICER);
  await new WorkingContext(page).declareAccepted({ purpose: 'investigation', reference: 'LINK-0001' });
  await form.openNew();
  await form.fill({ surname: uniqueSurname('Keeper'), forenames: 'Jo', dateOfBirth: '1979-05-06' });
  await form.submit();
  await view.waitForLoaded();
  const personId = view.id();

  // A vehicle: the form opens from the profile and saves the link with it.
  await page.getByTestId('person-add-object').tap();
  await page.getByTestId('object-form').waitFor();
  await page.getByTestId('details-vrm').fill('yk70 abc');
  await page.getByTestId('details-make').fill('Ford');
  await page.getByTestId('details-colour').fill('Silver');
  const savedObject = page.waitForResponse(
    (r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/v1/objects',
  );
  await page.getByTestId('object-submit').tap();
  const object = await savedObject;
  assert.equal(object.status(), 201);
  const sent = object.request().postDataJSON();
  assert.equal(sent.links[0].to.id, personId, 'the vehicle is linked to the person in the same request');

  // An address, the same way.
  await page.goto(`/people/${personId}`);
  await view.view.waitFor();
  await page.getByTestId('person-add-location').tap();
  await page.getByTestId('location-form').waitFor();
  await page.getByTestId('details-address').fill('12 Albion Street, Leeds');
  await page.getByTestId('details-postcode').fill('ls1 6hx');
  await page.getByTestId('details-place-type').selectOption('dwelling');
  const savedLocation = page.waitForResponse(
    (r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/v1/locations',
  );
  await page.getByTestId('location-submit').tap();
  assert.equal((await savedLocation).status(), 201);

  await page.goto(`/people/${personId}`);
  await view.view.waitFor();
  await expectText(page.getByTestId('person-object'), 'YK70ABC');
  await expectText(page.getByTestId('person-location'), 'LS1 6HX');
});
