// An officer who has only heard a name finds the person by typing it as it
// sounded (or while still typing it), sees why each card matched, and opens
// the profile from a card.

import assert from 'node:assert/strict';
import { browserTest, expectText, DEMO_OFFICER } from '../support/browser.mjs';
import { apiUser, eventually, justification } from '../support/api.mjs';
import { SignInPage } from '../pages/sign_in_page.mjs';
import { WorkingContext } from '../pages/working_context.mjs';
import { PeopleListPage } from '../pages/people_list_page.mjs';
import { PersonViewPage } from '../pages/person_view_page.mjs';
import { SearchPage } from '../pages/search_page.mjs';

const SURNAME = 'Featherstonehaugh';
const FORENAMES = 'Bartholomew';
const SHOWN_AS = 'FEATHERSTONEHAUGH, Bartholomew';

/**
 * A date of birth no earlier run is likely to have used, so that this run's
 * person can be told from the Featherstonehaughs the earlier runs left.
 */
function someDateOfBirth() {
  const from = Date.UTC(1960, 0, 1);
  const to = Date.UTC(1999, 11, 31);
  const d = new Date(from + Math.floor(Math.random() * ((to - from) / 86_400_000)) * 86_400_000);
  const iso = d.toISOString().slice(0, 10);
  const [y, m, day] = iso.split('-');
  return { iso, uk: `${day}/${m}/${y}` };
}

/** Records the person through the API and waits until search finds them. */
async function recordAndIndex(request, dateOfBirth) {
  const officer = await apiUser(request, DEMO_OFFICER);
  const created = await request.post('/api/v1/people', {
    headers: officer,
    data: {
      surname: SURNAME,
      forenames: FORENAMES,
      date_of_birth: dateOfBirth.iso,
      // What an officer must know before approaching shows on the card.
      details: { warning_markers: [{ kind: 'violent', review_date: '2030-01-01' }] },
    },
  });
  assert.equal(created.status(), 201);
  const person = await created.json();
  // The index follows the database within about a second.
  await eventually('the new person is in the search index', async () => {
    const found = await request.get('/api/v1/search/people', {
      headers: { ...officer, ...justification('SRCH-SETUP') },
      params: { surname: SURNAME, forenames: FORENAMES, date_of_birth: dateOfBirth.iso },
    });
    return found.status() === 200 && (await found.json()).hits.some((hit) => hit.id === person.id);
  });
  return person;
}

browserTest(
  'an officer types a misspelt name, sees the person with why they matched, and opens their profile',
  async ({ page }) => {
    const context = new WorkingContext(page);
    const people = new PeopleListPage(page);
    const search = new SearchPage(page);
    const view = new PersonViewPage(page);
    const dateOfBirth = someDateOfBirth();
    const person = await recordAndIndex(page.request, dateOfBirth);

    await new SignInPage(page).signInAs(DEMO_OFFICER);
    await context.required.waitFor();
    const declared = await context.declareAccepted({ purpose: 'investigation', reference: 'SRCH-0001' });
    await people.list.or(people.empty).first().waitFor();

    await search.open();
    // As typed, with no button: the search runs when typing pauses, even in
    // the middle of a name, and the card says the name only begins alike.
    const unfinished = 'bartholomew featherst';
    const early = search.peopleAnswer('q', unfinished);
    await search.box.fill(unfinished);
    assert.equal((await early).status(), 200);
    const begun = search.personHits.filter({ hasText: SHOWN_AS }).first();
    await expectText(begun.getByTestId('person-hit-reasons'), 'surname starts the same');

    const misspelt = 'bartolomew fetherstonhaugh';
    const answered = search.peopleAnswer('q', misspelt);
    await search.box.fill(misspelt);
    const response = await answered;
    assert.equal(response.status(), 200);
    assert.equal(
      response.request().headers()['probity-working-context'],
      declared.id,
      'the search cites the declared working context',
    );

    // Earlier runs leave Featherstonehaughs too: any of them shows the point.
    const card = search.personHits.filter({ hasText: SHOWN_AS }).first();
    await card.waitFor();
    await expectText(card.getByTestId('person-hit-reasons'), 'surname');
    await expectText(search.personCount, 'strong match');

    // The date of birth singles out this run's person.
    await search.moreFields.tap();
    const narrowed = search.peopleAnswer('date_of_birth', dateOfBirth.uk);
    await search.dateOfBirth.fill(dateOfBirth.uk);
    assert.equal((await narrowed).status(), 200);
    await search.searching.waitFor({ state: 'hidden' });
    const mine = search.personHit(person.id);
    await expectText(mine.getByTestId('person-hit-name'), SHOWN_AS);
    await expectText(mine.getByTestId('person-hit-date-of-birth'), dateOfBirth.uk);
    await expectText(mine.getByTestId('person-hit-reasons'), 'surname');
    await mine.getByTestId('hit-score').waitFor();
    await expectText(mine.getByTestId('person-hit-marker'), 'Violent');
    // A card is a tap target on a tablet: big enough, and within the screen.
    const box = await mine.boundingBox();
    const width = page.viewportSize().width;
    assert.ok(box.height >= 44, `the card is ${box.height} px high`);
    assert.ok(box.x >= 0 && box.x + box.width <= width, 'the card fits the screen');

    await mine.tap();
    await view.waitForLoaded();
    assert.equal(view.id(), person.id, 'the card opens that person');
    await expectText(view.name, SHOWN_AS);
  },
);

browserTest(
  'an officer who types a date of birth that cannot be a date is told so under that field',
  async ({ page }) => {
    const context = new WorkingContext(page);
    const people = new PeopleListPage(page);
    const search = new SearchPage(page);

    await new SignInPage(page).signInAs(DEMO_OFFICER);
    await context.required.waitFor();
    await context.declareAccepted({ purpose: 'investigation', reference: 'SRCH-0002' });
    await people.list.or(people.empty).first().waitFor();

    await search.open();
    await search.moreFields.tap();
    await search.surname.fill(SURNAME);
    const refused = search.peopleAnswer('date_of_birth', '31/13/1984');
    await search.dateOfBirth.fill('31/13/1984');
    assert.equal((await refused).status(), 422);
    await search.errorFor('date-of-birth').waitFor();
    assert.equal(await search.banner.count(), 0, 'the message is under the field, not in a banner');

    // Corrected, the message goes and the search runs again.
    const answered = search.peopleAnswer('date_of_birth', '1984');
    await search.dateOfBirth.fill('1984');
    assert.equal((await answered).status(), 200);
    await search.errorFor('date-of-birth').waitFor({ state: 'detached' });
    await search.personCount.or(search.personEmpty).first().waitFor();
  },
);
