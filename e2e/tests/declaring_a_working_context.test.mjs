// DPA 2018 s.62: no consultation without a stated justification.

import assert from 'node:assert/strict';
import { browserTest, expectText, DEMO_OFFICER } from '../support/browser.mjs';
import { SignInPage } from '../pages/sign_in_page.mjs';
import { WorkingContext } from '../pages/working_context.mjs';
import { PeopleListPage } from '../pages/people_list_page.mjs';

browserTest('without a working context the people list asks for one and shows no one', async ({ page }) => {
  const context = new WorkingContext(page);
  const people = new PeopleListPage(page);
  const lists = [];
  page.on('request', (request) => {
    if (request.method() === 'GET' && new URL(request.url()).pathname === '/api/v1/people') lists.push(request);
  });

  await new SignInPage(page).signInAs(DEMO_OFFICER);
  await people.goto();
  await context.required.waitFor();
  await expectText(context.summary, 'None declared');
  assert.equal(await people.list.count(), 0, 'no list before a context');
  assert.equal(await people.rows.count(), 0, 'no people before a context');
  assert.equal(lists.length, 0, 'no one was looked up');

  // Neither a purpose nor a reference: both are asked for.
  await context.submit.tap();
  await expectText(context.errorFor('purpose'), 'Choose a purpose');
  await expectText(context.errorFor('reference'), 'Give a reference');
  assert.equal(lists.length, 0, 'still no one was looked up');

  await context.declare({ purpose: 'safeguarding', reason: 'Concern raised by school nurse' });
  await people.list.or(people.empty).first().waitFor();
  await expectText(context.summary, 'Safeguarding');
  assert.ok(lists.length >= 1, 'the list was fetched once the context was declared');
  const sent = await lists[0].headerValue('probity-justification');
  assert.match(sent ?? '', /^purpose=safeguarding&reason=Concern/);
});
