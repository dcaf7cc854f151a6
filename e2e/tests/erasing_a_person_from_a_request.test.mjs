// A data protection officer answers an erasure request on a tablet: records
// it, records proof of identity, attaches the subject, plans the erasure,
// reads what goes and what is kept without them, confirms the redaction of
// a passage that names them (the server refusing a text that still does),
// erases, and finds "0 traces" on the certificate, whose PDF names the
// certificate and never the person. Then the request is answered.

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { browserTest, expectText, uniqueReference, uniqueSurname, DEMO_DPO } from '../support/browser.mjs';
import { apiUser, eventually, justification } from '../support/api.mjs';
import { controlsShorterThan, overflow } from '../support/layout.mjs';
import { SignInPage } from '../pages/sign_in_page.mjs';
import { WorkingContext } from '../pages/working_context.mjs';
import { RightsPage } from '../pages/rights_page.mjs';
import { ErasurePage } from '../pages/erasure_page.mjs';

const DEMO_ANALYST = { username: 'intelligence_analyst', password: 'probity-demo-pass' };
const TABLET_LANDSCAPE_SMALL = { width: 1024, height: 768 };
const MIN_TOUCH = 44;

function daysAgo(days) {
  return new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
}

/** Text as pdftotext gives it, without spaces or line breaks, lower case. */
function pdfText(file) {
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' }).replace(/\s+/g, '').toLowerCase();
}

