import { connectionViews } from '@/utils/catalogue/views';
import type { Texts } from '@/utils/i18n/texts';
import { readStoredList } from '@/utils/storage/reader';
import type { PopupList } from './Popup';

/**
 * The popup's list, read from the database by the page itself: opening the popup then neither
 * waits for nor wakes a sleeping background. The views are built as the background builds them
 * (utils/catalogue/views.ts). Where the page cannot read the list as it is, the background answers.
 */
export function storedListFirst(
  texts: Pick<Texts, 't'>,
  catalogue: Promise<void>,
  background: () => Promise<PopupList>,
  read = readStoredList,
): () => Promise<PopupList> {
  return async () => {
    const [stored] = await Promise.all([read().catch(() => null), catalogue]);
    if (!stored) return background();
    return {
      views: connectionViews(stored.records, texts, stored.platforms),
      ...(stored.holder ? { holder: stored.holder } : {}),
      ...(stored.whole ? { whole: stored.whole } : {}),
    };
  };
}
