// The working context: the bar in the header and the form that declares it.

export class WorkingContext {
  constructor(page) {
    this.page = page;
    this.bar = page.getByTestId('working-context');
    this.summary = page.getByTestId('working-context-summary');
    this.change = page.getByTestId('working-context-change');
    this.form = page.getByTestId('working-context-form');
    this.required = page.getByTestId('context-required');
    this.purpose = page.getByTestId('context-purpose');
    this.reference = page.getByTestId('context-reference');
    this.reason = page.getByTestId('context-reason');
    this.submit = page.getByTestId('context-submit');
    this.notice = page.getByTestId('context-notice');
  }

  errorFor(field) {
    return this.page.getByTestId(`context-${field}-error`);
  }

  /** Fills and submits the form, which must already be showing. */
  async declare({ purpose = 'investigation', reference = '', reason = '' } = {}) {
    await this.form.waitFor();
    await this.purpose.selectOption(purpose);
    await this.reference.fill(reference);
    await this.reason.fill(reason);
    await this.submit.tap();
  }

  /**
   * Waits for `target` to show; if the app asks for a working context first
   * (every page that reads or writes records does), declares one.
   */
  async declareIfAsked(target, justification = { purpose: 'investigation', reference: 'E2E-TASK' }) {
    await target.or(this.form).first().waitFor();
    if (await this.form.isVisible()) await this.declareAccepted(justification);
    await target.waitFor();
  }

  /**
   * Declares a context the form will accept and waits for the server to
   * record it. Returns the `WorkingContext` the server sent back.
   */
  async declareAccepted(justification) {
    const declared = this.page.waitForResponse(
      (r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/api/v1/working-contexts',
    );
    await this.declare(justification);
    const response = await declared;
    if (response.status() !== 201) throw new Error(`declaring the context answered ${response.status()}`);
    await this.form.waitFor({ state: 'detached' });
    return response.json();
  }
}
