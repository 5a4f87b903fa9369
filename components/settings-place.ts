/** Where the settings page opens: at the form that adds a connection, at one connection's sign-in settings, or at the passphrase lock. */
export type SettingsPlace = { kind: 'add' } | { kind: 'lock' } | { kind: 'set-up'; connectionId: string };

/** The place as the settings page's address ends: `#add`, `#lock`, `#set-up=<id>`. */
export function settingsHash(place: SettingsPlace): string {
  return place.kind === 'set-up' ? `#set-up=${encodeURIComponent(place.connectionId)}` : `#${place.kind}`;
}

export function readSettingsPlace(hash: string): SettingsPlace | null {
  if (hash === '#add' || hash === '#lock') return { kind: hash.slice(1) as 'add' | 'lock' };
  const setUp = /^#set-up=(.+)$/.exec(hash)?.[1];
  return setUp ? { kind: 'set-up', connectionId: decodeURIComponent(setUp) } : null;
}
