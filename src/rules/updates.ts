/**
 * Changing rules without a restart (issue #9), from two sources handled one at a time:
 *
 * - the config file, watched (its folder, so an editor's save-by-rename is seen) with a debounce:
 *   it is re-read and re-validated like at start; only `rules` are applied, a change anywhere else
 *   is logged as needing a restart; an invalid file keeps the running rules and logs the located
 *   problems;
 * - the rules command topic: the payload is validated like the file (command.ts) and the result,
 *   ok or the problems, is published back.
 *
 * A new rule set is compiled (prompts embedded) before it replaces the running one, so a prompt
 * the pack cannot represent is refused and the running rules stay as they were.
 */
import { type FSWatcher, watch } from 'node:fs';
import { basename, dirname } from 'node:path';
import { loadConfig } from '../config/load.js';
import type { Config } from '../config/schema.js';
import { errorMessage } from '../errors.js';
import type { Logger } from '../observe/logger.js';
import { parseRulesPayload, type RulesResult } from './command.js';
import { type RuleConfig, resolveRulePaths } from './config.js';
import type { CompiledRule } from './engine.js';

export interface RuleUpdatesDeps {
  /** The config as it runs (rules included); sections other than rules are compared against it. */
  config: Config;
  /** Folder relative example-file paths in a command are resolved against (the config file's). */
  configDir: string;
  compile(rules: RuleConfig[]): Promise<CompiledRule[]>;
  /** Installs a compiled rule set. */
  apply(rules: RuleConfig[], compiled: CompiledRule[]): void;
  logger: Logger;
  /** Quiet time after the last file change before reloading, ms (default 250). */
  debounceMs?: number;
}

/** What hot reloads did since start: visible in /healthz and /metrics. */
export interface RuleUpdateStats {
  /** Rule sets installed (file reloads and rules commands). */
  applied: number;
  /** Reloads and commands refused; the running rules stayed. */
  refused: number;
  /** The latest refusal: where it came from, when, and the problems. */
  lastRefused?: { source: 'file' | 'command'; time: string; error: string };
}

export class RuleUpdates {
  readonly #deps: RuleUpdatesDeps;
  readonly #log: Logger;
  #rules: RuleConfig[];
  #queue: Promise<unknown> = Promise.resolve();
  #watcher: FSWatcher | undefined;
  #timer: NodeJS.Timeout | undefined;
  #lastCommand: string | undefined;
  readonly #stats: RuleUpdateStats = { applied: 0, refused: 0 };

  constructor(deps: RuleUpdatesDeps) {
    this.#deps = deps;
    this.#rules = deps.config.rules;
    this.#log = deps.logger.child({ ns: 'bindsight:rules' });
  }

  /** Watches `file`; each change (after the debounce) reloads its rules. */
  watch(file: string): void {
    const name = basename(file);
    this.#watcher = watch(dirname(file), (_event, changed) => {
      if (changed !== null && changed !== name) return;
      clearTimeout(this.#timer);
      this.#timer = setTimeout(() => void this.reloadFile(file), this.#deps.debounceMs ?? 250);
    });
    this.#watcher.on('error', (err) => this.#log.warn({ file, err: err.message }, 'config watch failed'));
  }

  /** Re-reads `file` and applies its rules if they changed; never throws. */
  reloadFile(file: string): Promise<void> {
    return this.#serial(async () => {
      let config: Config;
      try {
        ({ config } = await loadConfig(file));
      } catch (err) {
        this.#refused('file', errorMessage(err));
        this.#log.error({ file, error: errorMessage(err) }, 'config reload refused; the running rules stay');
        return;
      }
      const restart = changedSections(this.#deps.config, config);
      if (restart.length > 0)
        this.#log.warn(
          { file, sections: restart },
          'config changes outside "rules" need a restart; not applied',
        );
      if (JSON.stringify(config.rules) === JSON.stringify(this.#rules)) return;
      const errors = await this.#install(config.rules);
      if (errors.length > 0) {
        this.#refused('file', errors.join('\n'));
        this.#log.error({ file, error: errors.join('\n') }, 'config reload refused; the running rules stay');
      } else
        this.#log.info({ file, rules: config.rules.map((r) => r.id) }, 'rules reloaded from the config file');
    });
  }

  /** Handles one rules command payload; resolves with the result to publish (undefined: nothing to do). */
  command(payload: string, sensorIds: readonly string[]): Promise<RulesResult | undefined> {
    return this.#serial(async () => {
      // An empty payload clears the retained command; the same payload again (a reconnect redelivers it) is done.
      if (payload.trim() === '' || payload === this.#lastCommand) return undefined;
      this.#lastCommand = payload;
      const parsed = parseRulesPayload(payload, sensorIds);
      const rules = parsed.ok ? parsed.rules.map((r) => resolveRulePaths(r, this.#deps.configDir)) : [];
      const errors = parsed.ok ? await this.#install(rules) : parsed.errors;
      const time = new Date().toISOString();
      if (errors.length > 0) {
        this.#refused('command', errors.join('\n'));
        this.#log.warn({ errors }, 'rules command refused; the running rules stay');
        return { ok: false, rules: [], errors, time };
      }
      this.#log.info({ rules: rules.map((r) => r.id) }, 'rules replaced by the rules command');
      return { ok: true, rules: rules.map((r) => r.id), errors: [], time };
    });
  }

  /** Reloads applied and refused since start. */
  stats(): RuleUpdateStats {
    return { ...this.#stats };
  }

  /** The rule set now running. */
  get rules(): readonly RuleConfig[] {
    return this.#rules;
  }

  close(): void {
    clearTimeout(this.#timer);
    this.#watcher?.close();
    this.#watcher = undefined;
  }

  /** Compiles and applies; returns the problems (empty when applied). */
  async #install(rules: RuleConfig[]): Promise<string[]> {
    let compiled: CompiledRule[];
    try {
      compiled = await this.#deps.compile(rules);
    } catch (err) {
      return [errorMessage(err)];
    }
    this.#deps.apply(rules, compiled);
    this.#rules = rules;
    this.#stats.applied++;
    return [];
  }

  #refused(source: 'file' | 'command', error: string): void {
    this.#stats.refused++;
    this.#stats.lastRefused = { source, time: new Date().toISOString(), error };
  }

  #serial<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task, task);
    this.#queue = run.catch(() => undefined);
    return run;
  }
}

/** Top-level config sections other than rules that differ (they take effect on restart only). */
export function changedSections(running: Config, next: Config): string[] {
  const keys = new Set([...Object.keys(running), ...Object.keys(next)]);
  keys.delete('rules');
  const a = running as unknown as Record<string, unknown>;
  const b = next as unknown as Record<string, unknown>;
  return [...keys].filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k])).sort();
}
