// A real OpenID Connect provider (the npm package oidc-provider) on loopback, for the single
// sign-on tests. Configured from the environment by tests/production/test_oidc.py:
//   OIDC_PORT, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_REDIRECT_URI,
//   OIDC_ACCOUNTS  JSON {"login": {"email": ..., "name": ..., "groups": [...]}, ...}
//   OIDC_ACCOUNTS_FILE  the same JSON in a file, read at every sign-in (a test may change a claim)
// An account's sub is its login; its preferred_username is the login unless the account sets one.
// Sign-in uses the package's development interactions (a login form and a consent form); the
// rest (authorization code with PKCE, tokens, signed ID tokens, userinfo, JWKS) is the real thing.
import { readFileSync } from 'node:fs';

import Provider from 'oidc-provider';

const port = Number(process.env.OIDC_PORT);
const accountsFile = process.env.OIDC_ACCOUNTS_FILE;
const loadAccounts = () => JSON.parse(
  accountsFile ? readFileSync(accountsFile, 'utf8') : (process.env.OIDC_ACCOUNTS || '{}'),
);

const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: [{
    client_id: process.env.OIDC_CLIENT_ID,
    client_secret: process.env.OIDC_CLIENT_SECRET,
    redirect_uris: [process.env.OIDC_REDIRECT_URI],
    post_logout_redirect_uris: [process.env.OIDC_POST_LOGOUT_REDIRECT_URI],
    grant_types: ['authorization_code'],
    response_types: ['code'],
    token_endpoint_auth_method: 'client_secret_post',
  }],
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['preferred_username', 'name', 'given_name', 'family_name', 'groups'],
  },
  async findAccount(ctx, id) {
    const account = loadAccounts()[id];
    if (!account) return undefined;
    return {
      accountId: id,
      async claims() {
        return { preferred_username: id, email_verified: true, ...account, sub: id };
      },
    };
  },
  pkce: { required: () => true },
  cookies: { keys: ['test-only-cookie-signing-key'] },
  features: { devInteractions: { enabled: true } },
});

provider.listen(port, '127.0.0.1', () => {
  console.log(`READY http://127.0.0.1:${port}`);
});
