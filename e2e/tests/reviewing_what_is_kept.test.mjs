// A supervisor reviews what is kept (MoPI) on a tablet: opens the people
// due for review, oldest first, opens the first, answers one of the six
// questions yes, is told the rationale is needed before anything is sent,
// gives it, and sees when the records are next reviewed; the person is no
// longer due. The demo data holds people due for review.

import assert from 'node:assert/strict';
import { browserTest, expectText, uniqueReference, DEMO_SUPERVISOR } from '../support/browser.mjs';
import { apiUser, eventually } from '../support/api.mjs';
import { controlsShorterThan, overflow } from '../support/layout.mjs';
import { SignInPage } from '../pages/sign_in_page.mjs';
import { WorkingContext } from '../pages/working_context.mjs';
import { RetentionPage } from '../pages/retention_page.mjs';

const TABLET_LANDSCAPE_SMALL = { width: 1024, height: 768 };
const MIN_TOUCH = 44;

/** "06/12/2031" as a Date. */
function ukDate(text) {
  const [day, month, year] = text.trim().split('/').map(Number);
  return new Date(Date.UTC(year, month - 1, day));
}

browserTest(
  'a supervisor retains a person due for review, giving the rationale, and the person is no longer due',
  { viewport: TABLET_LANDSCAPE_SMALL },
  async ({ page }) => {
    const retention = new RetentionPage(page);
    // The schedule follows the records a moment after the demo data is
    // made: wait until the queue has someone in it.
    const supervisor = await apiUser(page.request, DEMO_SUPERVISOR);
    await eventually('the demo people are due for review', async () => {
      const due = await page.request.get('/api/v1/retention/due', {
        headers: { ...supervisor, 'Probity-Justification': 'purpose=retention_review&reference=MOPI-SETUP' },
      });
      return due.status() === 200 && (await due.json()).items.length > 0;
    }, 30_000);

    await new SignInPage(page).signInAs(DEMO_SUPERVISOR);
    await retention.open();
    await new WorkingContext(page).declareAccepted({ purpose: 'retention_review', reference: uniqueReference('MOPI') });
    await retention.waitForQueue();
    assert.ok((await retention.rows.count()) > 0, 'the demo data holds people due for review');
    assert.deepEqual(await controlsShorterThan(page, MIN_TOUCH), []);
    assert.ok((await overflow(page)) <= 0, 'the queue fits the screen');

    const person = await retention.openFirst();
    await retention.questions.first().waitFor();
    assert.equal(await retention.questions.count(), 6, 'the six MoPI questions');

    // One yes: the records are retained, and so the rationale is required.
    await retention.answer(1, true);
    let sent = false;
    page.on('request', (r) => {
      if (r.method() === 'POST' && new URL(r.url()).pathname.endsWith('/reviews')) sent = true;
    });
    await retention.submit.tap();
    await expectText(retention.rationaleError, 'Enter why the records are still needed');
    await retention.errorSummary.waitFor();
    assert.equal(sent, false, 'nothing is sent while the rationale is missing');
    assert.deepEqual(await controlsShorterThan(page, MIN_TOUCH), []);
    assert.ok((await overflow(page)) <= 0, 'the review fits the screen');

    await retention.rationale.fill('Concerns about the safety of a child in the household remain open with children’s services.');
    const outcome = await retention.record();
    assert.equal(outcome.decision, 'retain');
    await retention.nextReview.waitFor();
    const next = ukDate(await retention.nextReview.innerText());
    assert.ok(next > new Date(), 'the next review is in the future');

    // No longer due: the queue no longer lists them.
    await retention.backToQueue.tap();
    await page.waitForURL(/\/retention$/);
    await retention.waitForQueue();
    assert.equal(await retention.row(person).count(), 0, 'the person reviewed is no longer due');
  },
);
