/**
 * The pages' read-only look at the database, so that the popup paints its list without waking the
 * background. The background stays the only writer: this module opens no transaction but a
 * read-only one, never creates or upgrades the database, and lets go of it at once. Where it cannot
 * read the list as the background would (no database yet, another version of it, any failure) it
 * answers null, and the page asks the background instead.
 */
import type { CustomPlatform } from '../catalogue/types';
import { DB_NAME, DB_VERSION, isHolderLink, type HolderLink } from './schema';
import { currentSummary, SUMMARY_KEY, type ListSummary } from './summary';

export { attentionCount } from './summary';

/** What the pages see of the link to the token holder: never the key. */
export type HolderSummary = Omit<HolderLink, 'memberKey'>;

export interface StoredList {
  /** The stored records as they are: the caller leaves out any that is not a whole connection. */
  records: unknown[];
  platforms: CustomPlatform[];
  holder: HolderSummary | null;
  /** Where only the first screen's candidates were read (the list's summary): how many there are in all, and when each needs attention. */
  whole?: Pick<ListSummary, 'count' | 'attentionFrom'>;
}

export function holderSummaryOf(stored: unknown): HolderSummary | null {
  if (!isHolderLink(stored)) return null;
  const { memberKey: _key, ...shown } = stored;
  return shown;
}

const done = <T>(request: IDBRequest<T>) =>
  new Promise<T>((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error ?? new Error('IndexedDB request failed'));
  });

/** Opens the database as it is, at no version: a database that does not exist yet is not created. */
function openExisting(factory: IDBFactory, name: string): Promise<IDBDatabase | null> {
  return new Promise((resolve) => {
    const request = factory.open(name);
    // Only a database that does not exist yet asks for an upgrade here: creating it is the background's job.
    request.onupgradeneeded = () => request.transaction?.abort();
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => resolve(null);
    request.onblocked = () => resolve(null);
  });
}

/**
 * The popup's first screen: the list's summary (summary.ts) stands in for the records where it is
 * current in this time zone, one small read rather than every record; otherwise every record.
 */
export const readFirstScreen = (timeZone: string, factory: IDBFactory = indexedDB, name = DB_NAME) => readStoredList(factory, name, timeZone);

/** The stored list; given the time zone, its first screen where the summary stands for it (`readFirstScreen`). */
export async function readStoredList(factory: IDBFactory = indexedDB, name = DB_NAME, firstScreenIn?: string): Promise<StoredList | null> {
  const db = await openExisting(factory, name);
  if (!db) return null;
  try {
    // A database of an older (or newer) schema is the background's to upgrade first.
    if (db.version !== DB_VERSION) return null;
    // Never stand in the way of an upgrade the background starts while this reads.
    db.onversionchange = () => db.close();
    const tx = db.transaction(['connections', 'platforms', 'settings'], 'readonly');
    const everyRecord = () => done(tx.objectStore('connections').getAll());
    const [whole, records, platforms, holder] = await Promise.all([
      firstScreenIn ? done(tx.objectStore('settings').get(SUMMARY_KEY)).then((stored) => currentSummary(stored, firstScreenIn)) : null,
      firstScreenIn ? null : everyRecord(),
      done(tx.objectStore('platforms').getAll() as IDBRequest<CustomPlatform[]>),
      done(tx.objectStore('settings').get('holder')),
    ]);
    if (whole) return { records: whole.rows, platforms, holder: holderSummaryOf(holder), whole: { count: whole.count, attentionFrom: whole.attentionFrom } };
    // No current summary: every record, in the same transaction, so that all tell of one moment.
    return { records: records ?? (await everyRecord()), platforms, holder: holderSummaryOf(holder) };
  } catch {
    return null;
  } finally {
    db.close();
  }
}
