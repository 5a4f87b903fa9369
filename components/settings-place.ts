/** Where the settings page opens: at the form that adds a connection, or at one connection's sign-in settings. */
export type SettingsPlace = { kind: 'add' } | { kind: 'set-up'; connectionId: string };

/** The place as the settings page's address ends: `#add`, `#set-up=<id>`. */
export function settingsHash(place: SettingsPlace): string {
  return place.kind === 'add' ? '#add' : `#set-up=${encodeURIComponent(place.connectionId)}`;
}

export function readSettingsPlace(hash: string): SettingsPlace | null {
  if (hash === '#add') return { kind: 'add' };
  const setUp = /^#set-up=(.+)$/.exec(hash)?.[1];
  return setUp ? { kind: 'set-up', connectionId: decodeURIComponent(setUp) } : null;
}
