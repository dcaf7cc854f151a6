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

  // The server records the context once and the list cites it by id.
  const declared = await context.declareAccepted({ purpose: 'safeguarding', reason: 'Concern raised by school nurse' });
  assert.equal(declared.justification.purpose, 'safeguarding');
  assert.equal(declared.justification.reason, 'Concern raised by school nurse');
  await people.list.or(people.empty).first().waitFor();
  await expectText(context.summary, 'Safeguarding');
  assert.ok(lists.length >= 1, 'the list was fetched once the context was declared');
  assert.equal(await lists[0].headerValue('probity-working-context'), declared.id);
  assert.equal(await lists[0].headerValue('probity-justification'), null, 'the justification is not sent again');

  // A reload in the same tab keeps citing the same context.
  lists.length = 0;
  await page.reload();
  await people.list.or(people.empty).first().waitFor();
  await expectText(context.summary, 'Safeguarding');
  assert.equal(await lists[0].headerValue('probity-working-context'), declared.id);
});

browserTest('a working context the server no longer knows is forgotten and asked for again', async ({ page }) => {
  const context = new WorkingContext(page);
  const people = new PeopleListPage(page);
  await new SignInPage(page).signInAs(DEMO_OFFICER);
  await people.goto();
  await context.declareAccepted({ purpose: 'investigation', reference: '01/55555' });
  await people.list.or(people.empty).first().waitFor();

  // As if it had expired: the tab still holds a context the server refuses.
  await page.evaluate(() => {
    const key = 'probity.working_context';
    const stored = JSON.parse(sessionStorage.getItem(key));
    stored.id = '00000000-0000-4000-8000-000000000000';
    sessionStorage.setItem(key, JSON.stringify(stored));
  });
  const refused = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/people' && r.status() === 428);
  await page.reload();
  await refused;
  await context.required.waitFor();
  await expectText(context.notice, 'declare a new one');
  await expectText(context.summary, 'None declared');
  assert.equal(await page.evaluate(() => sessionStorage.getItem('probity.working_context')), null);

  await context.declareAccepted({ purpose: 'investigation', reference: '01/55555' });
  await people.list.or(people.empty).first().waitFor();
});
