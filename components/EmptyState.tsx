import type { Texts } from '@/utils/i18n/texts';

export function EmptyState({ texts }: { texts: Texts }) {
  return (
    <section class="empty-state">
      <h2>{texts.t('emptyTitle')}</h2>
      <p>{texts.t('emptyBody')}</p>
    </section>
  );
}
