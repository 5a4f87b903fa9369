import { describe, expect, it } from 'vitest';
import { HolderError } from '../../../utils/consent/holder';
import { lazyRepository, StorageError } from '../../../utils/storage/db';
import { createPolicyService } from '../../../utils/watch/policy';

const NOW = Date.parse('2026-11-23T10:00:00+01:00');
const POLICY = { holder: { url: 'https://holder.example', memberKey: 'k' }, connections: [{ key: 'lexware', platformId: 'lexware-office-api-key', label: 'Lexware', expiresOn: '2027-03-31' }] };

const applyWith = (holderFailure: Error) => {
  const repository = lazyRepository();
  const applyPolicy = createPolicyService({ repository, readPolicy: async () => POLICY, now: () => NOW, timeZone: () => 'Europe/Berlin', holderPolicy: () => Promise.reject(holderFailure) });
  return { applyPolicy, listed: async () => (await (await repository()).list()).map((connection) => connection.id) };
};

describe('taking over the enterprise policy', () => {
  it('applies the connections when the policy’s token holder does not answer', async () => {
    const { applyPolicy, listed } = applyWith(new HolderError('holder-unreachable'));
    await applyPolicy();
    expect(await listed()).toEqual(['managed-lexware']);
  });

  it('fails as storage-full when the holder’s link could not be stored for a full disk, so the badge can say so', async () => {
    const { applyPolicy } = applyWith(new StorageError('storage-full'));
    await expect(applyPolicy()).rejects.toMatchObject({ code: 'storage-full' });
  });
});
