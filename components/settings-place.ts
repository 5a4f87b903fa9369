/** Where the settings page opens: at the form that adds a connection, at one connection's sign-in settings, or at the passphrase lock. */
export type SettingsPlace = { kind: 'add' } | { kind: 'lock' } | { kind: 'set-up'; connectionId: string };

/** The place as the settings page's address ends: `#add`, `#lock`, `#set-up=<id>`. */
export function settingsHash(place: SettingsPlace): string {
  return place.kind === 'set-up' ? `#set-up=${encodeURIComponent(place.connectionId)}` : `#${place.kind}`;
}
