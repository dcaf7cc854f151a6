// The people list: surname filter, rows, load more.

export class PeopleListPage {
  constructor(page) {
    this.page = page;
    this.filterInput = page.getByTestId('people-filter');
    this.filterSubmit = page.getByTestId('people-filter-submit');
    this.list = page.getByTestId('people-list');
    this.rows = page.getByTestId('person-row');
    this.empty = page.getByTestId('people-empty');
    this.loadMore = page.getByTestId('people-load-more');
  }

  async goto() {
    await this.page.goto('/people');
  }

  /** Opens the list from the navigation, as a user would. */
  async open() {
    await this.page.getByTestId('nav-people').tap();
    await this.page.waitForURL(/\/people$/);
  }

  async filterBySurname(surname) {
    await this.filterInput.fill(surname);
    await this.filterSubmit.tap();
  }

  row(text) {
    return this.rows.filter({ hasText: text });
  }
}
