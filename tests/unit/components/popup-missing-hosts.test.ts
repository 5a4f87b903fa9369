import { describe, expect, it } from 'vitest';
import { connectionViews } from '../../../utils/catalogue/views';
import { withMissingHosts } from '../../../entrypoints/popup/missing-hosts';
import { aConnection } from '../fixtures';
import { textsFor } from '../texts';

const APP = { clientId: 'app', exchange: 'public' as const };

/** The popup's list of these connections, with the browser allowing the hosts in `allowed`. */
async function listed(connections: ReturnType<typeof aConnection>[], allowed: (origins: string[]) => Promise<boolean>) {
  const asked: string[][] = [];
  const list = withMissingHosts(
    async () => ({ views: connectionViews(connections, textsFor('en'), []) }),
    (origins) => (asked.push(origins), allowed(origins)),
  );
  return { views: (await list()).views, asked };
}

describe('the popup’s rows whose renewals need hosts the browser does not allow', () => {
  it('marks a connection the background renews when one of its hosts is not allowed', async () => {
    const renewed = aConnection({ platformId: 'datev', client: APP, hasRefreshToken: true });
    const { views, asked } = await listed([renewed], async () => false);
    expect(views[0]!.hostsMissing).toBe(true);
    expect(asked).toEqual([views[0]!.hostOrigins]);
  });

  it('leaves a connection whose hosts are all allowed as it is', async () => {
    const { views } = await listed([aConnection({ platformId: 'datev', client: APP, hasRefreshToken: true })], async () => true);
    expect(views[0]!.hostsMissing).toBeUndefined();
  });

  it('does not ask for a connection that is not renewed in the background, nor for a tracked date', async () => {
    const waiting = aConnection({ platformId: 'datev', client: APP, hasRefreshToken: false });
    const tracked = aConnection({ platformId: 'sevdesk-api-token' });
    const { views, asked } = await listed([waiting, tracked], async () => false);
    expect(asked).toEqual([]);
    expect(views.map((view) => view.hostsMissing)).toEqual([undefined, undefined]);
  });

  it('shows the list as it is when the browser cannot answer', async () => {
    const { views } = await listed([aConnection({ platformId: 'datev', client: APP, hasRefreshToken: true })], async () => Promise.reject(new Error('no')));
    expect(views[0]!.hostsMissing).toBeUndefined();
  });
});
