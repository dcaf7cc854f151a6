// The sign-in screen.

export class SignInPage {
  constructor(page) {
    this.page = page;
    this.form = page.getByTestId('sign-in-form');
    this.username = page.getByTestId('sign-in-username');
    this.password = page.getByTestId('sign-in-password');
    this.submit = page.getByTestId('sign-in-submit');
    this.error = page.getByTestId('sign-in-error');
  }

  async goto() {
    await this.page.goto('/sign-in');
    await this.form.waitFor();
  }

  async signIn({ username, password }) {
    await this.username.fill(username);
    await this.password.fill(password);
    await this.submit.tap();
  }

  /** Signs in and waits for the app shell. */
  async signInAs(user) {
    await this.goto();
    await this.signIn(user);
    await this.page.getByTestId('app-header').waitFor();
  }
}
