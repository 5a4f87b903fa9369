import { describe, expect, it, vi } from 'vitest';
import { storedListFirst } from '../../../entrypoints/popup/stored-list';
import { aConnection } from '../fixtures';
import { textsFor } from '../texts';

const catalogue = Promise.resolve();

describe('the popup’s list, read by the page itself', () => {
  it('builds the rows from the stored records, leaving out odd ones, with the holder’s link as stored', async () => {
    const whole = aConnection({ platformId: 'datev' });
    const holder = { url: 'https://holder.example', member: 'Anna', managed: false, managedEntry: null, syncedAt: 1, unreachableSince: 2, problem: null };
    const background = vi.fn();
    const list = storedListFirst(textsFor('en'), catalogue, background, async () => ({ records: [{ id: 'odd' }, whole], platforms: [], holder }));
    const { views, holder: shown } = await list();
    expect(views.map((view) => view.connection.id)).toEqual([whole.id]);
    expect(views[0]!.platform.name).toBe('DATEV');
    expect(shown).toEqual(holder);
    expect(background).not.toHaveBeenCalled();
  });

  it('passes on the counts of the whole list where only the first screen was read', async () => {
    const whole = { count: 120, attentionFrom: [-Infinity, 5] };
    const list = storedListFirst(textsFor('en'), catalogue, vi.fn(), async () => ({ records: [aConnection()], platforms: [], holder: null, whole }));
    await expect(list()).resolves.toMatchObject({ whole });
  });

  it('asks the background where the page cannot read the list as it is', async () => {
    const fromBackground = { views: [], activeConsent: 'c1' };
    const list = storedListFirst(textsFor('en'), catalogue, async () => fromBackground, async () => null);
    await expect(list()).resolves.toBe(fromBackground);
  });

  it('asks the background when reading fails', async () => {
    const fromBackground = { views: [], activeConsent: null };
    const list = storedListFirst(textsFor('en'), catalogue, async () => fromBackground, async () => Promise.reject(new Error('no')));
    await expect(list()).resolves.toBe(fromBackground);
  });
});
