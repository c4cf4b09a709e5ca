/**
 * The publisher's subscriptions: topic filters (with MQTT wildcards) and their handlers. They are
 * repeated on every connection; a received message goes to every handler whose filter matches.
 */

export type MessageHandler = (payload: string, retained: boolean, topic: string) => void;

/** Whether `topic` matches `filter` (MQTT 3.1.1 §4.7: `+` one level, `#` the rest, last only). */
export function topicMatches(filter: string, topic: string): boolean {
  const f = filter.split('/');
  const t = topic.split('/');
  // §4.7.2: a wildcard in the first level does not match topics starting with "$".
  if (t[0].startsWith('$') && (f[0] === '+' || f[0] === '#')) return false;
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return true;
    if (i >= t.length) return false;
    if (f[i] !== '+' && f[i] !== t[i]) return false;
  }
  return f.length === t.length;
}

export class Subscriptions {
  readonly #handlers = new Map<string, MessageHandler>();

  /** Adds (or replaces) the handler of a filter. */
  set(filter: string, handler: MessageHandler): void {
    this.#handlers.set(filter, handler);
  }

  get filters(): string[] {
    return [...this.#handlers.keys()];
  }

  dispatch(topic: string, payload: string, retained: boolean): void {
    for (const [filter, handler] of this.#handlers) {
      if (topicMatches(filter, topic)) handler(payload, retained, topic);
    }
  }
}
