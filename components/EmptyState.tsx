import type { Texts } from '@/utils/i18n/texts';

/** Nothing watched yet: where the first connection is added, and a button that goes there. */
export function EmptyState({ texts, onAdd }: { texts: Texts; onAdd: () => void }) {
  return (
    <section class="empty-state" aria-labelledby="empty-title">
      <h2 id="empty-title">{texts.t('emptyTitle')}</h2>
      <p>{texts.t('emptyBody')}</p>
      <button type="button" class="button button--primary" data-action="add-first" onClick={onAdd}>
        {texts.t('actionAddConnection')}
      </button>
    </section>
  );
}
