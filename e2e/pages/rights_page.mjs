// Rights requests: the list, the new request form, the case with its
// identity, subjects, actions and decisions, the preview and the files.

export const CASE_URL = /\/rights\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const PREVIEW_URL = /\/rights\/[0-9a-f-]{36}\/preview$/;

const api = (path) => (r) => new URL(r.url()).pathname.startsWith('/api/v1/rights/requests') && new URL(r.url()).pathname.endsWith(path);

export class RightsPage {
  constructor(page) {
    this.page = page;
    this.nav = page.getByTestId('nav-rights');
    // The list.
    this.listPage = page.getByTestId('rights-list-page');
    this.requests = page.getByTestId('rights-request');
    this.newRequest = page.getByTestId('rights-new');
    // The new request form: inputs are `rights-` and the rule's field.
    this.form = page.getByTestId('rights-request-form');
    this.submit = page.getByTestId('rights-request-submit');
    this.errorSummary = page.getByTestId('rights-error-summary');
    // The case.
    this.case = page.getByTestId('rights-case');
    this.reference = page.getByTestId('rights-case-reference');
    this.status = page.getByTestId('rights-status');
    this.due = page.getByTestId('rights-due');
    this.daysLeft = page.getByTestId('rights-days-left');
    this.identityForm = page.getByTestId('rights-identity-form');
    this.identityProvedOn = page.getByTestId('rights-identity-proved-on-input');
    this.identityMeans = page.getByTestId('rights-identity-means-input');
    this.identitySubmit = page.getByTestId('rights-identity-submit');
    this.identityShown = page.getByTestId('rights-identity-proved-on');
    this.subjectSearch = page.getByTestId('rights-subject-search');
    this.subjectHits = page.getByTestId('rights-subject-hit');
    this.subjects = page.getByTestId('rights-subject');
    this.compileButton = page.getByTestId('rights-compile');
    this.compileSummary = page.getByTestId('rights-compile-summary');
    this.items = page.getByTestId('rights-item');
    this.undecided = page.getByTestId('rights-undecided');
    this.releaseRest = page.getByTestId('rights-release-rest');
    this.saveDecisions = page.getByTestId('rights-save-decisions');
    this.timeline = page.getByTestId('rights-timeline-entry');
    // The response.
    this.preview = page.getByTestId('rights-preview');
    this.pack = page.getByTestId('rights-pack');
    this.release = page.getByTestId('rights-release');
    this.releaseConfirm = page.getByTestId('rights-release-confirm');
    this.released = page.getByTestId('rights-released');
  }

  field(name) {
    return this.page.getByTestId(`rights-${name}`);
  }

  /** Opens the list from the navigation. */
  async open() {
    await this.nav.tap();
    await this.page.waitForURL(/\/rights$/);
  }

  /** Fills the new request form: { kind, requesterName, contact, receivedOn, notes }. */
  async fill({ kind = 'access', requesterName, contact, receivedOn, notes = '' }) {
    await this.field('kind').selectOption(kind);
    await this.field('requester-name').fill(requesterName);
    await this.field('requester-contact').fill(contact);
    await this.field('received-on').fill(receivedOn);
    if (notes) await this.field('notes').fill(notes);
  }

  /** Submits the form and waits for the case it made. */
  async record() {
    const made = this.page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/v1/rights/requests');
    await this.submit.tap();
    const response = await made;
    if (response.status() !== 201) throw new Error(`recording the request answered ${response.status()}`);
    await this.page.waitForURL(CASE_URL);
    await this.case.waitFor();
    return response.json();
  }

  async recordIdentity(provedOn, means) {
    await this.identityProvedOn.fill(provedOn);
    await this.identityMeans.fill(means);
    const saved = this.page.waitForResponse(api('/identity'));
    await this.identitySubmit.tap();
    if ((await saved).status() !== 200) throw new Error('recording identity was refused');
    await this.identityShown.waitFor();
  }

  /** Types into the person search and taps the hit for `personId`. */
  async attach(typed, personId) {
    await this.subjectSearch.fill(typed);
    const hit = this.subjectHits.and(this.page.locator(`[data-person-id="${personId}"]`));
    const attached = this.page.waitForResponse(api('/subjects'));
    await hit.tap();
    if ((await attached).status() !== 200) throw new Error('attaching the subject was refused');
    await this.subjects.and(this.page.locator(`[data-person-id="${personId}"]`)).waitFor();
  }

  async compile() {
    const compiled = this.page.waitForResponse(api('/compile'));
    await this.compileButton.tap();
    if ((await compiled).status() !== 200) throw new Error('compiling was refused');
    await this.compileSummary.waitFor();
    await this.items.first().waitFor();
  }

  /** The item of the pack with `key` (`event:<id>`, `person:<id>`, `recipients`). */
  item(key) {
    return this.page.locator(`[data-testid="rights-item"][data-key="${key}"]`);
  }

  async withhold(key, ground, reason) {
    const item = this.item(key);
    await item.getByTestId('rights-item-withhold').tap();
    await item.getByTestId('rights-item-ground').selectOption(ground);
    await item.getByTestId('rights-item-reason').fill(reason);
  }

  async save() {
    const saved = this.page.waitForResponse(api('/decisions'));
    await this.saveDecisions.tap();
    const response = await saved;
    if (response.status() !== 200) throw new Error(`saving decisions answered ${response.status()}: ${await response.text()}`);
  }

  async openPreview() {
    await this.preview.tap();
    await this.page.waitForURL(PREVIEW_URL);
    await this.pack.waitFor();
  }

  /** Releases (two taps) and waits for the case to say it was released. */
  async releaseResponse() {
    await this.release.tap();
    const released = this.page.waitForResponse(api('/release'));
    await this.releaseConfirm.tap();
    const response = await released;
    if (response.status() !== 200) throw new Error(`release answered ${response.status()}: ${await response.text()}`);
    await this.released.waitFor();
  }

  /** Controls on the screen shorter than `min` px (a checkbox counts by its label row). */
  async controlsShorterThan(min) {
    return this.page.evaluate((min) => {
      const controls = document.querySelectorAll(
        'main button, main select, main textarea, main input:not([type="checkbox"]), main a.button, main .rights-check',
      );
      return [...controls]
        .filter((c) => c.offsetParent !== null && c.getBoundingClientRect().height < min)
        .map((c) => `${c.dataset.testid ?? c.id ?? c.tagName}: ${Math.round(c.getBoundingClientRect().height)} px`);
    }, min);
  }

  /** How far the page is wider than the screen. */
  async overflow() {
    return this.page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  }

  /** Prepares the `pdf` or `json` file and saves it as the user would. */
  async download(kind) {
    await this.page.getByTestId(`rights-${kind}`).tap();
    const link = this.page.getByTestId(`rights-${kind}-download`);
    await link.waitFor();
    const [download] = await Promise.all([this.page.waitForEvent('download'), link.click()]);
    return download;
  }
}
