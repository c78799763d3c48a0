/**
 * The value of `promise` if it settles within `ms`, otherwise undefined; the promise keeps running. A
 * rejection within the time rejects. For waits that must end: a probe, a drain, a deferred reply.
 */
export async function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), ms)));
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
