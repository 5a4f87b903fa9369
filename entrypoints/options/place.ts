import type { SettingsPlace } from '@/components/settings-place';

/** Where the popup sent the user, from the address's end (`settingsHash` writes it); null for anywhere else. */
export function readSettingsPlace(hash: string): SettingsPlace | null {
  if (hash === '#add' || hash === '#lock') return { kind: hash.slice(1) as 'add' | 'lock' };
  const setUp = /^#set-up=(.+)$/.exec(hash)?.[1];
  return setUp ? { kind: 'set-up', connectionId: decodeURIComponent(setUp) } : null;
}
