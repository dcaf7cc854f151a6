// Erasure on a rights request: the plan (what goes, what is kept without
// the person, restricted or kept), the passages to confirm, the act, and
// the certificate with its PDF.

export const PLAN_URL = /\/rights\/[0-9a-f-]{36}\/erasure\/[0-9a-f-]{36}$/;
export const CERTIFICATE_URL = /\/erasure-certificates\/[0-9a-f-]{36}(\?.*)?$/;

const apiPath = (r) => new URL(r.url()).pathname;

export class ErasurePage {
  constructor(page) {
    this.page = page;
    // On the request.
    this.planButtons = page.getByTestId('rights-plan-erasure');
    this.respond = page.getByTestId('rights-respond');
    this.respondConfirm = page.getByTestId('rights-respond-confirm');
    this.answered = page.getByTestId('rights-answered');
    // The plan.
    this.plan = page.getByTestId('erasure-plan');
    this.deleted = page.getByTestId('erasure-delete');
    this.unlinked = page.getByTestId('erasure-unlink');
    this.passages = page.getByTestId('erasure-passage');
    this.unconfirmed = page.getByTestId('erasure-unconfirmed');
    this.errorSummary = page.getByTestId('erasure-error-summary');
    this.execute = page.getByTestId('erasure-execute');
    this.executeConfirm = page.getByTestId('erasure-execute-confirm');
    // The certificate.
    this.certificate = page.getByTestId('erasure-certificate');
    this.certificateId = page.getByTestId('certificate-id');
    this.probeResult = page.getByTestId('certificate-probe-result');
    this.backToRequest = page.getByTestId('certificate-back');
  }

  /** Plans the erasure of the subject `personId` and waits for the plan. */
  async planFor(personId) {
    const made = this.page.waitForResponse((r) => apiPath(r).endsWith('/erasure-plan') && r.request().method() === 'POST');
    await this.planButtons.and(this.page.locator(`[data-person-id="${personId}"]`)).tap();
    const response = await made;
    if (response.status() !== 201) throw new Error(`planning answered ${response.status()}: ${await response.text()}`);
    await this.page.waitForURL(PLAN_URL);
    await this.plan.waitFor();
    return response.json();
  }

  /** The entry of the deleted (or kept without the person) list for record `id`. */
  deletedRecord(id) {
    return this.deleted.and(this.page.locator(`[data-record-id="${id}"]`));
  }

  unlinkedRecord(id) {
    return this.unlinked.and(this.page.locator(`[data-record-id="${id}"]`));
  }

  passage(n) {
    return this.passages.and(this.page.locator(`[data-index="${n}"]`));
  }

  passageText(n) {
    return this.passage(n).getByTestId('erasure-passage-text');
  }

  /** The message under passage `n`. */
  passageError(n) {
    return this.page.getByTestId(`erasure-passages-${n}-error`);
  }

  /** Confirms passage `n`, with `text` typed first if given; returns the answer's status. */
  async confirmPassage(n, text) {
    if (text !== undefined) await this.passageText(n).fill(text);
    const answered = this.page.waitForResponse(
      (r) => apiPath(r).endsWith(`/passages/${n}`) && r.request().method() === 'PUT',
    );
    await this.passage(n).getByTestId('erasure-passage-confirm').tap();
    return (await answered).status();
  }

  /** Erases (two taps) and waits for the certificate. */
  async erase() {
    await this.execute.tap();
    const done = this.page.waitForResponse((r) => apiPath(r).endsWith('/execute') && r.request().method() === 'POST');
    await this.executeConfirm.tap();
    const response = await done;
    if (response.status() !== 200) throw new Error(`erasing answered ${response.status()}: ${await response.text()}`);
    await this.page.waitForURL(CERTIFICATE_URL);
    await this.certificate.waitFor();
    return response.json();
  }

  /** Prepares the file behind `testid` (`certificate-pdf`, `rights-answer-pdf`) and saves it as the user would. */
  async download(testid) {
    await this.page.getByTestId(testid).tap();
    const link = this.page.getByTestId(`${testid}-download`);
    await link.waitFor();
    const [download] = await Promise.all([this.page.waitForEvent('download'), link.click()]);
    return download;
  }

  /** Sends the answer to the request (two taps) and waits for the case to say so. */
  async sendAnswer() {
    await this.respond.tap();
    const sent = this.page.waitForResponse((r) => apiPath(r).endsWith('/respond') && r.request().method() === 'POST');
    await this.respondConfirm.tap();
    const response = await sent;
    if (response.status() !== 200) throw new Error(`responding answered ${response.status()}: ${await response.text()}`);
    await this.answered.waitFor();
    return response.json();
  }
}
