// The audit log: filters, events, verify, checkpoints and export.

export const AUDIT_URL = /\/audit(\?.*)?$/;

export class AuditPage {
  constructor(page) {
    this.page = page;
    this.root = page.getByTestId('audit-page');
    this.nav = page.getByTestId('nav-audit');
    this.filter = {
      person: page.getByTestId('audit-filter-person'),
      actor: page.getByTestId('audit-filter-actor'),
      operation: page.getByTestId('audit-filter-operation'),
      purpose: page.getByTestId('audit-filter-purpose'),
      outcome: page.getByTestId('audit-filter-outcome'),
      from: page.getByTestId('audit-filter-from'),
      to: page.getByTestId('audit-filter-to'),
      submit: page.getByTestId('audit-filter-submit'),
      clear: page.getByTestId('audit-filter-clear'),
    };
    this.table = page.getByTestId('audit-events');
    this.events = page.getByTestId('audit-event');
    this.empty = page.getByTestId('audit-empty');
    this.loadMore = page.getByTestId('audit-load-more');
    this.verifyButton = page.getByTestId('audit-verify');
    this.verifyOk = page.getByTestId('audit-verify-ok');
    this.verifySummary = page.getByTestId('audit-verify-summary');
    this.verifyFailure = page.getByTestId('audit-verify-failure');
    this.checkpointsLoad = page.getByTestId('audit-checkpoints-load');
    this.checkpoints = page.getByTestId('audit-checkpoint');
    this.checkpointsEmpty = page.getByTestId('audit-checkpoints-empty');
    this.exportFrom = page.getByTestId('audit-export-from');
    this.exportTo = page.getByTestId('audit-export-to');
    this.exportFormat = page.getByTestId('audit-export-format');
    this.exportSubmit = page.getByTestId('audit-export-submit');
    this.exportDownload = page.getByTestId('audit-export-download');
  }

  async goto(query = '') {
    await this.page.goto(`/audit${query}`);
  }

  /** Waits for the first page of results (or the empty message). */
  async waitForResults() {
    await this.table.or(this.empty).first().waitFor();
  }

  /** Chooses an operation and searches, waiting for the new results. */
  async filterByOperation(operation) {
    await this.filter.operation.selectOption(operation);
    const answered = this.page.waitForResponse(
      (r) => new URL(r.url()).pathname === '/api/v1/audit/events' && new URL(r.url()).searchParams.get('operation') === operation,
    );
    await this.filter.submit.tap();
    await answered;
    await this.waitForResults();
  }

  /** The cell of one event: time, operation, action, outcome, actor, why, records, recipients, request, position. */
  cell(event, name) {
    return event.getByTestId(`audit-event-${name}`);
  }

  async verify() {
    await this.verifyButton.tap();
    await this.verifyOk.or(this.verifyFailure).first().waitFor();
  }
}
