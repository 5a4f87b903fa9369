/**
 * Stands in for the business software (an ERP, a document workflow) in the demo: it asks the
 * token holder for a grant's access token with its server key, then calls the platform with it.
 * It never sees a refresh token, and it never talks to the extension.
 */
export async function runBusinessSoftware({ holderUrl, serverKey, grantId, userinfoUrl, fetch }: {
  holderUrl: string;
  serverKey: string;
  grantId: string;
  /** The platform's API the software calls; here the local platform's userinfo. */
  userinfoUrl: string;
  fetch: typeof globalThis.fetch;
}): Promise<string[]> {
  const lines: string[] = [];
  const issued = await fetch(`${holderUrl}/v1/grants/${grantId}/access-token`, { headers: { authorization: `Bearer ${serverKey}` } });
  const token = (await issued.json()) as { access_token?: string; expires_at?: string; error?: string };
  if (!issued.ok || !token.access_token) return [`ERP: the holder answered ${issued.status} ${token.error ?? ''}`.trim()];
  lines.push(`ERP: access token from the holder (valid until ${token.expires_at}), ${token.access_token.length} characters`);
  const api = await fetch(userinfoUrl, { headers: { authorization: `Bearer ${token.access_token}` } });
  lines.push(`ERP: the platform answered ${api.status}: ${JSON.stringify(await api.json())}`);
  return lines;
}
