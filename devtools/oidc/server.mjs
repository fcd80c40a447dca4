// Tutela — DEVELOPMENT/TEST OpenID Connect provider (loopback only).
//
// A real OpenID provider built on the OpenID-certified `oidc-provider` package,
// with synthetic demo users (devtools/oidc/users.json) and custom Italian
// interaction pages. It is NOT meant for production: it listens on 127.0.0.1
// over plain http, keeps everything in memory and the users' passwords are
// public. See devtools/oidc/README.md.
//
// Configuration (environment):
//   IDP_PORT                   port on 127.0.0.1 (default 9000); issuer is http://127.0.0.1:<port>
//   TUTELA_PUBLIC_URL          public URL of the Tutela app (default http://localhost:3000)
//   IDP_EXTRA_PUBLIC_URLS      comma-separated extra app URLs (redirect/post-logout URIs only)
//   TUTELA_OIDC_CLIENT_ID      client_id (default "tutela")
//   TUTELA_OIDC_CLIENT_SECRET  client secret (default "tutela-dev-secret")
//   IDP_KEYS_FILE              JSON file (private JWKS) to load signing keys from / save them to
//   IDP_COOKIE_KEYS            comma-separated cookie signing keys (default: random per start)
//   IDP_USERS_FILE             users file (default: users.json next to this file)
//   IDP_ENABLE_TEST_ENDPOINTS  "1" enables GET /__dev/health and POST /__dev/rotate-keys
//   IDP_LOGOUT_AUTO_CONFIRM    "1" auto-submits the logout confirmation page
//   IDP_MAX_KEYS               signing keys kept published after rotations (default 3)

import * as crypto from 'node:crypto';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

import Provider from 'oidc-provider';

import SharedMemoryAdapter from './shared_memory_adapter.mjs';

// stdout carries exactly one line ("OIDC provider ready at ..."): every other
// message (including oidc-provider's own notices, which use console.info) goes
// to stderr.
console.log = (...args) => console.error(...args);
console.info = (...args) => console.error(...args);

const HERE = path.dirname(fileURLToPath(import.meta.url));
const HOST = '127.0.0.1';

// ---------------------------------------------------------------------------
// configuration from the environment
// ---------------------------------------------------------------------------

function fail(message) {
  console.error(`dev OIDC provider: ${message}`);
  process.exit(2);
}

const env = process.env;
const port = Number.parseInt(env.IDP_PORT || '9000', 10);
if (!Number.isInteger(port) || port < 1 || port > 65535) {
  fail(`IDP_PORT must be an integer between 1 and 65535, got ${JSON.stringify(env.IDP_PORT)}`);
}
const ISSUER = `http://${HOST}:${port}`;

