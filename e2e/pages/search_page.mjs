// The search screen: people as the officer types, with more fields to open;
// and on the second tab vehicles, places and occurrences.

export const SEARCH_URL = /\/search$/;

export class SearchPage {
  constructor(page) {
    this.page = page;
    this.root = page.getByTestId('search-page');
    this.nav = page.getByTestId('nav-search');
    this.peopleTab = page.getByTestId('search-tab-people');
    this.recordsTab = page.getByTestId('search-tab-records');
    this.searching = page.getByTestId('search-searching');
    this.banner = page.getByTestId('error-banner');
    // People: the one box, and the fields under "More fields".
    this.box = page.getByTestId('search-q');
    this.moreFields = page.getByTestId('search-more-fields');
    this.forenames = page.getByTestId('search-forenames');
    this.surname = page.getByTestId('search-surname');
    this.dateOfBirth = page.getByTestId('search-date-of-birth');
    this.postcode = page.getByTestId('search-postcode');
    this.town = page.getByTestId('search-town');
    this.personHits = page.getByTestId('person-hit');
    this.personCount = page.getByTestId('person-hits-count');
    this.personEmpty = page.getByTestId('person-hits-empty');
    // Records: the box and what to look in.
    this.recordsBox = page.getByTestId('search-records-q');
    this.family = page.getByTestId('search-records-family');
    this.recordHits = page.getByTestId('record-hit');
    this.recordCount = page.getByTestId('record-hits-count');
    this.recordEmpty = page.getByTestId('record-hits-empty');
  }

  /** Opens the screen from the navigation, as a user would. */
  async open() {
    await this.nav.tap();
    await this.page.waitForURL(SEARCH_URL);
    await this.root.waitFor();
  }

  /** The message under a field: q, date-of-birth, forenames, records-q... */
  errorFor(field) {
    return this.page.getByTestId(`search-${field}-error`);
  }

  /** The card of the person whose id is `personId`. */
  personHit(personId) {
    return this.page.locator(`[data-testid="person-hit"][data-person-id="${personId}"]`);
  }

  /** The card of the object, location or event whose id is `recordId`. */
  recordHit(recordId) {
    return this.page.locator(`[data-testid="record-hit"][data-record-id="${recordId}"]`);
  }

  /**
   * Waits for the answer to the people search the next typing sends, the
   * one whose `name` parameter is `value`.
   */
  peopleAnswer(name, value) {
    return this.page.waitForResponse((r) => {
      const url = new URL(r.url());
      return url.pathname === '/api/v1/search/people' && url.searchParams.get(name) === value;
    });
  }

  /** The same for the records search. */
  recordsAnswer(name, value) {
    return this.page.waitForResponse((r) => {
      const url = new URL(r.url());
      return url.pathname === '/api/v1/search/records' && url.searchParams.get(name) === value;
    });
  }
}
