import { randomBytes } from 'node:crypto';
import type { Authorization } from '../../utils/consent/oauth-client';
import { OAuthFailure } from '../../utils/consent/oauth-errors';
import { accountAfterConsent, consentedGrantExpiry, DEFAULT_ACCESS_TOKEN_SECONDS, grantedScopes } from '../../utils/expiry/renewal';
import { checkClient } from '../../utils/records/oauth-input';
import type { Database, Sql } from '../db/database';
import type { Caller } from '../keys';
import type { Sealer } from '../sealing';
import type { GrantNotice } from './access';
import { appOf } from './apps';
import type { Platforms } from './platform';
import type { Revocations } from './revocation';
import { grantMetadata, readGrant, recordEvent, type GrantMetadata } from './store';

export interface SignInDeps {
  db: Database;
  sealer: Sealer;
  platforms: Platforms;
  revocations: Revocations;
  now: () => number;
  notify?: (notice: GrantNotice, grantId: string) => void;
}

/** Why a sign-in handed to the holder cannot be stored; each has a status and a code the extension explains. */
export class SignInError extends Error {
  constructor(readonly code: 'platform-not-found' | 'app-missing' | 'grant-not-found') {
    super(code);
    this.name = 'SignInError';
  }
}

export interface NewGrant {
  platformId: string;
  label: string;
  /** This grant's parts of the platform's addresses (Shopify's shop, Microsoft's tenant). */
  endpointValues?: Record<string, string>;
  /** The API scopes chosen among those the platform offers to choose (DATEV's APIs). */
  scopes?: string[];
  authorization: Authorization;
}

/**
 * Sign-ins from colleagues' browsers: the browser ran the consent and brings the code; the holder
 * adds its app's credentials, redeems the code and keeps the tokens. The answer is the grant's
 * metadata, never a token.
 */
export function createSignIn(deps: SignInDeps) {
  /**
   * The columns a successful consent writes, from the platform's answer and the catalogue's rule;
   * the account line as the extension writes it (DATEV's client before the user), from the one before.
   */
  function consentColumns({ platform, tokens, requestedScopes }: Awaited<ReturnType<Platforms['redeem']>>, caller: Caller, previousAccount = '') {
    const accessSeconds = tokens.accessTokenExpiresIn ?? platform.oauth.accessTokenSeconds ?? DEFAULT_ACCESS_TOKEN_SECONDS;
    const grant = consentedGrantExpiry(platform.grantRule, tokens, platform.oauth.accessTokenSeconds);
    return {
      account: accountAfterConsent(previousAccount, tokens.account, requestedScopes, platform.oauth.accountScope),
      scopes: grantedScopes(tokens, requestedScopes),
      refreshToken: tokens.refreshToken ? deps.sealer.seal(tokens.refreshToken) : null,
      accessToken: tokens.accessToken ? deps.sealer.seal(tokens.accessToken) : null,
      accessExpiresAt: new Date(tokens.receivedAt + accessSeconds * 1000),
      grantExpiresAt: grant.at === null ? null : new Date(grant.at),
      grantExpirySource: grant.source,
      consentedAt: new Date(tokens.receivedAt),
      consentedBy: caller.id,
    };
  }

  return {
    async newGrant(caller: Caller, input: NewGrant): Promise<GrantMetadata> {
      const platform = await deps.platforms.platformOf(deps.db, input.platformId);
      if (!platform) throw new SignInError('platform-not-found');
      const app = await appOf(deps.db, deps.sealer, input.platformId);
      if (!app) throw new SignInError('app-missing');
      const client = checkClient(
        { ...app.client, ...(input.endpointValues ? { endpointValues: input.endpointValues } : {}), ...(input.scopes ? { scopes: input.scopes } : {}) },
        platform,
      );
      const redeemed = await deps.platforms.redeem(deps.db, { platformId: platform.id, client, ...(app.clientSecret ? { clientSecret: app.clientSecret } : {}) }, input.authorization);
      const { tokens } = redeemed;
      const columns = consentColumns(redeemed, caller);
      const id = randomBytes(12).toString('base64url');
      return deps.db.transaction(async (tx) => {
        await tx.query(
          `INSERT INTO grants (id, platform_id, label, account, scopes, client, client_secret_sealed, refresh_token_sealed, access_token_sealed,
             access_expires_at, grant_expires_at, grant_expiry_source, consented_at, consented_by, needs_reconsent, updated_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, false, $13)`,
          [
            id, platform.id, input.label, columns.account, columns.scopes, client, app.clientSecretSealed, columns.refreshToken, columns.accessToken,
            columns.accessExpiresAt, columns.grantExpiresAt, columns.grantExpirySource, columns.consentedAt, columns.consentedBy,
          ],
        );
        await recordEvent(tx, id, 'consented', { at: tokens.receivedAt, actor: caller.name });
        return (await grantMetadata(tx, id))!;
      });
    },

    /** A new sign-in for a grant that exists: its tokens replace the old ones, and the old refresh token is revoked. */
    async signInAgain(caller: Caller, grantId: string, authorization: Authorization): Promise<GrantMetadata> {
      const before = await readGrant(deps.db, grantId);
      if (!before) throw new SignInError('grant-not-found');
      const clientSecret = before.client_secret_sealed ? deps.sealer.open(before.client_secret_sealed) : undefined;
      let redeemed: Awaited<ReturnType<Platforms['redeem']>>;
      try {
        redeemed = await deps.platforms.redeem(deps.db, { platformId: before.platform_id, client: before.client, ...(clientSecret ? { clientSecret } : {}) }, authorization);
      } catch (error) {
        await recordEvent(deps.db, grantId, 'consent-failed', { at: deps.now(), actor: caller.name, detail: error instanceof OAuthFailure ? error.code : 'failed' });
        throw error;
      }
      const { metadata, recovered } = await deps.db.transaction(async (tx: Sql) => {
        const current = await readGrant(tx, grantId, { lock: true });
        if (!current) throw new SignInError('grant-not-found');
        const columns = consentColumns(redeemed, caller, current.account);
        if (current.refresh_token_sealed) await deps.revocations.queue(tx, current, current.refresh_token_sealed);
        await tx.query(
          `UPDATE grants SET account = $2, scopes = $3, refresh_token_sealed = $4, access_token_sealed = $5,
             access_expires_at = $6, grant_expires_at = $7, grant_expiry_source = $8, consented_at = $9, consented_by = $10,
             refreshed_at = NULL, needs_reconsent = false, problem = NULL, updated_at = $9 WHERE id = $1`,
          [
            grantId, columns.account, columns.scopes, columns.refreshToken, columns.accessToken, columns.accessExpiresAt,
            columns.grantExpiresAt, columns.grantExpirySource, columns.consentedAt, columns.consentedBy,
          ],
        );
        await recordEvent(tx, grantId, 'consented', { at: redeemed.tokens.receivedAt, actor: caller.name });
        return { metadata: (await grantMetadata(tx, grantId))!, recovered: current.needs_reconsent || current.problem !== null };
      });
      if (recovered) deps.notify?.('working-again', grantId);
      // The old refresh token is revoked now where the platform answers; else the holder's rounds try again.
      await deps.revocations.runDue().catch(() => 0);
      return metadata;
    },
  };
}

export type SignIn = ReturnType<typeof createSignIn>;
