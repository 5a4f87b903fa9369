import type { PopupList } from './Popup';

/**
 * The list with the rows marked whose renewals need a host the browser does not allow: the
 * platform's metadata names a new one (consent/metadata-refresh.ts), or the user took access back
 * in the browser's settings. Their next step is to sign in, whose click asks for every host together.
 */
export function withMissingHosts(list: () => Promise<PopupList>, hostsAllowed: (origins: string[]) => Promise<boolean>): () => Promise<PopupList> {
  return async () => {
    const found = await list();
    const views = await Promise.all(
      found.views.map(async (view) => {
        // Only a connection the background renews calls the hosts by itself; any other asks for them at its first click.
        const renewed = view.connection.hasRefreshToken && view.hostOrigins.length > 0;
        return renewed && !(await hostsAllowed(view.hostOrigins).catch(() => true)) ? { ...view, hostsMissing: true as const } : view;
      }),
    );
    return { ...found, views };
  };
}
