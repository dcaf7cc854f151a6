// A data protection officer answers a subject access request on a tablet:
// records it, records proof of identity, attaches the person, compiles the
// pack, withholds an intelligence report under s.45(4)(b), releases the
// response and downloads it as PDF and JSON. The person named with the
// subject in an occurrence must appear in neither file.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { browserTest, expectText, uniqueReference, uniqueSurname, DEMO_DPO } from '../support/browser.mjs';
import { apiUser, eventually, justification } from '../support/api.mjs';
import { SignInPage } from '../pages/sign_in_page.mjs';
import { WorkingContext } from '../pages/working_context.mjs';
import { RightsPage } from '../pages/rights_page.mjs';

const DEMO_ANALYST = { username: 'intelligence_analyst', password: 'probity-demo-pass' };
const TABLET_LANDSCAPE_SMALL = { width: 1024, height: 768 };
const MIN_TOUCH = 44;

/** `days` before today (UTC, as the server counts), as YYYY-MM-DD. */
function daysAgo(days) {
  return new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
}

/**
 * The subject, a second person named with them, an occurrence linked to
 * both whose narrative names both, and an intelligence report on the
 * subject; made through the API, since recording them is not this test's
 * subject. Waits until the search finds the subject.
 */
async function setTheScene(request, subjectSurname, otherSurname) {
  const analyst = await apiUser(request, DEMO_ANALYST);
  const make = async (url, data) => {
    const made = await request.post(url, { headers: analyst, data });
    assert.equal(made.status(), 201, `${url}: ${await made.text()}`);
    return made.json();
  };
  const subject = await make('/api/v1/people', { surname: subjectSurname, forenames: 'Robin' });
  const other = await make('/api/v1/people', { surname: otherSurname, forenames: 'Jordan' });
  const at = (person, role, category) => ({ to: { type: 'person', id: person.id }, role, subject_category: category });
  await make('/api/v1/events', {
    occurred_at: `${daysAgo(10)}T08:30`,
    details: {
      kind: 'occurrence',
      classification: 'Assault',
      officer_in_case: 'PC 3 Hargreaves',
      narrative: `${subjectSurname} says ${otherSurname} struck him outside the market`,
    },
    links: [at(subject, 'victim', 'victim'), at(other, 'suspect', 'suspect')],
  });
  const intelligence = await make('/api/v1/events', {
    occurred_at: `${daysAgo(9)}T10:00`,
    details: {
      kind: 'intelligence',
      source_evaluation: 'B',
      intelligence_assessment: '2',
      handling: 'P',
      content: [{ nature: 'fact', text: 'Subject seen at the lock-up on Tuesdays' }],
    },
    links: [at(subject, 'subject_of_intelligence', 'suspect')],
  });
  await eventually('the subject is in the search index', async () => {
    const found = await request.get('/api/v1/search/people', {
      headers: { ...analyst, ...justification('SAR-SETUP') },
      params: { surname: subjectSurname },
    });
    return found.status() === 200 && (await found.json()).hits.some((hit) => hit.id === subject.id);
  });
  return { subject, intelligence };
}

async function heightOf(locator) {
  const box = await locator.boundingBox();
  return box?.height ?? 0;
}

