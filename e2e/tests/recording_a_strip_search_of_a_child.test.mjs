// An officer on a tablet records a search exposing intimate parts of a
// child. The form holds them to the rules (place, appropriate adult) before
// anything is sent, then the saved search shows on the child's profile.

import assert from 'node:assert/strict';
import { browserTest, expectText, uniqueSurname, DEMO_OFFICER } from '../support/browser.mjs';
import { SignInPage } from '../pages/sign_in_page.mjs';
import { WorkingContext } from '../pages/working_context.mjs';
import { PersonFormPage } from '../pages/person_form_page.mjs';
import { PersonViewPage } from '../pages/person_view_page.mjs';
import { StopSearchFormPage, minutesAgo } from '../pages/stop_search_form_page.mjs';

const TABLET_PORTRAIT_SMALL = { width: 768, height: 1024 };
const MIN_TOUCH = 44;

/** Fifteen years and a month before today: 15 whatever the day. */
function dateOfBirthAged15() {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() - 30);
  d.setUTCFullYear(d.getUTCFullYear() - 15);
  return d.toISOString().slice(0, 10);
}

/** Every attempt to record an event, so a test can show none was made. */
function watchEventCreates(page) {
  const creates = [];
  page.on('request', (request) => {
    if (request.method() === 'POST' && new URL(request.url()).pathname === '/api/v1/events') {
      creates.push(request);
    }
  });
  return creates;
}

browserTest(
  'a strip search of a child is refused without place and appropriate adult, then saved and shown on the profile',
  { viewport: TABLET_PORTRAIT_SMALL },
  async ({ page }) => {
    const context = new WorkingContext(page);
    const personForm = new PersonFormPage(page);
    const personView = new PersonViewPage(page);
    const search = new StopSearchFormPage(page);
    const creates = watchEventCreates(page);
    const surname = uniqueSurname('Stripsearch');
    const dateOfBirth = dateOfBirthAged15();

    await new SignInPage(page).signInAs(DEMO_OFFICER);
    await context.declareAccepted({ purpose: 'investigation', reference: '01/12345' });

    // The child, recorded first.
    await personForm.openNew();
    await personForm.fill({ surname, forenames: 'Sam', dateOfBirth, gender: 'male' });
    await personForm.submit();
    await personView.waitForLoaded();
    const personId = personView.id();

    await search.goto(personId);
    await expectText(search.subjectName, surname.toUpperCase());
    assert.equal(await search.field('details.subject_date_of_birth').inputValue(), dateOfBirth, 'the date of birth comes from the record');

    // Touch targets and width on a portrait tablet.
    const box = await search.save.boundingBox();
    assert.ok(box && box.height >= MIN_TOUCH, `Save is ${box?.height} px high`);

    await search.fill({
      occurred_at: await minutesAgo(page, 30),
      'details.search_type': 'intimate_exposure',
      'details.legal_power': 'misuse_of_drugs_s23',
      'details.object_of_search': 'drugs',
      'details.grounds': 'Seen passing small wraps to others outside the school gates',
      'details.subject_sex': 'male',
      'details.self_defined_ethnicity': 'NS',
      'details.authorising_officer': 'Insp 77 Patel',
      'details.authorising_rank': 'inspector',
      'details.parent_notified_at': await minutesAgo(page, 10),
      'details.outcome': 'no_further_action',
    });
    await search.addOfficer('PC 1234', 'male');

    // Derived from the date of birth, never ticked by hand.
    await expectText(search.childNotice, 'Child (under 18 on the date of the search)');
    await search.rules.waitFor();

    // Place type and appropriate adult left empty: refused field by field.
    const url = page.url();
    await search.submit();
    await expectText(search.errorFor('details-place-type'), 'Choose the type of place');
    await expectText(search.errorFor('details-appropriate-adult'), 'appropriate adult present');
    await expectText(search.summaryItems, 'Type of place');
    await expectText(search.summaryItems, 'Appropriate adult present');
    assert.ok((await search.outstanding.count()) >= 2, 'the rules panel lists what is missing');
    assert.equal(page.url(), url, 'still on the form');
    assert.equal(creates.length, 0, 'nothing was sent');

    // A police vehicle is refused the moment it is chosen.
    await search.fill({ 'details.place_type': 'police_vehicle' });
    await expectText(search.errorFor('details-place-type'), 'never take place in a police vehicle');
    await search.vehicleRefusal.waitFor();

    // Completed: station, address, appropriate adult (with one officer, two
    // people besides the child), no exception.
    await search.fill({
      'details.place_type': 'police_station',
      'details.address': 'Millgarth Police Station, Leeds',
      'details.postcode': 'LS2 7HX',
      'details.appropriate_adult': 'J. Brown, Leeds Youth Offending Service',
    });
    await search.errorFor('details-place-type').waitFor({ state: 'detached' });
    await search.errorFor('details-appropriate-adult').waitFor({ state: 'detached' });
    assert.equal(await search.field('details.adult_absence_ground').inputValue(), '', 'no exception claimed');
    await page.getByTestId('strip-search-complete').waitFor();

    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the form is ${overflow} px wider than the screen`);

    const created = page.waitForResponse(
      (r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/v1/events',
    );
    await search.submit();
    const response = await created;
    assert.equal(response.status(), 201, 'the search was recorded');
    const sent = response.request();
    assert.match(sent.headers()['idempotency-key'] ?? '', /^[0-9a-f-]{36}$/, 'sent with an idempotency key');
    const link = sent.postDataJSON().links?.[0];
    assert.equal(link?.to?.id, personId, 'linked to the child');
    assert.equal(link?.role, 'searched_person');
    const event = await response.json();
    assert.equal(creates.length, 1, 'sent once');

    // Back on the child's profile, which lists the search.
    await page.waitForURL(new RegExp(`/people/${personId}$`));
    const row = page.getByTestId('person-event').filter({ hasText: event.reference });
    await expectText(row, 'Search exposing intimate parts');
  },
);
