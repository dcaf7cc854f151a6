// The event form opened for a stop and search. Inputs are found by the
// field path the shared rules report errors under, with separators turned
// into dashes: `details.place_type` is `details-place-type`, its message
// `details-place-type-error`, `details.officers_present[0].sex` is
// `details-officers-present-0-sex`.

export class StopSearchFormPage {
  constructor(page) {
    this.page = page;
    this.form = page.getByTestId('event-form');
    this.subjectName = page.getByTestId('event-subject-name');
    this.childNotice = page.getByTestId('stop-search-child');
    this.rules = page.getByTestId('strip-search-rules');
    this.outstanding = page.getByTestId('strip-search-outstanding-item');
    this.vehicleRefusal = page.getByTestId('strip-search-vehicle');
    this.summary = page.getByTestId('event-error-summary');
    this.summaryItems = page.getByTestId('event-error-summary-item');
    this.addOfficerButton = page.getByTestId('details-officers-present-add');
    this.save = page.getByTestId('event-submit');
    this.banner = page.getByTestId('error-banner');
  }

  /** Opens the form for a stop and search of the person with `personId`. */
  async goto(personId) {
    await this.page.goto(`/events/new?kind=stop_search&person=${personId}`);
    await this.form.waitFor();
  }

  /** The input for a field path, such as `details.place_type`. */
  field(path) {
    return this.page.getByTestId(testId(path));
  }

  /** The inline message under a field, by its id: `details-place-type`. */
  errorFor(id) {
    return this.page.getByTestId(`${id}-error`);
  }

  /**
   * Fills fields by path. Selects take the code (`police_station`), text,
   * date and time inputs take their text.
   */
  async fill(values) {
    for (const [path, value] of Object.entries(values)) {
      const input = this.field(path);
      const tag = await input.evaluate((el) => el.tagName.toLowerCase());
      if (tag === 'select') await input.selectOption(value);
      else await input.fill(value);
    }
  }

  /** Adds a row for an officer present and fills it. */
  async addOfficer(identity, sex) {
    const index = await this.page.getByTestId('officer-present-row').count();
    await this.addOfficerButton.tap();
    await this.fill({
      [`details.officers_present[${index}].identity`]: identity,
      [`details.officers_present[${index}].sex`]: sex,
    });
  }

  async submit() {
    await this.save.tap();
  }
}

/** `details.officers_present[0].sex` → `details-officers-present-0-sex`. */
export function testId(path) {
  return path
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

/** A `datetime-local` value `minutes` ago on the browser's own clock. */
export async function minutesAgo(page, minutes) {
  return page.evaluate((m) => {
    const d = new Date(Date.now() - m * 60_000);
    const pad = (n) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
  }, minutes);
}
