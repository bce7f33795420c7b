/**
 * Timing of P0/P1 notification routes so that `ack_timeout` holds. Alertmanager (and Grafana's
 * Alertmanager) only sends at `group_interval` ticks and re-sends a group once its last
 * notification is older than `repeat_interval` at a tick; with `repeat_interval` equal to a
 * multiple of `group_interval` the re-send slips to the next tick (`ack_timeout` +
 * `group_interval` in practice). So: `group_interval` = `ack_timeout` / n (whole seconds, n ≥ 2,
 * no longer than the default), and `repeat_interval` half a tick shorter than `ack_timeout`,
 * which puts the re-send on exactly the tick `ack_timeout` after the last notification.
 */

export interface AckTimings {
  groupIntervalMs: number;
  repeatIntervalMs: number;
}

export function ackTimings(ackTimeoutMs: number, defaultGroupIntervalMs: number): AckTimings {
  let n = Math.max(2, Math.ceil(ackTimeoutMs / defaultGroupIntervalMs));
  while (ackTimeoutMs % n !== 0 || (ackTimeoutMs / n) % 1000 !== 0) n++;
  const groupIntervalMs = ackTimeoutMs / n;
  return { groupIntervalMs, repeatIntervalMs: ackTimeoutMs - groupIntervalMs / 2 };
}
