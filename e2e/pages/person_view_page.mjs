// One person's record.

export const PERSON_URL = /\/people\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export class PersonViewPage {
  constructor(page) {
    this.page = page;
    this.view = page.getByTestId('person-view');
    this.name = page.getByTestId('person-name');
    this.dateOfBirth = page.getByTestId('person-view-date-of-birth');
    this.gender = page.getByTestId('person-view-gender');
    this.edit = page.getByTestId('person-edit');
    this.restricted = page.getByTestId('person-restricted');
    this.auditLink = page.getByTestId('person-audit-link');
  }

  /** The person's id, from the address. */
  id() {
    return new URL(this.page.url()).pathname.split('/').pop();
  }

  async waitForLoaded() {
    await this.page.waitForURL(PERSON_URL);
    await this.view.waitFor();
  }
}
