// Signing in.

import assert from 'node:assert/strict';
import { browserTest, expectText, DEMO_OFFICER } from '../support/browser.mjs';
import { SignInPage } from '../pages/sign_in_page.mjs';

browserTest('a wrong password is not recognised and the officer stays on sign-in', async ({ page }) => {
  const signIn = new SignInPage(page);
  await signIn.goto();
  const answer = page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/auth/sign-in');
  await signIn.signIn({ username: DEMO_OFFICER.username, password: 'not-the-password' });
  assert.equal((await answer).status(), 401);

  await expectText(signIn.error, 'not recognised');
  assert.match(new URL(page.url()).pathname, /^\/sign-in$/);
  assert.equal(await page.getByTestId('app-header').count(), 0, 'not signed in');
  assert.equal(await signIn.password.inputValue(), '', 'the wrong password is cleared');

  // The right password still works (and clears the count of failures, so
  // repeated runs never throttle the demo account).
  await signIn.signIn(DEMO_OFFICER);
  await page.getByTestId('app-header').waitFor();
  await expectText(page.getByTestId('current-user'), 'Officer');
});
