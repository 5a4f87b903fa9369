import { describe, expect, it } from 'vitest';
import { createKeyedQueue, createQueue } from '../../../utils/storage/queue';

/** A task that records when it starts and ends, and finishes when told. */
function task(log: string[], name: string) {
  let finish: () => void = () => undefined;
  const done = new Promise<void>((resolve) => (finish = resolve));
  return {
    run: async () => {
      log.push(`${name} starts`);
      await done;
      log.push(`${name} ends`);
      return name;
    },
    finish: () => finish(),
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('createQueue', () => {
  it('runs tasks one after another, and a failed one does not stop the next', async () => {
    const queue = createQueue();
    const log: string[] = [];
    const first = task(log, 'first');
    const running = queue(first.run);
    const failing = queue(async () => {
      log.push('second starts');
      throw new Error('second failed');
    });
    const third = queue(async () => (log.push('third starts'), 'third'));
    await settle();
    expect(log).toEqual(['first starts']);
    first.finish();
    await expect(running).resolves.toBe('first');
    await expect(failing).rejects.toThrow('second failed');
    await expect(third).resolves.toBe('third');
    expect(log).toEqual(['first starts', 'first ends', 'second starts', 'third starts']);
  });
});

describe('createKeyedQueue', () => {
  it('runs tasks of one key one after another, and tasks of other keys side by side', async () => {
    const queue = createKeyedQueue();
    const log: string[] = [];
    const a1 = task(log, 'a1');
    const a2 = task(log, 'a2');
    const b1 = task(log, 'b1');
    const runs = [queue('a', a1.run), queue('a', a2.run), queue('b', b1.run)];
    await settle();
    expect(log).toEqual(['a1 starts', 'b1 starts']);
    a1.finish();
    b1.finish();
    await settle();
    expect(log).toContain('a2 starts');
    a2.finish();
    await expect(Promise.all(runs)).resolves.toEqual(['a1', 'a2', 'b1']);
    expect(log.indexOf('a1 ends')).toBeLessThan(log.indexOf('a2 starts'));
  });
});
