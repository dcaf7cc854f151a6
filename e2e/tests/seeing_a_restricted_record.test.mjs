// DPA 2018 s.47(2): a restricted record is kept out of ordinary processing,
// and whoever may still open it sees at once that it is restricted.

import assert from 'node:assert/strict';
import { browserTest, expectText, uniqueSurname, DEMO_DPO, DEMO_OFFICER } from '../support/browser.mjs';
import { SignInPage } from '../pages/sign_in_page.mjs';
import { WorkingContext } from '../pages/working_context.mjs';
import { PersonViewPage } from '../pages/person_view_page.mjs';
import { apiUser } from '../support/api.mjs';

browserTest('the data protection officer sees a Restricted badge on a restricted record', async ({ page }) => {
  const request = page.request;
  // Set up through the API: the officer records someone, the DPO restricts them.
  const officer = await apiUser(request, DEMO_OFFICER);
  const created = await request.post('/api/v1/people', {
    headers: officer,
    data: { surname: uniqueSurname('Restricted'), forenames: 'Kim' },
  });
  assert.equal(created.status(), 201);
  const person = await created.json();
  assert.equal(person.restricted, false);
  const dpo = await apiUser(request, DEMO_DPO);
  const restricted = await request.put(`/api/v1/people/${person.id}/restriction`, {
    headers: { ...dpo, 'Probity-Justification': 'purpose=subject_access&reference=SAR-2026-1' },
    data: { ground: 'accuracy_contested' },
  });
  assert.equal(restricted.status(), 200);

  await new SignInPage(page).signInAs(DEMO_DPO);
  await page.goto(`/people/${person.id}`);
  await new WorkingContext(page).declareAccepted({ purpose: 'subject_access', reference: 'SAR-2026-1' });
  const view = new PersonViewPage(page);
  await view.waitForLoaded();
  await expectText(view.restricted, 'Restricted');
  await view.auditLink.waitFor();
  assert.equal(await view.edit.count(), 0, 'a data protection officer does not edit records');
});
