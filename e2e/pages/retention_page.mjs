// Review, retention and disposal: the queue of people due for review and
// one person's review with the six questions.

export const REVIEW_URL = /\/retention\/[0-9a-f-]{36}$/;

export class RetentionPage {
  constructor(page) {
    this.page = page;
    this.nav = page.getByTestId('nav-retention');
    this.queue = page.getByTestId('retention-queue');
    this.rows = page.getByTestId('retention-due-row');
    this.empty = page.getByTestId('retention-empty');
    this.review = page.getByTestId('retention-review');
    this.due = page.getByTestId('retention-due');
    this.questions = page.getByTestId('retention-question');
    this.rationale = page.getByTestId('retention-rationale');
    this.rationaleError = page.getByTestId('retention-rationale-error');
    this.errorSummary = page.getByTestId('retention-error-summary');
    this.submit = page.getByTestId('retention-submit');
    this.outcome = page.getByTestId('retention-outcome');
    this.nextReview = page.getByTestId('retention-next-review');
    this.backToQueue = page.getByTestId('retention-back-to-queue');
  }

  async open() {
    await this.nav.tap();
    await this.page.waitForURL(/\/retention$/);
  }

  /** Waits for the queue to answer: people due, or none. */
  async waitForQueue() {
    await this.rows.first().or(this.empty).waitFor();
  }

  row(personId) {
    return this.rows.and(this.page.locator(`[data-person-id="${personId}"]`));
  }

  /** Opens the first person due and returns their id. */
  async openFirst() {
    const first = this.rows.first();
    const id = await first.getAttribute('data-person-id');
    await first.getByTestId('retention-due-person').tap();
    await this.page.waitForURL(REVIEW_URL);
    await this.review.waitFor();
    return id;
  }

  /** Answers question `n` (0 to 5) yes or no by tapping its label row. */
  async answer(n, yes) {
    await this.questions.nth(n).getByTestId(yes ? 'retention-answer-yes' : 'retention-answer-no').tap();
  }

  /** Submits a review the server should accept; returns the outcome. */
  async record() {
    const saved = this.page.waitForResponse(
      (r) => new URL(r.url()).pathname.endsWith('/reviews') && r.request().method() === 'POST',
    );
    await this.submit.tap();
    const response = await saved;
    if (response.status() !== 201) throw new Error(`the review answered ${response.status()}: ${await response.text()}`);
    await this.outcome.waitFor();
    return response.json();
  }
}
