// Desk staff browse events by kind, open a custody record, and correct it;
// the list, the record and the edit form all come from the same API.

import assert from 'node:assert/strict';
import { browserTest, expectText, DEMO_OFFICER } from '../support/browser.mjs';
import { SignInPage } from '../pages/sign_in_page.mjs';
import { WorkingContext } from '../pages/working_context.mjs';

browserTest('an officer lists custody records, opens one and corrects it', async ({ page }) => {
  await new SignInPage(page).signInAs(DEMO_OFFICER);
  await new WorkingContext(page).declareAccepted({ purpose: 'custody', reference: 'CUS-0001' });
  await page.getByTestId('nav-events').tap();
  await page.getByTestId('events-list').waitFor();
  await page.getByTestId('events-kind').selectOption('custody');
  await expectText(page.getByTestId('event-row-reference').first(), 'CUS/');
  const rows = page.getByTestId('event-row');
  for (let i = 0; i < (await rows.count()); i += 1) {
    await expectText(rows.nth(i).getByTestId('event-row-reference'), 'CUS/');
  }

  await rows.first().tap();
  await page.getByTestId('event-view').waitFor();
  await expectText(page.getByTestId('event-kind'), 'Custody record');
  const reference = await page.getByTestId('event-reference').textContent();

  await page.getByTestId('event-edit').tap();
  await page.getByTestId('event-form').waitFor();
  await page.getByTestId('details-appropriate-adult').fill('Duty appropriate adult, Leeds scheme');
  const saved = page.waitForResponse((r) => r.request().method() === 'PUT');
  await page.getByTestId('event-submit').tap();
  const response = await saved;
  assert.equal(response.status(), 200);
  assert.match(response.request().headers()['if-match'], /^"v\d+"$/, 'the edit says which version it changed');
  await page.getByTestId('event-view').waitFor();
  await expectText(page.getByTestId('event-reference'), reference.trim());
  await expectText(page.getByTestId('event-details-appropriate-adult'), 'Duty appropriate adult, Leeds scheme');
});
