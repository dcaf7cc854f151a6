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
    // The profile: warning markers first, then identity, then what is linked.
    this.warnings = page.getByTestId('person-warning');
    this.noWarnings = page.getByTestId('person-no-warnings');
    this.pncId = page.getByTestId('person-view-pnc-id');
    this.events = page.getByTestId('person-event');
    this.objects = page.getByTestId('person-object');
    this.locations = page.getByTestId('person-location');
    this.recordStopSearch = page.getByTestId('person-record-stop-search');
    this.recordEvent = page.getByTestId('person-record-event');
    // For supervisors: other records that may be this person, each with
    // "Merge into this record" and then "Confirm merge".
    this.duplicates = page.getByTestId('person-duplicates');
    this.duplicateRows = page.getByTestId('person-duplicate');
    this.noDuplicates = page.getByTestId('person-duplicates-empty');
    this.merged = page.getByTestId('person-merged');
    // Copies that leave Probity, each recorded as a disclosure.
    this.print = page.getByTestId('person-print');
    this.saveAsFile = page.getByTestId('person-export');
    this.savedFile = page.getByTestId('person-export-download');
  }

  /** The possible duplicate whose profile is `personId`. */
  duplicate(personId) {
    return this.duplicateRows.filter({ has: this.page.locator(`a[href="/people/${personId}"]`) });
  }

  /** The person's id, from the address. */
  id() {
    return new URL(this.page.url()).pathname.split('/').pop();
  }

  /**
   * The id of the record shown. After a merge the duplicate's address shows
   * the survivor, so this is not always the id in the address.
   */
  async shownId() {
    return this.view.getAttribute('data-person-id');
  }

  async waitForLoaded() {
    await this.page.waitForURL(PERSON_URL);
    await this.view.waitFor();
  }
}
