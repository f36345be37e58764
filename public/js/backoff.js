// Reconnect delays: exponential backoff with "equal jitter" — the delay for
// attempt n is uniformly random in [d/2, d] with d = min(cap, base * 2^n), so
// a crowd of pages that lost the same server do not all return at once.
export const BACKOFF_BASE_MS = 500;
export const BACKOFF_CAP_MS = 30_000;

export function backoffDelay(attempt, random = Math.random) {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.min(attempt, 16));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