browserTest(
  'a data protection officer answers a subject access request, withholding intelligence, and the third party is in neither file',
  { viewport: TABLET_LANDSCAPE_SMALL, timeout: 150_000 },
  async ({ page }) => {
    const rights = new RightsPage(page);
    const context = new WorkingContext(page);
    const subjectSurname = uniqueSurname('Quillington');
    const otherSurname = uniqueSurname('Zebrowski');
    const { subject, intelligence } = await setTheScene(page.request, subjectSurname, otherSurname);
    const files = await mkdtemp(path.join(tmpdir(), 'probity-sar-'));

    try {
      await new SignInPage(page).signInAs(DEMO_DPO);
      await rights.open();
      await context.declareAccepted({ purpose: 'subject_access', reference: uniqueReference('SAR') });
      await rights.listPage.waitFor();

      // The request as it arrived, without proof of identity yet.
      await rights.newRequest.tap();
      await rights.form.waitFor();
      await rights.fill({
        requesterName: `Robin ${subjectSurname}`,
        contact: '14 Albion Street, Leeds LS1 6AB',
        receivedOn: daysAgo(2),
      });
      const made = await rights.record();
      assert.match(made.reference, /^SAR\//);
      await expectText(rights.reference, made.reference);
      await expectText(rights.daysLeft, 'Not started');

      // Identity proved: the month starts to run.
      await rights.recordIdentity(daysAgo(1), 'Passport seen at the front counter');
      await expectText(rights.daysLeft, 'days left');

      await rights.attach(`Robin ${subjectSurname}`, subject.id);
      await rights.compile();
      // The intelligence is withheld under (b) unless the officer decides
      // otherwise; here the officer decides so, with a reason.
      const intel = rights.item(`event:${intelligence.id}`);
      await expectText(intel.getByTestId('rights-item-default'), 's.45(4)(b)');
      await rights.withhold(`event:${intelligence.id}`, 'b', 'Disclosure would reveal an active line of enquiry');
      // On a landscape tablet every control of the case is a touch target
      // and nothing runs off the screen.
      assert.deepEqual(await rights.controlsShorterThan(MIN_TOUCH), []);
      assert.ok((await rights.overflow()) <= 0, 'the case fits the screen');
      await rights.releaseRest.tap();
      await rights.save();
      await expectText(rights.undecided, 'Every item is decided');

      // The preview is what the subject would receive: their name, the
      // other person replaced.
      await rights.openPreview();
      const shown = await rights.pack.innerText();
      assert.ok(shown.toLowerCase().includes(subjectSurname.toLowerCase()), 'the subject is in the preview');
      assert.ok(!shown.toLowerCase().includes(otherSurname.toLowerCase()), 'the third party is in the preview');
      assert.ok(shown.includes('[another person]'));
      await page.getByTestId('rights-preview-back').tap();
      await rights.case.waitFor();

      assert.ok((await heightOf(rights.release)) >= MIN_TOUCH, 'Release is a touch target');
      await rights.releaseResponse();
      await expectText(rights.status, 'Responded');

      const pdf = await rights.download('pdf');
      // Named by the case's id, never by the subject's name.
      assert.match(pdf.suggestedFilename(), new RegExp(`^subject-access-.*${made.id}\\.pdf$`));
      const pdfFile = path.join(files, 'response.pdf');
      await pdf.saveAs(pdfFile);
      const text = execFileSync('pdftotext', ['-layout', pdfFile, '-'], { encoding: 'utf8' });
      // Without spaces and line breaks, so a name broken across lines is found.
      const squeezed = text.replace(/\s+/g, '').toLowerCase();
      assert.ok(squeezed.includes(subjectSurname.toLowerCase()), "the subject's name is in the PDF");
      assert.ok(!squeezed.includes(otherSurname.toLowerCase()), "the third party's name is in the PDF");
      assert.ok(squeezed.includes('[anotherperson]'), 'the narrative is there with the other person replaced');
      assert.ok(!squeezed.includes('lock-up'), 'the withheld intelligence is in the PDF');

      const json = await rights.download('json');
      assert.match(json.suggestedFilename(), new RegExp(`^subject-access-.*${made.id}\\.json$`));
      const jsonFile = path.join(files, 'response.json');
      await json.saveAs(jsonFile);
      const released = JSON.parse(await readFile(jsonFile, 'utf8'));
      const whole = JSON.stringify(released).toLowerCase();
      assert.ok(whole.includes(subjectSurname.toLowerCase()), "the subject's name is in the JSON");
      assert.ok(!whole.includes(otherSurname.toLowerCase()), "the third party's name is in the JSON");
      assert.equal(released.reference, made.reference);
      assert.equal(released.withheld, true);
      assert.ok(!released.records.some((r) => r.reference === intelligence.reference), 'the intelligence was released');

      // Answered: the list says so.
      await rights.open();
      const row = rights.requests.and(page.locator(`[data-reference="${made.reference}"]`));
      await expectText(row.getByTestId('rights-status'), 'Responded');
    } finally {
      await rm(files, { recursive: true, force: true });
    }
  },
);
