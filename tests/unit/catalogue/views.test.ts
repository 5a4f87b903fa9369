import { describe, expect, it } from 'vitest';
import { connectionViews } from '../../../utils/catalogue/views';
import { aConnection } from '../fixtures';
import { textsFor } from '../texts';

describe('the views the pages show of the stored connections', () => {
  it('gives each whole connection its platform’s summary in the user’s language and the hosts its renewal needs', () => {
    const connection = aConnection({ platformId: 'ebay', client: { clientId: 'app', exchange: 'public' } });
    const [view] = connectionViews([connection], textsFor('de'), []);
    expect(view).toMatchObject({ connection, platform: { id: 'ebay', name: 'eBay', kind: 'oauth' } });
    expect(view!.hostOrigins.length).toBeGreaterThan(0);
  });

  it('asks for the sign-in to be set up where a DATEV connection from before lacks its client number and API', () => {
    const older = aConnection({ platformId: 'datev', client: { clientId: 'app', exchange: 'secret' } });
    const complete = aConnection({
      platformId: 'datev',
      client: { clientId: 'app', exchange: 'secret', endpointValues: { consultant: '12345', client: '10001' }, scopes: ['accounting:documents'] },
    });
    expect(connectionViews([older, complete], textsFor('en'), []).map((view) => view.setUpNeeded ?? false)).toEqual([true, false]);
  });

  it('leaves out a record that is not a whole connection, as the badge does', () => {
    const whole = aConnection({ platformId: 'datev' });
    expect(connectionViews([{ id: 'odd' }, null, whole], textsFor('en'), []).map((view) => view.connection.id)).toEqual([whole.id]);
  });

  it('cuts a text longer than any form takes for showing, and leaves the record whole', () => {
    const huge = 'x'.repeat(5_000_000);
    const stored = aConnection({ label: huge, account: 'anna@example.com' });
    const [view] = connectionViews([stored], textsFor('en'), []);
    expect(view!.connection.label).toBe(`${'x'.repeat(300)}…`);
    expect(view!.connection.account).toBe('anna@example.com');
    expect(stored.label).toHaveLength(5_000_000);
  });

  it('shows a platform no longer known by its id, as a tracked date', () => {
    const [view] = connectionViews([aConnection({ platformId: 'gone' })], textsFor('en'), []);
    expect(view!.platform).toMatchObject({ id: 'gone', name: 'gone', kind: 'tracked' });
  });
});