/**
 * The subject; a record only about them (deleted with them); and a record
 * about them and a second person whose narrative names the subject (kept
 * without them, the narrative redacted). Made through the API.
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
  const onlyTheirs = await make('/api/v1/events', {
    occurred_at: `${daysAgo(20)}T14:00`,
    details: {
      kind: 'occurrence',
      classification: 'Theft from a shop',
      officer_in_case: 'PC 7 Ashworth',
      narrative: 'Two bottles taken from the counter; the suspect left on foot.',
    },
    links: [at(subject, 'suspect', 'suspect')],
  });
  const shared = await make('/api/v1/events', {
    occurred_at: `${daysAgo(10)}T08:30`,
    details: {
      kind: 'occurrence',
      classification: 'Assault',
      officer_in_case: 'PC 3 Hargreaves',
      narrative: `${subjectSurname} pushed ${otherSurname} outside the market.`,
    },
    links: [at(subject, 'suspect', 'suspect'), at(other, 'victim', 'victim')],
  });
  await eventually('the subject is in the search index', async () => {
    const found = await request.get('/api/v1/search/people', {
      headers: { ...analyst, ...justification('RR-SETUP') },
      params: { surname: subjectSurname },
    });
    return found.status() === 200 && (await found.json()).hits.some((hit) => hit.id === subject.id);
  });
  return { subject, onlyTheirs, shared };
}

browserTest(
  'a data protection officer erases a person on request and the certificate finds 0 traces',
  { viewport: TABLET_LANDSCAPE_SMALL, timeout: 180_000 },
  async ({ page }) => {
    const rights = new RightsPage(page);
    const erasure = new ErasurePage(page);
    const subjectSurname = uniqueSurname('Quenby');
    const otherSurname = uniqueSurname('Thistle');
    const { subject, onlyTheirs, shared } = await setTheScene(page.request, subjectSurname, otherSurname);
    const files = await mkdtemp(path.join(tmpdir(), 'probity-erasure-'));

    try {
      await new SignInPage(page).signInAs(DEMO_DPO);
      await rights.open();
      await new WorkingContext(page).declareAccepted({
        purpose: 'data_subject_rights',
        reference: uniqueReference('RR'),
      });
      await rights.listPage.waitFor();

      // The request, from the subject's solicitors.
      await rights.newRequest.tap();
      await rights.form.waitFor();
      await rights.fill({
        kind: 'erasure',
        requesterName: 'Harper Lowe Solicitors',
        contact: '2 Park Row, Leeds LS1 5HD',
        receivedOn: daysAgo(3),
      });
      const made = await rights.record();
      assert.match(made.reference, /^RR\//);
      await rights.recordIdentity(daysAgo(1), 'Signed authority and passport copy');
      await rights.attach(`Robin ${subjectSurname}`, subject.id);

      // The plan says what goes and what stays, and why, before anything goes.
      await erasure.planFor(subject.id);
      await erasure.deletedRecord(subject.id).waitFor();
      await expectText(erasure.deletedRecord(onlyTheirs.id).getByTestId('erasure-reason'), 'only subject is the person');
      await expectText(erasure.unlinkedRecord(shared.id).getByTestId('erasure-reason'), 'about others too');
      assert.equal(await erasure.unlinkedRecord(onlyTheirs.id).count(), 0, 'the record only about them is not kept');
      assert.equal(await erasure.deletedRecord(shared.id).count(), 0, 'the shared record is not deleted');

      // The shared narrative names the subject: a passage to confirm.
      const passages = await erasure.passages.count();
      assert.ok(passages >= 1, 'the shared narrative is a passage');
      let narrative = -1;
      for (let n = 0; n < passages; n += 1) {
        const held = await erasure.passage(n).getByTestId('erasure-passage-held').innerText();
        if (held.includes('outside the market')) narrative = n;
      }
      assert.ok(narrative >= 0, 'the narrative of the shared record is listed with its text as held');
      await expectText(erasure.unconfirmed, `${passages} passage`);
      assert.ok(await erasure.execute.isDisabled(), 'Erase waits for every passage');

      // A text that still names the subject is refused under its passage.
      const proposed = await erasure.passageText(narrative).inputValue();
      assert.ok(!proposed.toLowerCase().includes(subjectSurname.toLowerCase()), 'the proposal names no one erased');
      assert.ok(proposed.includes(otherSurname), 'the other person stays in the kept record');
      assert.equal(await erasure.confirmPassage(narrative, `${subjectSurname} was outside the market.`), 422);
      await expectText(erasure.passageError(narrative), 'still names the person');
      assert.ok(await erasure.errorSummary.isVisible(), 'the summary at the top lists it too');

      // Probity's proposal is accepted; then every other passage.
      assert.equal(await erasure.confirmPassage(narrative, proposed), 200);
      assert.equal(await erasure.passageError(narrative).count(), 0, 'the message goes once the text is accepted');
      for (let n = 0; n < passages; n += 1) {
        if (n !== narrative) assert.equal(await erasure.confirmPassage(n), 200);
      }
      await expectText(erasure.unconfirmed, 'Every passage is confirmed');

      // Every control is a touch target on the landscape tablet, and the
      // plan fits the screen.
      assert.deepEqual(await controlsShorterThan(page, MIN_TOUCH), []);
      assert.ok((await overflow(page)) <= 0, 'the plan fits the screen');

      const issued = await erasure.erase();
      const certificateId = issued.certificate.id;
      await expectText(erasure.probeResult, '0 traces');
      await expectText(erasure.certificateId, certificateId);
      assert.deepEqual(await controlsShorterThan(page, MIN_TOUCH), []);
      assert.ok((await overflow(page)) <= 0, 'the certificate fits the screen');

      // The PDF: named by the certificate, naming no one.
      const pdf = await erasure.download('certificate-pdf');
      assert.match(pdf.suggestedFilename(), new RegExp(`${certificateId}\\.pdf$`));
      const pdfFile = path.join(files, 'certificate.pdf');
      await pdf.saveAs(pdfFile);
      const text = pdfText(pdfFile);
      assert.ok(text.includes(certificateId.toLowerCase()), 'the PDF names the certificate');
      assert.ok(!text.includes(subjectSurname.toLowerCase()), "the PDF holds the subject's surname");

      // Back on the request: the certificate is listed, and the answer goes.
      await erasure.backToRequest.tap();
      await rights.case.waitFor();
      await page.getByTestId('rights-certificate-link').first().waitFor();
      await erasure.sendAnswer();
      await expectText(rights.status, 'Responded');
      const answer = await erasure.download('rights-answer-pdf');
      const answerFile = path.join(files, 'answer.pdf');
      await answer.saveAs(answerFile);
      const letter = pdfText(answerFile);
      assert.ok(letter.includes(made.reference.replace(/\s+/g, '').toLowerCase()), 'the answer names the request');
      assert.ok(!letter.includes(subjectSurname.toLowerCase()), "the answer holds the subject's surname");
    } finally {
      await rm(files, { recursive: true, force: true });
    }
  },
);
