/**
 * Who may call what: every route of the HTTP server with the status each kind of caller gets.
 * The authorization test runs every row for every role against a real server and fails when
 * the server has a route this table does not list. Callers:
 *
 * - `admin`: the admin guardian of the watch the request is about;
 * - `guardian`: another guardian of that watch;
 * - `stranger`: a logged-in guardian of another family (admin of their own watch);
 * - `anonymous`: no session.
 *
 * Another family's watch answers 404, never 403: whether a watch id exists is not revealed.
 * Routes on the caller's own account (`/me`) are alike for every logged-in caller.
 */
export type CallerRole = 'admin' | 'guardian' | 'stranger' | 'anonymous';

export interface AuthorizationRow {
  /** `METHOD /path/:param`, as registered (HEAD follows GET and is not listed). */
  readonly route: string;
  readonly expect: Readonly<Record<CallerRole, number>>;
  /** What the request in the test does, where it is not obvious. */
  readonly note?: string;
}

const PUBLIC_200 = { admin: 200, guardian: 200, stranger: 200, anonymous: 200 } as const;

/** Any logged-in caller gets `status`; anonymous 401. */
function loggedIn(status: number) {
  return { admin: status, guardian: status, stranger: status, anonymous: 401 } as const;
}

/** Guardians of the watch get `status`, another family 404, anonymous 401. */
function guardians(status: number) {
  return { admin: status, guardian: status, stranger: 404, anonymous: 401 } as const;
}

/** The watch's admin gets `status`, other guardians 403, another family 404. */
function adminOnly(status: number) {
  return { admin: status, guardian: 403, stranger: 404, anonymous: 401 } as const;
}

