// The form that records a new person or corrects one.

import { WorkingContext } from './working_context.mjs';

export class PersonFormPage {
  constructor(page) {
    this.page = page;
    this.form = page.getByTestId('person-form');
    this.surname = page.getByTestId('person-surname');
    this.forenames = page.getByTestId('person-forenames');
    this.dateOfBirth = page.getByTestId('person-date-of-birth');
    this.gender = page.getByTestId('person-gender');
    this.save = page.getByTestId('person-submit');
    this.banner = page.getByTestId('error-banner');
    this.conflict = page.getByTestId('person-conflict');
    this.reload = page.getByTestId('person-reload');
    // The offer of people already recorded, shown before a new person is created.
    this.duplicates = page.getByTestId('duplicates');
    this.duplicateCandidates = page.getByTestId('duplicate-candidate');
    this.saveNewAnyway = page.getByTestId('duplicates-save-new');
  }

  /** The message under a details field, by its rule path: `details.pnc_id`. */
  detailErrorFor(path) {
    return this.page.getByTestId(`${fieldId(path)}-error`);
  }

  /** A details input by its rule path: `details.aliases[0].surname`. */
  detail(path) {
    return this.page.getByTestId(fieldId(path));
  }

  /** Adds a row to a repeating group: aliases, addresses, warning-markers. */
  async addRow(group) {
    await this.page.getByTestId(`${group}-add`).tap();
  }

  /** Opens the empty form from the navigation (declaring a working context if asked). */
  async openNew() {
    await this.page.getByTestId('nav-new-person').tap();
    await new WorkingContext(this.page).declareIfAsked(this.form);
  }

  /** The inline message under a field: surname, forenames, date-of-birth, gender. */
  errorFor(field) {
    return this.page.getByTestId(`person-${field}-error`);
  }

  async fill({ surname, forenames, dateOfBirth, gender }) {
    if (surname !== undefined) await this.surname.fill(surname);
    if (forenames !== undefined) await this.forenames.fill(forenames);
    if (dateOfBirth !== undefined) await this.dateOfBirth.fill(dateOfBirth);
    if (gender !== undefined) await this.gender.selectOption(gender);
  }

  async submit() {
    await this.save.tap();
  }
}

/** The element id the app derives from a rule's field path. */
export function fieldId(path) {
  return path
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}
