/**
 * Microsoft Entra ID answers discovery for `common`, `organizations` or a domain with metadata whose
 * issuer names the tenant instead: its ID, or the placeholder `{tenantid}`. Microsoft documents that
 * the issuer is then checked against the token's own tenant: the `tid` claim, a GUID, put in place of
 * the placeholder ("Access tokens in the Microsoft identity platform", section "Validate the issuer").
 */
const TENANT_ID = /^[\da-f]{8}(-[\da-f]{4}){3}-[\da-f]{12}$/i;
const PLACEHOLDER = '{tenantid}';

/** An issuer split at its tenant: `https://host/`, the tenant, and what follows it. */
const atTenant = (issuer: string) => /^(https:\/\/[^/]+\/)([^/]+)(.*)$/.exec(issuer) ?? [];

/** Whether metadata read for `requested` may name `claimed` as its issuer: the same address with the tenant's ID or the placeholder. */
export function isTenantIssuer(requested: string, claimed: string): boolean {
  const [, start, asked = '', rest] = atTenant(requested);
  const [, claimedStart, named = '', claimedRest] = atTenant(claimed);
  if (start !== claimedStart || rest !== claimedRest) return false;
  return TENANT_ID.test(asked) ? named.toLowerCase() === asked.toLowerCase() : named === PLACEHOLDER || TENANT_ID.test(named);
}

/** The issuer an ID token must name; '' (which no token names) when the placeholder has no tenant ID to take. */
export function expectedTenantIssuer(issuer: string, { tid }: Readonly<Record<string, unknown>>): string {
  if (!issuer.includes(PLACEHOLDER)) return issuer;
  return typeof tid === 'string' && TENANT_ID.test(tid) ? issuer.replace(PLACEHOLDER, tid) : '';
}
