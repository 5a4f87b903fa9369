import { useCallback, useEffect, useState } from 'preact/hooks';
import { AddConnectionForm } from '@/components/AddConnectionForm';
import { ConnectionSettings } from '@/components/ConnectionSettings';
import { CustomPlatformForm } from '@/components/CustomPlatformForm';
import { ErrorMessage } from '@/components/ErrorMessage';
import { HolderPanel } from '@/components/HolderPanel';
import { LockPanel } from '@/components/LockPanel';
import { PreferencesForm } from '@/components/PreferencesForm';
import { TransferPanel } from '@/components/TransferPanel';
import { errorCodeOf } from '@/utils/messaging/client';
import type { OptionsClient } from '@/utils/messaging/options-client';
import type { PlatformMetadata } from '@/utils/consent/discovery';
import type { Texts } from '@/utils/i18n/texts';
import { findPlatform, type CustomPlatform } from '@/utils/catalogue/presets';
import type { SettingsPlace } from '@/components/settings-place';
import type { ConnectionView, ErrorCode } from '@/utils/messaging/protocol';
import { byUrgency } from '@/utils/expiry/status';
import { MAX_CONNECTIONS } from '@/utils/records/fields';

interface OptionsProps {
  client: OptionsClient;
  texts: Texts;
  now: number;
  timeZone: string;
  requestHostAccess: (origins: string[]) => Promise<boolean>;
  inspect: (issuer: string) => Promise<PlatformMetadata>;
  /** Where the popup sent the user: the form that adds a connection, one connection's sign-in settings, or the lock. */
  place?: SettingsPlace | null;
}

export function Options({ client, texts, now, timeZone, requestHostAccess, inspect, place = null }: OptionsProps) {
  const [views, setViews] = useState<ConnectionView[] | null>(null);
  /** Stored beyond the limit (by an earlier version) and not listed. */
  const [beyondLimit, setBeyondLimit] = useState(0);
  const [custom, setCustom] = useState<CustomPlatform[]>([]);
  const [failure, setFailure] = useState<ErrorCode | null>(null);

  const load = useCallback(async () => {
    try {
      const [list, platforms] = await Promise.all([client.listConnections(), client.listPlatforms()]);
      setViews(list.views);
      setBeyondLimit(list.beyondLimit ?? 0);
      setCustom(platforms);
      setFailure(null);
    } catch (error) {
      setFailure(errorCodeOf(error));
    }
  }, [client]);

  useEffect(() => {
    void load();
  }, [load]);

  const sorted = byUrgency(views ?? [], now, timeZone);

  return (
    <main class="options" aria-busy={views === null && failure === null}>
      <h1>{texts.t('optionsTitle')}</h1>
      {failure && <ErrorMessage texts={texts} code={failure} />}
      <section aria-labelledby="connections">
        <h2 id="connections">{texts.t('sectionConnections')}</h2>
        {views?.length === 0 && <p class="muted">{texts.t('emptyBodyOptions')}</p>}
        {beyondLimit > 0 && (
          <p class="notice" role="alert" data-beyond-limit>{texts.t('beyondLimitNotice', [MAX_CONNECTIONS, views!.length + beyondLimit, views!.length].map((n) => new Intl.NumberFormat(texts.locale).format(n)))}</p>
        )}
        <ul class="settings-list">
          {sorted.map(({ view }) => (
            <ConnectionSettings
              key={view.connection.id}
              view={view}
              oauth={findPlatform(view.connection.platformId, custom)?.oauth}
              client={client}
              texts={texts}
              now={now}
              timeZone={timeZone}
              requestHostAccess={requestHostAccess}
              onChanged={() => void load()}
              settingUp={place?.kind === 'set-up' && place.connectionId === view.connection.id}
            />
          ))}
        </ul>
      </section>
      <LockPanel client={client} texts={texts} focus={place?.kind === 'lock'} onChanged={() => void load()} />
      <HolderPanel client={client} texts={texts} timeZone={timeZone} onChanged={() => void load()} />
      <AddConnectionForm client={client} texts={texts} customPlatforms={custom} requestHostAccess={requestHostAccess} onAdded={() => void load()} focus={place?.kind === 'add'} />
      <CustomPlatformForm client={client} inspect={inspect} texts={texts} requestHostAccess={requestHostAccess} onAdded={() => void load()} />
      <TransferPanel client={client} texts={texts} stored={(views?.length ?? 0) + beyondLimit} onImported={() => void load()} />
      <PreferencesForm client={client} texts={texts} />
    </main>
  );
}
