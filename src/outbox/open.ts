/**
 * Where the outbox lives and how the agent opens it from `mqtt.outbox`.
 *
 * Default file, first that applies:
 * 1. `$STATE_DIRECTORY/<node>/outbox.sqlite`: systemd's StateDirectory= (systemd.exec(5); the unit in
 *    systemd/ sets `StateDirectory=bindsight`, i.e. /var/lib/bindsight). A colon-separated list
 *    (several StateDirectory= entries) uses the first.
 * 2. `$XDG_STATE_HOME/bindsight/<node>/outbox.sqlite` (XDG Base Directory spec: "state data that
 *    should persist between (application) restarts").
 * 3. `~/.local/state/bindsight/<node>/outbox.sqlite`, the spec's default for XDG_STATE_HOME.
 * The node id is in the path so that two agents on one machine never share a file.
 */
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { MemoryOutbox } from './memory.js';
import { SqliteOutbox } from './sqlite.js';
import type { OutboxBounds, OutboxStore } from './types.js';

export interface OutboxConfig {
  durable: boolean;
  /** Absolute (the config loader resolves a relative one against the config file's folder). */
  path?: string;
  maxMessages: number;
  maxBytes: number;
  maxAgeHours: number;
}

type Env = Readonly<Record<string, string | undefined>>;

export function defaultOutboxPath(node: string, env: Env = process.env, home: string = homedir()): string {
  const state = env.STATE_DIRECTORY?.split(':').find((d) => isAbsolute(d));
  if (state) return join(state, node, 'outbox.sqlite');
  const xdg = env.XDG_STATE_HOME;
  // The spec says a relative XDG_STATE_HOME is invalid and must be ignored.
  const base = xdg && isAbsolute(xdg) ? xdg : join(home, '.local', 'state');
  return join(base, 'bindsight', node, 'outbox.sqlite');
}

export function outboxBounds(cfg: OutboxConfig): OutboxBounds {
  return { maxMessages: cfg.maxMessages, maxBytes: cfg.maxBytes, maxAgeMs: cfg.maxAgeHours * 3_600_000 };
}

/** Opens the configured store; throws OUTBOX_FAILED if the file cannot be used. */
export function openOutbox(cfg: OutboxConfig, node: string, env: Env = process.env): OutboxStore {
  const bounds = outboxBounds(cfg);
  if (!cfg.durable) return new MemoryOutbox(bounds);
  return new SqliteOutbox(cfg.path ?? defaultOutboxPath(node, env), bounds);
}