function normaliseUrl(value, name) {
  let url;
  try {
    url = new URL(value);
  } catch {
    fail(`${name} is not a valid URL: ${JSON.stringify(value)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    fail(`${name} must be an http(s) URL: ${JSON.stringify(value)}`);
  }
  return url.href.replace(/\/+$/, '');
}

const PUBLIC_URL = normaliseUrl(env.TUTELA_PUBLIC_URL || 'http://localhost:3000', 'TUTELA_PUBLIC_URL');
const PUBLIC_URLS = [...new Set([
  PUBLIC_URL,
  ...(env.IDP_EXTRA_PUBLIC_URLS || '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((s) => normaliseUrl(s, 'IDP_EXTRA_PUBLIC_URLS')),
])];

const CLIENT_ID = env.TUTELA_OIDC_CLIENT_ID || 'tutela';
const CLIENT_SECRET = env.TUTELA_OIDC_CLIENT_SECRET || 'tutela-dev-secret';
const TEST_ENDPOINTS = env.IDP_ENABLE_TEST_ENDPOINTS === '1';
const LOGOUT_AUTO_CONFIRM = env.IDP_LOGOUT_AUTO_CONFIRM === '1';
const KEYS_FILE = env.IDP_KEYS_FILE ? path.resolve(env.IDP_KEYS_FILE) : undefined;
const MAX_KEYS = Math.max(2, Number.parseInt(env.IDP_MAX_KEYS || '3', 10) || 3);
const USERS_FILE = path.resolve(env.IDP_USERS_FILE || path.join(HERE, 'users.json'));

const COOKIE_KEYS = (env.IDP_COOKIE_KEYS || '')
  .split(',')
  .map((s) => s.trim())
  .filter(Boolean);
if (!COOKIE_KEYS.length) {
  COOKIE_KEYS.push(crypto.randomBytes(32).toString('base64url'));
}

// ---------------------------------------------------------------------------
// users (synthetic)
// ---------------------------------------------------------------------------

function loadUsers(file) {
  let data;
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    fail(`cannot read users file ${file}: ${err.message}`);
  }
  const byUsername = new Map();
  const bySub = new Map();
  for (const user of data.users || []) {
    for (const field of ['username', 'password', 'sub', 'given_name', 'family_name']) {
      if (typeof user[field] !== 'string' || !user[field]) {
        fail(`users file ${file}: user ${JSON.stringify(user.username)} lacks "${field}"`);
      }
    }
    if (!Array.isArray(user.roles) || !Array.isArray(user.comuni)) {
      fail(`users file ${file}: user ${user.username} needs "roles" and "comuni" arrays`);
    }
    if (byUsername.has(user.username) || bySub.has(user.sub)) {
      fail(`users file ${file}: duplicate username or sub for ${user.username}`);
    }
    byUsername.set(user.username, user);
    bySub.set(user.sub, user);
  }
  return { byUsername, bySub };
}

const USERS = loadUsers(USERS_FILE);

function userClaims(user) {
  const claims = {
    sub: user.sub,
    name: `${user.given_name} ${user.family_name}`,
    given_name: user.given_name,
    family_name: user.family_name,
    preferred_username: user.username,
    roles: [...user.roles],
    comuni: [...user.comuni],
  };
  if (user.professione) claims.professione = user.professione;
  if (user.email) {
    claims.email = user.email;
    claims.email_verified = true;
  }
  return claims;
}

async function findAccount(ctx, sub) {
  const user = USERS.bySub.get(sub);
  if (!user) return undefined;
  return {
    accountId: sub,
    // oidc-provider filters the returned claims by the granted scopes using
    // the `claims` configuration below.
    async claims() {
      return userClaims(user);
    },
  };
}

function checkCredentials(username, password) {
  const user = USERS.byUsername.get(username);
  // hash both sides so the comparison is constant-time and length-independent
  const given = crypto.createHash('sha256').update(String(password)).digest();
  const expected = crypto.createHash('sha256').update(user ? user.password : crypto.randomBytes(16)).digest();
  const ok = crypto.timingSafeEqual(given, expected);
  return user && ok ? user : undefined;
}

// ---------------------------------------------------------------------------
// signing keys (RS256) and rotation
// ---------------------------------------------------------------------------

function generateSigningKey() {
  const { privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwk = privateKey.export({ format: 'jwk' });
  // RFC 7638 thumbprint as kid
  const thumbprint = crypto
    .createHash('sha256')
    .update(JSON.stringify({ e: jwk.e, kty: jwk.kty, n: jwk.n }))
    .digest('base64url');
  return { ...jwk, kid: thumbprint, alg: 'RS256', use: 'sig' };
}

function saveKeys(keys) {
  if (!KEYS_FILE) return;
  fs.mkdirSync(path.dirname(KEYS_FILE), { recursive: true });
  const tmp = `${KEYS_FILE}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify({ keys }, null, 2)}\n`, { mode: 0o600 });
  fs.renameSync(tmp, KEYS_FILE);
}

function loadOrCreateKeys() {
  if (KEYS_FILE && fs.existsSync(KEYS_FILE)) {
    let data;
    try {
      data = JSON.parse(fs.readFileSync(KEYS_FILE, 'utf8'));
    } catch (err) {
      fail(`cannot read IDP_KEYS_FILE ${KEYS_FILE}: ${err.message}`);
    }
    const keys = (data.keys || []).filter((k) => k.kty === 'RSA' && k.d);
    if (!keys.length) fail(`IDP_KEYS_FILE ${KEYS_FILE} contains no private RSA key`);
    return keys.map((k) => ({ ...k, alg: 'RS256', use: 'sig' }));
  }
  const keys = [generateSigningKey()];
  saveKeys(keys);
  return keys;
}

let signingKeys = loadOrCreateKeys();

// ---------------------------------------------------------------------------
// HTML helpers (Italian, minimal, accessible)
// ---------------------------------------------------------------------------

function esc(value) {
  return String(value ?? '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}

const STYLE = `
  body{font-family:system-ui,sans-serif;margin:0;background:#f4f5f7;color:#1b1f23;line-height:1.5}
  main{max-width:26rem;margin:3rem auto;background:#fff;padding:2rem;border-radius:8px;box-shadow:0 1px 3px rgba(0,0,0,.2)}
  h1{font-size:1.5rem;margin-top:0}
  label{display:block;font-weight:600;margin-top:1rem}
  input{display:block;width:100%;box-sizing:border-box;font-size:1rem;padding:.5rem;margin-top:.25rem;border:1px solid #6a737d;border-radius:4px}
  input:focus,button:focus{outline:3px solid #0b5cad;outline-offset:2px}
  button{margin-top:1.5rem;font-size:1rem;padding:.6rem 1.2rem;border:0;border-radius:4px;background:#0b5cad;color:#fff;cursor:pointer}
  button.secondary{background:#fff;color:#0b5cad;border:1px solid #0b5cad}
  .error{color:#a4000f;background:#fdecee;border-left:4px solid #a4000f;padding:.5rem .75rem}
  .note{font-size:.875rem;color:#444d56}
`;

function page(title, body) {
  return `<!DOCTYPE html>
<html lang="it">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${esc(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>`;
}

function sendHtml(res, status, html) {
  res.statusCode = status;
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader(
    'Content-Security-Policy',
    "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'; base-uri 'none'",
  );
  res.end(html);
}

function sendJson(res, status, body) {
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Cache-Control', 'no-store');
  res.end(JSON.stringify(body));
}

function loginPage({ uid, username = '', error = false }) {
  const errorHtml = error
    ? '<p class="error" role="alert" id="login-error">Credenziali non valide.</p>'
    : '';
  const describedBy = error ? ' aria-describedby="login-error" aria-invalid="true"' : '';
  return page('Accesso — Tutela (ambiente di sviluppo)', `
<h1>Accedi a Tutela</h1>
<p class="note">Provider di identità di sviluppo: solo utenti dimostrativi, nessun dato reale.</p>
${errorHtml}
<form method="post" action="/interaction/${esc(uid)}/login">
  <label for="username">Nome utente</label>
  <input id="username" name="username" type="text" autocomplete="username" autocapitalize="none" spellcheck="false" required autofocus value="${esc(username)}"${describedBy}>
  <label for="password">Password</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required${describedBy}>
  <button type="submit">Accedi</button>
</form>
<form method="post" action="/interaction/${esc(uid)}/abort">
  <button type="submit" class="secondary">Annulla</button>
</form>`);
}

function errorPage(message) {
  return page('Errore — Tutela (ambiente di sviluppo)', `
<h1>Si è verificato un errore</h1>
<p role="alert">${esc(message)}</p>
<p class="note">Torna all'applicazione e riprova.</p>`);
}

// oidc-provider hooks (koa context)

async function logoutSource(ctx, form) {
  // `form` is the provider's hidden form with id "op.logoutForm" (xsrf token).
  const autoSubmit = LOGOUT_AUTO_CONFIRM
    ? `<script>document.addEventListener('DOMContentLoaded',function(){document.getElementById('op.logoutForm').submit()})</script>`
    : '';
  // the hidden input "logout=yes" means: end the whole session at the provider
  const fullForm = form.replace('</form>', '<input type="hidden" name="logout" value="yes"/></form>');
  ctx.type = 'html';
  ctx.body = page('Uscita — Tutela (ambiente di sviluppo)', `
<h1>Vuoi uscire da Tutela?</h1>
<p>Verrà chiusa la sessione presso il provider di identità.</p>
${fullForm}
<button type="submit" form="op.logoutForm" autofocus>Esci</button>
${autoSubmit}`);
}

async function postLogoutSuccessSource(ctx) {
  ctx.type = 'html';
  ctx.body = page('Uscita completata — Tutela (ambiente di sviluppo)', `
<h1>Sei uscito</h1>
<p>La sessione è stata chiusa. Puoi chiudere questa pagina.</p>`);
}

async function renderError(ctx, out) {
  ctx.type = 'html';
  const details = Object.entries(out)
    .map(([key, value]) => `<dt>${esc(key)}</dt><dd>${esc(value)}</dd>`)
    .join('');
  ctx.body = page('Errore — Tutela (ambiente di sviluppo)', `
<h1>Si è verificato un errore</h1>
<p role="alert">La richiesta di autenticazione non è valida.</p>
<dl>${details}</dl>`);
}

// ---------------------------------------------------------------------------
// provider
// ---------------------------------------------------------------------------

// Consent is implicit for the single first-party client: the grant always
// covers the OpenID scopes of the current request, so the "consent" prompt is
// never needed (also not for prompt=none after a grant was revoked). This is
// oidc-provider's documented "skip consent" pattern; autoConsent() below stays
// as a fallback should the consent prompt still come up.
async function loadExistingGrant(ctx) {
  const { client, session } = ctx.oidc;
  const grantId = ctx.oidc.result?.consent?.grantId || session.grantIdFor(client.clientId);
  let grant = grantId ? await ctx.oidc.provider.Grant.find(grantId) : undefined;
  if (grant && (grant.accountId !== session.accountId || grant.clientId !== client.clientId)) {
    grant = undefined;
  }
  grant ||= new ctx.oidc.provider.Grant({ clientId: client.clientId, accountId: session.accountId });
  const scopes = [...ctx.oidc.requestParamOIDCScopes];
  if (scopes.length) grant.addOIDCScope(scopes.join(' '));
  await grant.save();
  return grant;
}

function buildConfiguration() {
  return {
    adapter: SharedMemoryAdapter,
    clients: [
      {
        client_id: CLIENT_ID,
        client_secret: CLIENT_SECRET,
        client_name: 'Tutela',
        application_type: 'web',
        token_endpoint_auth_method: 'client_secret_basic',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: PUBLIC_URLS.map((u) => `${u}/auth/callback`),
        post_logout_redirect_uris: PUBLIC_URLS.map((u) => `${u}/auth/logged-out`),
        backchannel_logout_uri: `${PUBLIC_URL}/auth/backchannel-logout`,
        backchannel_logout_session_required: true,
        id_token_signed_response_alg: 'RS256',
      },
    ],
    clientAuthMethods: ['client_secret_basic'],
    responseTypes: ['code'],
    pkce: { required: () => true }, // only S256 exists in oidc-provider 9
    scopes: ['openid', 'profile', 'email', 'offline_access'],
    claims: {
      acr: null,
      auth_time: null,
      iss: null,
      sid: null,
      openid: ['sub'],
      profile: [
        'name', 'given_name', 'family_name', 'preferred_username',
        'roles', 'comuni', 'professione',
      ],
      email: ['email', 'email_verified'],
    },
    // put the scope-granted claims in the ID token too (not only in /me)
    conformIdTokenClaims: false,
    findAccount,
    loadExistingGrant,
    interactions: {
      url: (ctx, interaction) => `/interaction/${interaction.uid}`,
    },
    cookies: {
      keys: COOKIE_KEYS,
      names: {
        session: '_idp_session',
        interaction: '_idp_interaction',
        resume: '_idp_interaction_resume',
      },
    },
    jwks: { keys: signingKeys.map((k) => ({ ...k })) },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: { enabled: true, logoutSource, postLogoutSuccessSource },
      backchannelLogout: { enabled: true },
      claimsParameter: { enabled: false },
      revocation: {
        enabled: true,
        allowedPolicy: async (ctx, client, token) => token.clientId === client.clientId,
      },
      userinfo: { enabled: true },
      introspection: { enabled: false },
      resourceIndicators: { enabled: false },
      pushedAuthorizationRequests: { enabled: false },
    },
    ttl: {
      AccessToken: 10 * 60,
      AuthorizationCode: 60,
      IdToken: 10 * 60,
      Interaction: 15 * 60,
      RefreshToken: 8 * 60 * 60,
      Session: 8 * 60 * 60,
      Grant: 8 * 60 * 60,
    },
    renderError,
    // oidc-provider blocks outgoing requests (back-channel logout) to
    // special-use addresses such as 127.0.0.0/8 to prevent SSRF. The Tutela
    // app of a development machine is exactly there, so this loopback-only
    // dev provider drops that guard.
    fetch: (url, options) => {
      const { dispatcher, ...rest } = options;
      return globalThis.fetch(url, rest);
    },
  };
}

let provider;
let providerCallback;

function createProvider() {
  const p = new Provider(ISSUER, buildConfiguration());
  p.on('server_error', (ctx, err) => console.error('dev OIDC provider: server_error', err));
  p.on('backchannel.success', (ctx, client, accountId, sid) => {
    console.error(`dev OIDC provider: back-channel logout delivered to ${client.backchannelLogoutUri} (sub=${accountId}, sid=${sid})`);
  });
  p.on('backchannel.error', (ctx, err, client) => {
    console.error(`dev OIDC provider: back-channel logout to ${client.backchannelLogoutUri} failed: ${err.message}`);
  });
  provider = p;
  providerCallback = p.callback();
}

function rotateKeys() {
  signingKeys = [generateSigningKey(), ...signingKeys].slice(0, MAX_KEYS);
  saveKeys(signingKeys);
  // oidc-provider reads `jwks` once at construction: build a new instance.
  // SharedMemoryAdapter keeps its storage at module level, so sessions,
  // grants, codes and tokens survive the swap; cookie keys stay the same.
  createProvider();
  return signingKeys.map((k) => k.kid);
}

createProvider();

// ---------------------------------------------------------------------------
// interactions (login + automatic consent)
// ---------------------------------------------------------------------------

async function readForm(req, limit = 16 * 1024) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > limit) throw Object.assign(new Error('request body too large'), { status: 413 });
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

async function autoConsent(req, res, interaction) {
  // Single first-party client: grant whatever was requested, no consent page.
  const { prompt: { details }, params, session: { accountId } } = interaction;
  const grant = interaction.grantId
    ? await provider.Grant.find(interaction.grantId)
    : new provider.Grant({ accountId, clientId: params.client_id });
  if (details.missingOIDCScope) grant.addOIDCScope(details.missingOIDCScope.join(' '));
  if (details.missingOIDCClaims) grant.addOIDCClaims(details.missingOIDCClaims);
  if (details.missingResourceScopes) {
    for (const [indicator, scopes] of Object.entries(details.missingResourceScopes)) {
      grant.addResourceScope(indicator, scopes.join(' '));
    }
  }
  const grantId = await grant.save();
  const consent = interaction.grantId ? {} : { grantId };
  await provider.interactionFinished(req, res, { consent }, { mergeWithLastSubmission: true });
}

async function handleInteraction(req, res, url) {
  const match = /^\/interaction\/([A-Za-z0-9_-]+)(?:\/(login|abort))?$/.exec(url.pathname);
  if (!match) return sendHtml(res, 404, errorPage('Pagina non trovata.'));
  const [, uid, action] = match;

  let interaction;
  try {
    interaction = await provider.interactionDetails(req, res);
  } catch (err) {
    if (err.name === 'SessionNotFound') {
      return sendHtml(res, 400, errorPage('La richiesta di accesso è scaduta o non è valida.'));
    }
    throw err;
  }
  if (interaction.uid !== uid) {
    return sendHtml(res, 400, errorPage('La richiesta di accesso non è valida.'));
  }
  const { prompt } = interaction;

  if (!action && req.method === 'GET') {
    if (prompt.name === 'login') {
      return sendHtml(res, 200, loginPage({ uid, username: interaction.params.login_hint || '' }));
    }
    if (prompt.name === 'consent') {
      return autoConsent(req, res, interaction);
    }
    return sendHtml(res, 400, errorPage(`Passo di autenticazione non gestito: ${prompt.name}.`));
  }

  if (action === 'login' && req.method === 'POST') {
    if (prompt.name !== 'login') {
      return sendHtml(res, 400, errorPage('La richiesta di accesso non è valida.'));
    }
    const form = await readForm(req);
    const username = (form.get('username') || '').trim();
    const user = checkCredentials(username, form.get('password') || '');
    if (!user) {
      return sendHtml(res, 200, loginPage({ uid, username, error: true }));
    }
    return provider.interactionFinished(
      req,
      res,
      { login: { accountId: user.sub, amr: ['pwd'] } },
      { mergeWithLastSubmission: false },
    );
  }

  if (action === 'abort' && req.method === 'POST') {
    return provider.interactionFinished(
      req,
      res,
      { error: 'access_denied', error_description: "L'utente ha annullato l'accesso." },
      { mergeWithLastSubmission: false },
    );
  }

  res.setHeader('Allow', action ? 'POST' : 'GET');
  return sendHtml(res, 405, errorPage('Metodo non consentito.'));
}

// ---------------------------------------------------------------------------
// http server
// ---------------------------------------------------------------------------

const server = http.createServer(async (req, res) => {
  let url;
  try {
    url = new URL(req.url, ISSUER);
  } catch {
    return sendHtml(res, 400, errorPage('Richiesta non valida.'));
  }
  try {
    if (url.pathname.startsWith('/interaction/')) {
      return await handleInteraction(req, res, url);
    }
    if (TEST_ENDPOINTS && url.pathname === '/__dev/health') {
      if (req.method !== 'GET') return sendJson(res, 405, { error: 'method_not_allowed' });
      return sendJson(res, 200, {
        status: 'ok',
        issuer: ISSUER,
        client_id: CLIENT_ID,
        public_urls: PUBLIC_URLS,
        kids: signingKeys.map((k) => k.kid),
      });
    }
    if (TEST_ENDPOINTS && url.pathname === '/__dev/rotate-keys') {
      if (req.method !== 'POST') return sendJson(res, 405, { error: 'method_not_allowed' });
      const kids = rotateKeys();
      console.error(`dev OIDC provider: signing keys rotated, now signing with ${kids[0]}`);
      return sendJson(res, 200, { signing_kid: kids[0], kids });
    }
    return providerCallback(req, res);
  } catch (err) {
    console.error('dev OIDC provider: unhandled error', err);
    if (!res.headersSent) {
      return sendHtml(res, err.status || 500, errorPage('Errore interno del provider di identità.'));
    }
    return res.end();
  }
});

server.on('error', (err) => {
  console.error(`dev OIDC provider: cannot listen on ${HOST}:${port}: ${err.message}`);
  process.exit(1);
});

server.listen(port, HOST, () => {
  process.stdout.write(`OIDC provider ready at ${ISSUER}\n`);
});

let stopping = false;
function shutdown(signal) {
  if (stopping) return;
  stopping = true;
  console.error(`dev OIDC provider: ${signal} received, shutting down`);
  server.close(() => process.exit(0));
  server.closeIdleConnections();
  setTimeout(() => {
    server.closeAllConnections();
    process.exit(0);
  }, 2000).unref();
}
process.on('SIGTERM', () => shutdown('SIGTERM'));
process.on('SIGINT', () => shutdown('SIGINT'));
