// An officer with only part of a registration mark finds the vehicle on a
// tablet held upright: the search and its cards never scroll sideways and
// every control on them is at least 44 px high.

import assert from 'node:assert/strict';
import { browserTest, expectText, DEMO_OFFICER } from '../support/browser.mjs';
import { apiUser, eventually, justification } from '../support/api.mjs';
import { SignInPage } from '../pages/sign_in_page.mjs';
import { WorkingContext } from '../pages/working_context.mjs';
import { PeopleListPage } from '../pages/people_list_page.mjs';
import { SearchPage } from '../pages/search_page.mjs';

const MIN_TOUCH = 44;
// The smallest common 10-inch tablet, held upright.
const SMALL_TABLET_PORTRAIT = { width: 768, height: 1024 };

/** Every visible control inside `root` that is less than 44 px high. */
async function smallControls(root) {
  return root.evaluate((el, min) => {
    const small = [];
    for (const control of el.querySelectorAll('input, select, button, textarea, a.button, a.hit-card')) {
      const box = control.getBoundingClientRect();
      if (box.width === 0 && box.height === 0) continue;
      if (getComputedStyle(control).visibility === 'hidden') continue;
      if (box.height < min) {
        const name = control.dataset.testid || control.id || control.textContent.trim() || control.tagName;
        small.push(`${name} is ${box.height} px high`);
      }
    }
    return small;
  }, MIN_TOUCH);
}

async function assertFits(page, root, what) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `${what}: the page is ${overflow} px wider than the screen`);
  assert.deepEqual(await smallControls(root), [], `${what}: every control is at least ${MIN_TOUCH} px high`);
}

/** A registration mark in the current style (AB12 CDE) no earlier run is likely to have used. */
function someRegistrationMark() {
  // Letters that appear in current marks.
  const letters = 'ABCDEFGHJKLMNPRSTUVWXY';
  const letter = () => letters[Math.floor(Math.random() * letters.length)];
  const digit = () => Math.floor(Math.random() * 10);
  return `${letter()}${letter()}${digit()}${digit()} ${letter()}${letter()}${letter()}`;
}

browserTest(
  'in portrait an officer finds a vehicle by the first four characters of its registration mark and opens it',
  { viewport: SMALL_TABLET_PORTRAIT },
  async ({ page }) => {
    const context = new WorkingContext(page);
    const people = new PeopleListPage(page);
    const search = new SearchPage(page);
    const mark = someRegistrationMark();
    const stored = mark.replace(' ', '');
    const firstFour = stored.slice(0, 4);

    // The vehicle is made through the API; finding it is the subject here.
    const officer = await apiUser(page.request, DEMO_OFFICER);
    const created = await page.request.post('/api/v1/objects', {
      headers: officer,
      data: { details: { kind: 'vehicle', vrm: mark, make: 'Vauxhall', model: 'Corsa', colour: 'Red' } },
    });
    assert.equal(created.status(), 201);
    const vehicle = await created.json();
    // The index follows the database within about a second.
    await eventually('the new vehicle is in the search index', async () => {
      const found = await page.request.get('/api/v1/search/records', {
        headers: { ...officer, ...justification('SRCH-SETUP') },
        params: { q: firstFour, family: 'object' },
      });
      return found.status() === 200 && (await found.json()).hits.some((hit) => hit.id === vehicle.id);
    });

    await new SignInPage(page).signInAs(DEMO_OFFICER);
    await context.required.waitFor();
    await context.declareAccepted({ purpose: 'investigation', reference: 'SRCH-0003' });
    await people.list.or(people.empty).first().waitFor();

    await search.open();
    await search.recordsTab.tap();
    await search.recordsBox.waitFor();
    await assertFits(page, search.root, 'the empty records search');

    const answered = search.recordsAnswer('q', firstFour);
    await search.recordsBox.fill(firstFour);
    assert.equal((await answered).status(), 200);
    const card = search.recordHit(vehicle.id);
    await expectText(card.getByTestId('record-hit-summary'), stored);
    await expectText(card.getByTestId('record-hit-kind'), 'Vehicle');
    await expectText(search.recordCount, 'match');
    await assertFits(page, search.root, 'the records search with its cards');

    // Narrowed to objects, it is still there.
    const narrowed = search.recordsAnswer('family', 'object');
    await search.family.selectOption('object');
    assert.equal((await narrowed).status(), 200);
    await search.searching.waitFor({ state: 'hidden' });
    await card.waitFor();

    await card.tap();
    await page.waitForURL(`**/objects/${vehicle.id}`);
    await expectText(page.getByTestId('object-summary'), stored);
  },
);
