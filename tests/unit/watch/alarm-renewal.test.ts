import { describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { MS_PER_DAY } from '../../../utils/expiry/calendar';
import { createNoticeService, type NotificationsApi } from '../../../utils/notices/service';
import { createBadgePresenter } from '../../../utils/watch/badge-presenter';
import { createWatchService, WAKE_UP_ALARM } from '../../../utils/watch/service';
import { tokenWorld } from '../fake-platform';
import { textsFor } from '../texts';

const SIGNED_IN = Date.parse('2026-11-21T10:00:00+01:00');
const BERLIN = 'Europe/Berlin';

/** The background's wiring of the watch to the token service, as in entrypoints/background, on a fake platform. */
async function background() {
  const world = tokenWorld(SIGNED_IN);
  await world.addConnection('c1');
  await world.tokens.consent('c1', 'Anna');
  const notifications = { create: vi.fn<NotificationsApi['create']>(async (id) => id) };
  const deps = { repository: world.repository, texts: () => textsFor('en'), now: () => world.clock.now, timeZone: () => BERLIN };
  const watch = createWatchService({
    ...deps,
    badge: createBadgePresenter(fakeBrowser.action),
    alarms: fakeBrowser.alarms,
    notices: createNoticeService({ ...deps, notifications, iconUrl: '', buttons: true }),
    renew: (connectionId) => world.tokens.refresh(connectionId, 'Token Watch'),
    report: () => undefined,
  });
  world.changed.mockImplementation(() => watch.settle());
  world.platform.launchWebAuthFlow.mockClear();
  return { world, watch, notifications };
}

describe('a renewal from an alarm (catalogue B7)', () => {
  it('never opens a sign-in window, even when the grant needs a new sign-in: it says so and notifies instead', async () => {
    const { world, watch, notifications } = await background();
    world.platform.withdrawGrants();
    // Two days on, the keep-alive refresh is due.
    world.clock.now = SIGNED_IN + 2 * MS_PER_DAY;

    await watch.onAlarm({ name: WAKE_UP_ALARM });

    expect(world.platform.fetch).toHaveBeenCalledTimes(2);
    expect(world.platform.launchWebAuthFlow).not.toHaveBeenCalled();
    expect(world.tokens.activeConsent()).toBeNull();
    expect(await (await world.repository()).get('c1')).toMatchObject({ needsReconsent: true, hasRefreshToken: false });
    expect(await fakeBrowser.action.getBadgeText({})).toBe('!');
    expect(notifications.create).toHaveBeenCalledOnce();
    expect(notifications.create.mock.calls[0]![1]).toMatchObject({ title: textsFor('en').t('noticeReconsentTitle', ['Google']) });

    // The next wake-up neither asks the platform again nor opens a window.
    world.clock.now += MS_PER_DAY;
    await watch.onAlarm({ name: WAKE_UP_ALARM });
    expect(world.platform.fetch).toHaveBeenCalledTimes(2);
    expect(world.platform.launchWebAuthFlow).not.toHaveBeenCalled();
  });
});
