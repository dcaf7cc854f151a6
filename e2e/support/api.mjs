// Setting the scene through the API, for tests whose subject is something
// else: the records a search should find are made here, not through forms.

import assert from 'node:assert/strict';

/**
 * Signs in through the API (not the app) and returns the headers to use:
 * the token, and a justification, which every read and write of personal
 * data states (a test that means another spreads its own over this one).
 */
export async function apiUser(request, user) {
  const signIn = await request.post('/api/v1/auth/sign-in', { data: user });
  assert.equal(signIn.status(), 200);
  return {
    Authorization: `Bearer ${(await signIn.json()).access_token}`,
    'Probity-Justification': 'purpose=investigation&reference=E2E-SETUP',
  };
}

/** The header that states why, for a consultation made through the API. */
export function justification(reference) {
  return { 'Probity-Justification': `purpose=investigation&reference=${reference}` };
}

/**
 * Asks `ask` again, four times a second, until it answers something truthy,
 * and returns that answer; fails after `timeout` ms naming `what`. For what
 * the server finishes just after it has answered, such as the search index,
 * which follows the database within about a second.
 */
export async function eventually(what, ask, timeout = 10_000) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const answer = await ask();
    if (answer) return answer;
    if (Date.now() > deadline) throw new Error(`${what}: not so after ${timeout} ms`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