export const AUTHORIZATION_MATRIX: readonly AuthorizationRow[] = [
  { route: 'GET /health', expect: PUBLIC_200 },
  { route: 'GET /ready', expect: PUBLIC_200 },
  { route: 'GET /metrics', expect: PUBLIC_200, note: 'operator metrics: counts only, no ids' },
  { route: 'GET /api/openapi.json', expect: PUBLIC_200 },
  { route: 'GET /api/docs', expect: PUBLIC_200 },
  { route: 'GET /api/docs/json', expect: PUBLIC_200 },
  { route: 'GET /api/docs/yaml', expect: PUBLIC_200 },
  {
    route: 'GET /api/docs/static/index.html',
    expect: { admin: 302, guardian: 302, stranger: 302, anonymous: 302 },
    note: 'redirects to /api/docs',
  },
  { route: 'GET /api/docs/static/swagger-initializer.js', expect: PUBLIC_200 },
  { route: 'GET /api/docs/static/*', expect: PUBLIC_200 },
  { route: 'HEAD /api/docs/', expect: PUBLIC_200 },

  {
    route: 'POST /api/v1/auth/otp',
    expect: { admin: 202, guardian: 202, stranger: 202, anonymous: 202 },
  },
  {
    route: 'POST /api/v1/auth/login',
    expect: PUBLIC_200,
    note: "the caller's own number and a code just sent to it (a new account for anonymous)",
  },
  { route: 'POST /api/v1/auth/logout', expect: loggedIn(204) },
  { route: 'POST /api/v1/auth/reauth/otp', expect: loggedIn(202) },
  { route: 'POST /api/v1/auth/reauth', expect: loggedIn(204), note: 'with the code just sent' },
  { route: 'PUT /api/v1/me/password', expect: loggedIn(204) },
  { route: 'GET /api/v1/me', expect: loggedIn(200) },
  { route: 'PATCH /api/v1/me', expect: loggedIn(200) },
  { route: 'GET /api/v1/me/avatar', expect: loggedIn(200), note: 'after uploading one' },
  { route: 'PUT /api/v1/me/avatar', expect: loggedIn(200) },
  { route: 'DELETE /api/v1/me/avatar', expect: loggedIn(200) },
  { route: 'POST /api/v1/me/phone/otp', expect: loggedIn(202) },
  { route: 'POST /api/v1/me/phone', expect: loggedIn(200), note: 'with both codes just sent' },
  { route: 'GET /api/v1/me/sessions', expect: loggedIn(200) },
  { route: 'DELETE /api/v1/me/sessions/:sessionId', expect: loggedIn(204), note: 'own session' },
  { route: 'POST /api/v1/me/sessions/logout-everywhere', expect: loggedIn(200) },
  { route: 'GET /api/v1/me/notices', expect: loggedIn(200) },
  { route: 'POST /api/v1/me/notices/read', expect: loggedIn(204) },
  { route: 'GET /api/v1/me/invitations', expect: loggedIn(200) },
  { route: 'GET /api/v1/me/notification-preferences', expect: loggedIn(200) },
  { route: 'PUT /api/v1/me/notification-preferences', expect: loggedIn(200) },
  { route: 'PUT /api/v1/me/email', expect: loggedIn(202) },
  {
    route: 'POST /api/v1/me/email/confirm',
    expect: loggedIn(200),
    note: 'with the code just sent',
  },
  { route: 'DELETE /api/v1/me/email', expect: loggedIn(200) },
  { route: 'GET /api/v1/push/public-key', expect: loggedIn(200) },
  { route: 'GET /api/v1/client-config', expect: PUBLIC_200 },
  { route: 'POST /api/v1/me/push-subscriptions', expect: loggedIn(201) },
  {
    route: 'DELETE /api/v1/me/push-subscriptions',
    expect: loggedIn(204),
    note: "another caller's endpoint: only the caller's own subscription can go",
  },

  {
    route: 'POST /api/v1/watches/claims',
    expect: loggedIn(201),
    note: 'a provisioned watch of no family',
  },
  {
    route: 'POST /api/v1/watches/claims/:claimId/confirm',
    expect: { admin: 400, guardian: 404, stranger: 404, anonymous: 401 },
    note: "the admin's claim with a wrong code: its maker hears the code is wrong, nobody else that it exists",
  },
  { route: 'GET /api/v1/watches', expect: loggedIn(200), note: 'each sees only their own' },
  { route: 'GET /api/v1/watches/:watchId', expect: guardians(200) },
  {
    route: 'DELETE /api/v1/watches/:watchId',
    expect: adminOnly(204),
    note: 'unbind, right after login',
  },
  { route: 'PUT /api/v1/watches/:watchId/child', expect: guardians(200) },
  { route: 'GET /api/v1/watches/:watchId/child/avatar', expect: guardians(200) },
  { route: 'PUT /api/v1/watches/:watchId/child/avatar', expect: guardians(200) },
  { route: 'GET /api/v1/watches/:watchId/guardians', expect: guardians(200) },
  {
    route: 'GET /api/v1/watches/:watchId/guardians/:accountId/avatar',
    expect: guardians(200),
    note: "the admin's avatar",
  },
  {
    route: 'DELETE /api/v1/watches/:watchId/guardians/:accountId',
    expect: { admin: 204, guardian: 204, stranger: 404, anonymous: 401 },
    note: 'removing the guardian (by the admin) or leaving (by the guardian)',
  },
  {
    route: 'PUT /api/v1/watches/:watchId/admin',
    expect: adminOnly(200),
    note: 'to the guardian, right after login',
  },
  { route: 'GET /api/v1/watches/:watchId/invitations', expect: guardians(200) },
  { route: 'POST /api/v1/watches/:watchId/invitations', expect: adminOnly(201) },
  {
    route: 'POST /api/v1/watches/:watchId/invitations/:invitationId/approve',
    expect: adminOnly(200),
    note: 'an invitation accepted by a new account',
  },
  { route: 'DELETE /api/v1/watches/:watchId/invitations/:invitationId', expect: adminOnly(204) },
  {
    route: 'GET /api/v1/watches/:watchId/location',
    expect: guardians(200),
    note: 'after a position was stored',
  },
  { route: 'POST /api/v1/watches/:watchId/locate', expect: guardians(202) },
  { route: 'GET /api/v1/watches/:watchId/positions', expect: guardians(200) },
  { route: 'GET /api/v1/watches/:watchId/track', expect: guardians(200) },
  { route: 'GET /api/v1/watches/:watchId/positions/export', expect: guardians(200), note: 'GPX' },
  { route: 'GET /api/v1/watches/:watchId/activity', expect: guardians(200) },
  {
    route: 'POST /api/v1/invitations/accept',
    expect: { admin: 409, guardian: 409, stranger: 200, anonymous: 401 },
    note: "the watch's link: its guardians already are; anyone else may accept, pending approval",
  },
  {
    route: 'POST /api/v1/invitations/:invitationId/accept',
    expect: { admin: 404, guardian: 404, stranger: 200, anonymous: 401 },
    note: "an invitation to the stranger's number",
  },
  {
    route: 'POST /api/v1/invitations/:invitationId/decline',
    expect: { admin: 404, guardian: 404, stranger: 204, anonymous: 401 },
    note: "an invitation to the stranger's number",
  },
  {
    route: 'GET /api/v1/stream',
    expect: { admin: 400, guardian: 400, stranger: 400, anonymous: 401 },
    note: 'a WebSocket: a plain GET is refused with upgradeRequired; events are scoped per connection (api-alerts test)',
  },
  { route: 'GET /api/v1/watches/:watchId/alerts', expect: guardians(200) },
  {
    route: 'POST /api/v1/watches/:watchId/alerts/:alertId/acknowledge',
    expect: guardians(200),
    note: 'an SOS of the watch',
  },
  { route: 'GET /api/v1/watches/:watchId/zones', expect: guardians(200) },
  { route: 'POST /api/v1/watches/:watchId/zones', expect: guardians(201) },
  {
    route: 'GET /api/v1/watches/:watchId/zones/:zoneId',
    expect: guardians(200),
    note: 'a zone the admin drew',
  },
  { route: 'PUT /api/v1/watches/:watchId/zones/:zoneId', expect: guardians(200) },
  { route: 'DELETE /api/v1/watches/:watchId/zones/:zoneId', expect: guardians(204) },
  { route: 'GET /api/v1/watches/:watchId/zone-events', expect: guardians(200) },
  { route: 'GET /api/v1/watches/:watchId/zone-only', expect: guardians(200) },
  { route: 'PUT /api/v1/watches/:watchId/zone-only', expect: guardians(200) },
  {
    route: 'POST /api/v1/demo',
    expect: { admin: 201, guardian: 201, stranger: 201, anonymous: 201 },
  },
];
