/** Runs `task` after `tail` has settled (whatever its outcome); the new tail never rejects. */
function after<T>(tail: Promise<unknown>, task: () => Promise<T>): { run: Promise<T>; tail: Promise<unknown> } {
  const run = tail.then(task, task);
  return { run, tail: run.catch(() => undefined) };
}

/** Runs tasks one after another, so a slow one never finishes after a newer one. */
export function createQueue() {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(task: () => Promise<T>): Promise<T> => {
    const next = after(tail, task);
    tail = next.tail;
    return next.run;
  };
}

/** One queue per key: tasks for the same key run one after another, different keys side by side. */
export function createKeyedQueue() {
  const tails = new Map<string, Promise<unknown>>();
  return <T>(key: string, task: () => Promise<T>): Promise<T> => {
    const next = after(tails.get(key) ?? Promise.resolve(), task);
    tails.set(key, next.tail);
    // Forget an idle key, unless a newer task has queued behind this one meanwhile.
    void next.tail.then(() => tails.get(key) === next.tail && tails.delete(key));
    return next.run;
  };
}
