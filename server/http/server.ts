import { createServer, type Server, type ServerResponse } from 'node:http';
import type { Database } from '../db/database';
import { GrantUnusableError, type createAccess } from '../grants/access';
import { identify, type Caller, type KeyKind } from '../keys';

export interface HolderDeps {
  db: Database;
  access: ReturnType<typeof createAccess>;
}

/** An answer with a status the caller can act on; anything else becomes a 500 without detail. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
  ) {
    super(code);
    this.name = 'HttpError';
  }
}

type Handler = (request: { caller: Caller; params: Record<string, string> }) => Promise<unknown>;

interface Route {
  method: 'GET';
  pattern: RegExp;
  names: string[];
  /** Who may call it: colleagues' extensions, the business software, or anyone (health). */
  callers: readonly KeyKind[];
  handle: Handler;
}

/** `/v1/grants/:id` → a pattern whose parts are ids of letters, digits, `-` and `_`. */
function route(method: Route['method'], path: string, callers: readonly KeyKind[], handle: Handler): Route {
  const names: string[] = [];
  const pattern = new RegExp(`^${path.replace(/:(\w+)/g, (_, name: string) => (names.push(name), '([A-Za-z0-9_-]{1,100})'))}$`);
  return { method, pattern, names, callers, handle };
}

const grantMetadata = `id, platform_id AS "platformId", label, account, scopes, grant_expires_at AS "grantExpiresAt",
  grant_expiry_source AS "grantExpirySource", consented_at AS "consentedAt", refreshed_at AS "refreshedAt",
  needs_reconsent AS "needsReconsent", problem, (SELECT name FROM members WHERE id = consented_by) AS "consentedBy"`;

/** The holder's routes: grant metadata for the colleagues' extensions, access tokens for the business software. */
function routes({ db, access }: HolderDeps): Route[] {
  return [
    route('GET', '/v1/grants', ['member'], async () => ({
      grants: await db.query(`SELECT ${grantMetadata} FROM grants WHERE removed_at IS NULL ORDER BY label`),
    })),
    route('GET', '/v1/grants/:id', ['member'], async ({ params }) => {
      const [grant] = await db.query(`SELECT ${grantMetadata} FROM grants WHERE id = $1 AND removed_at IS NULL`, [params.id]);
      if (!grant) throw new HttpError(404, 'grant-not-found');
      return grant;
    }),
    route('GET', '/v1/grants/:id/access-token', ['server'], async ({ params }) => {
      try {
        const { accessToken, expiresAt } = await access.accessToken(params.id ?? '');
        return { access_token: accessToken, token_type: 'Bearer', expires_at: new Date(expiresAt).toISOString() };
      } catch (error) {
        if (error instanceof GrantUnusableError) throw new HttpError(error.reason === 'not-found' ? 404 : 409, error.reason === 'not-found' ? 'grant-not-found' : 'sign-in-needed');
        throw error;
      }
    }),
  ];
}

function send(response: ServerResponse, status: number, body: unknown) {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }).end(JSON.stringify(body));
}

/** The holder's HTTP server; every request without a valid key for its route gets 401 and nothing more. */
export function createHolderServer(deps: HolderDeps, { log = console.error }: { log?: (line: string) => void } = {}): Server {
  const table = routes(deps);
  return createServer((request, response) => {
    void (async () => {
      const url = new URL(request.url ?? '/', 'http://holder');
      if (request.method === 'GET' && url.pathname === '/v1/health') return send(response, 200, { ok: true });
      const matches = table.map((candidate) => ({ candidate, found: candidate.pattern.exec(url.pathname) })).filter(({ found }) => found);
      const match = matches.find(({ candidate }) => candidate.method === request.method);
      const authorization = request.headers.authorization;
      const caller = await identify(deps.db, authorization?.startsWith('Bearer ') ? authorization.slice(7).trim() : undefined);
      if (!caller || (match && !match.candidate.callers.includes(caller.kind))) return send(response, 401, { error: 'unauthorized' });
      if (!match) return send(response, matches.length > 0 ? 405 : 404, { error: matches.length > 0 ? 'method-not-allowed' : 'not-found' });
      const params = Object.fromEntries(match.candidate.names.map((name, index) => [name, match.found?.[index + 1] ?? '']));
      send(response, 200, await match.candidate.handle({ caller, params }));
    })().catch((error: unknown) => {
      if (error instanceof HttpError) return send(response, error.status, { error: error.code });
      // Names only: a message could quote a token or a platform's answer.
      log(`Token Watch holder: ${request.method} ${request.url?.split('?')[0]} failed (${error instanceof Error ? error.name : 'unknown'})`);
      if (!response.headersSent) send(response, 500, { error: 'unexpected' });
    });
  });
}
