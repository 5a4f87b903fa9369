import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { OAuthFailure, type OAuthFailureCode } from '../../utils/consent/oauth-errors';
import { InvalidInputError } from '../../utils/errors';
import { fieldsOf } from '../../utils/records/fields';
import type { Database } from '../db/database';
import { GrantUnusableError, type Access } from '../grants/access';
import { listApps } from '../grants/apps';
import type { Revocations } from '../grants/revocation';
import { SignInError, type SignIn } from '../grants/sign-in';
import { grantMetadata, listGrants, readGrant, recordEvent } from '../grants/store';
import { createIdentify, type Caller, type KeyKind } from '../keys';
import { readJsonBody } from './body';
import { HttpError } from './errors';
import { readAuthorization, readNewGrant } from './requests';

export { HttpError };

export interface HolderDeps {
  db: Database;
  access: Access;
  signIn: SignIn;
  revocations: Revocations;
  now: () => number;
  /** Tests and the demo: platforms and redirect URLs on this machine over plain HTTP. */
  allowLoopbackHttp?: boolean;
}

interface HandlerRequest {
  caller: Caller;
  params: Record<string, string>;
  /** The JSON body, read (with its limits) only by routes that take one. */
  body: () => Promise<unknown>;
}
type Handler = (request: HandlerRequest) => Promise<{ status?: number; body: unknown }>;

interface Route {
  method: 'GET' | 'POST' | 'DELETE';
  pattern: RegExp;
  names: string[];
  /** Who may call it: colleagues' extensions or the business software. */
  callers: readonly KeyKind[];
  handle: Handler;
}

/** `/v1/grants/:id` → a pattern whose parts are ids of letters, digits, `-` and `_`. */
function route(method: Route['method'], path: string, callers: readonly KeyKind[], handle: Handler): Route {
  const names: string[] = [];
  const pattern = new RegExp(`^${path.replace(/:(\w+)/g, (_, name: string) => (names.push(name), '([A-Za-z0-9_-]{1,100})'))}$`);
  return { method, pattern, names, callers, handle };
}

/** How a platform's refusal of a sign-in reaches the extension: a status, and the code the extension explains. */
const SIGN_IN_STATUS: Partial<Record<OAuthFailureCode, number>> = {
  'grant-rejected': 400,
  'consent-refused': 400,
  'untrusted-response': 400,
  'client-rejected': 502,
  'platform-misconfigured': 502,
  'invalid-response': 502,
  network: 504,
  'platform-unavailable': 503,
  'rate-limited': 503,
};

const found = async <T>(value: Promise<T | undefined>): Promise<T> => {
  const result = await value;
  if (result === undefined) throw new HttpError(404, 'grant-not-found');
  return result;
};

/** The holder's routes: grants for the colleagues' extensions, access tokens for the business software. */
function routes({ db, access, signIn, revocations, now, allowLoopbackHttp = false }: HolderDeps): Route[] {
  const options = { allowLoopbackHttp };
  return [
    route('GET', '/v1/me', ['member'], async ({ caller }) => ({ body: { name: caller.name } })),
    route('GET', '/v1/apps', ['member'], async () => ({ body: { apps: await listApps(db) } })),
    route('GET', '/v1/grants', ['member'], async () => ({ body: { grants: await listGrants(db), at: new Date(now()).toISOString() } })),
    route('POST', '/v1/grants', ['member'], async ({ caller, body }) => ({ status: 201, body: await signIn.newGrant(caller, readNewGrant(await body(), options)) })),
    route('GET', '/v1/grants/:id', ['member'], async ({ params }) => ({ body: await found(grantMetadata(db, params.id!)) })),
    route('POST', '/v1/grants/:id/sign-in', ['member'], async ({ caller, params, body }) => {
      const authorization = readAuthorization(fieldsOf(await body()).authorization, options);
      return { body: await signIn.signInAgain(caller, params.id!, authorization) };
    }),
    route('POST', '/v1/grants/:id/check', ['member'], async ({ caller, params }) => {
      const outcome = await access.check(params.id!, caller.name);
      const { status } = outcome;
      return { body: { result: status, ...('code' in outcome ? { problem: outcome.code } : {}), grant: await found(grantMetadata(db, params.id!)) } };
    }),
    route('DELETE', '/v1/grants/:id', ['member'], async ({ caller, params }) => {
      const queued = await db.transaction(async (tx) => {
        const grant = await readGrant(tx, params.id!, { lock: true });
        if (!grant) throw new HttpError(404, 'grant-not-found');
        const revocation = grant.refresh_token_sealed ? await revocations.queue(tx, grant, grant.refresh_token_sealed) : undefined;
        await tx.query(
          `UPDATE grants SET removed_at = $2, updated_at = $2, refresh_token_sealed = NULL, access_token_sealed = NULL, access_expires_at = NULL WHERE id = $1`,
          [grant.id, new Date(now())],
        );
        await recordEvent(tx, grant.id, 'removed', { at: now(), actor: caller.name });
        return revocation;
      });
      access.forget(params.id!);
      // Tried now; a platform that does not answer is asked again by the holder's rounds.
      await revocations.runDue().catch(() => 0);
      // `not-needed`: the grant had no refresh token left (the platform had refused it already).
      return { body: { removed: true, revocation: queued ? await revocations.state(queued) : 'not-needed' } };
    }),
    route('GET', '/v1/grants/:id/access-token', ['server'], async ({ params }) => {
      const { accessToken, expiresAt } = await access.accessToken(params.id!);
      return { body: { access_token: accessToken, token_type: 'Bearer', expires_at: new Date(expiresAt).toISOString() } };
    }),
  ];
}

