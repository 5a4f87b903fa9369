import type { BadgeModel, BadgeTone } from './badge';
import type { Texts } from '../i18n/texts';

/** The part of `browser.action` the badge needs. */
export interface BadgeAction {
  setBadgeText(details: { text: string }): Promise<void>;
  setBadgeBackgroundColor(details: { color: string }): Promise<void>;
  setBadgeTextColor?(details: { color: string }): Promise<void>;
  setTitle(details: { title: string }): Promise<void>;
}

export const BADGE_COLORS: Record<BadgeTone, { background: string; text: string }> = {
  none: { background: '#5f6368', text: '#ffffff' },
  ok: { background: '#1b7a3a', text: '#ffffff' },
  soon: { background: '#f2b705', text: '#1f1f1f' },
  urgent: { background: '#c5221f', text: '#ffffff' },
  expired: { background: '#c5221f', text: '#ffffff' },
  todo: { background: '#1a5fb4', text: '#ffffff' },
  unknown: { background: '#5f6368', text: '#ffffff' },
};

export function createBadgePresenter(action: BadgeAction) {
  async function paint(text: string, tone: BadgeTone, title: string): Promise<void> {
    const colors = BADGE_COLORS[tone];
    await Promise.all([
      action.setBadgeText({ text }),
      action.setBadgeBackgroundColor({ color: colors.background }),
      action.setBadgeTextColor?.({ color: colors.text }),
      action.setTitle({ title }),
    ]);
  }

  return {
    show: (model: BadgeModel, title: string) => paint(model.text, model.tone, title),
    /** Storage could not be read: say so rather than show an empty, reassuring badge. */
    showError: (texts: Texts) => paint('?', 'unknown', texts.t('errorStorage')),
  };
}

export type BadgePresenter = ReturnType<typeof createBadgePresenter>;
