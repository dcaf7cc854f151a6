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
}