/** Every failure as a status the caller can act on, and a code (never a message that could quote a token). */
function answerFor(error: unknown): HttpError | undefined {
  if (error instanceof HttpError) return error;
  if (error instanceof InvalidInputError) return new HttpError(400, 'invalid-input', error.field);
  if (error instanceof GrantUnusableError) {
    const status = { 'not-found': 404, 'sign-in-needed': 409, 'platform-unavailable': 503 }[error.reason];
    return new HttpError(status, error.reason === 'not-found' ? 'grant-not-found' : error.reason);
  }
  if (error instanceof SignInError) return new HttpError(error.code === 'grant-not-found' || error.code === 'platform-not-found' ? 404 : 409, error.code);
  if (error instanceof OAuthFailure) return new HttpError(SIGN_IN_STATUS[error.code] ?? 502, error.code);
  return undefined;
}

function send(response: ServerResponse, status: number, body: unknown) {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' }).end(JSON.stringify(body));
}

/**
 * The colleagues' extensions call the holder from their own origin. Only extension origins are
 * answered with CORS headers; a web page gets none, so no site a colleague visits can read an answer.
 * Answers whether the request was a preflight, answered here in full.
 */
function answeredPreflight(request: IncomingMessage, response: ServerResponse): boolean {
  const origin = request.headers.origin;
  if (!origin || !/^(chrome-extension|moz-extension):\/\/[\w-]+$/.test(origin)) return false;
  response.setHeader('access-control-allow-origin', origin);
  response.setHeader('vary', 'origin');
  if (request.method !== 'OPTIONS') return false;
  response
    .writeHead(204, {
      'access-control-allow-methods': 'GET, POST, DELETE',
      'access-control-allow-headers': 'authorization, content-type',
      'access-control-max-age': '600',
    })
    .end();
  return true;
}

const keyOf = (request: IncomingMessage) => {
  const authorization = request.headers.authorization;
  return authorization?.startsWith('Bearer ') ? authorization.slice(7).trim() : undefined;
};

/** The holder's HTTP server; every request without a valid key for its route gets 401 and nothing more. */
export function createHolderServer(
  deps: HolderDeps,
  { log = console.error, tls }: { log?: (line: string) => void; /** Certificate and key, to speak HTTPS itself rather than behind a proxy. */ tls?: { cert: string; key: string } } = {},
): Server {
  const table = routes(deps);
  const identify = createIdentify(deps.db, deps.now);
  const listener = (request: IncomingMessage, response: ServerResponse) => {
    void (async () => {
      if (answeredPreflight(request, response)) return;
      const url = new URL(request.url ?? '/', 'http://holder');
      if (request.method === 'GET' && url.pathname === '/v1/health') return send(response, 200, { ok: true });
      const matches = table.map((candidate) => ({ candidate, found: candidate.pattern.exec(url.pathname) })).filter(({ found }) => found);
      const match = matches.find(({ candidate }) => candidate.method === request.method);
      const caller = await identify(keyOf(request));
      if (!caller || (match && !match.candidate.callers.includes(caller.kind))) return send(response, 401, { error: 'unauthorized' });
      if (!match) return send(response, matches.length > 0 ? 405 : 404, { error: matches.length > 0 ? 'method-not-allowed' : 'not-found' });
      const params = Object.fromEntries(match.candidate.names.map((name, index) => [name, match.found?.[index + 1] ?? '']));
      const answer = await match.candidate.handle({ caller, params, body: () => readJsonBody(request) });
      send(response, answer.status ?? 200, answer.body);
    })().catch((error: unknown) => {
      const known = answerFor(error);
      if (known) return send(response, known.status, { error: known.code, ...(known.field ? { field: known.field } : {}) });
      // Names only: a message could quote a token or a platform's answer.
      log(`Token Watch holder: ${request.method} ${request.url?.split('?')[0]} failed (${error instanceof Error ? error.name : 'unknown'})`);
      if (!response.headersSent) send(response, 500, { error: 'unexpected' });
    });
  };
  return tls ? createTlsServer(tls, listener) : createServer(listener);
}
