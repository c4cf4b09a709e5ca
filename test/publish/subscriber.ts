/**
 * A real MQTT subscriber for the publish tests: records every message and lets a test wait
 * for the one it expects. A message that never comes fails the wait (poll.ts within()), with
 * the messages seen so far in the failure.
 */
import { connect, type IClientOptions, type MqttClient } from 'mqtt';
import type { Teardown } from '../helpers/mosquitto.js';
import { within } from './poll.js';

export interface Received {
  topic: string;
  payload: string;
  retain: boolean;
  qos: number;
}

export interface Subscriber {
  readonly client: MqttClient;
  readonly messages: readonly Received[];
  /** Resolves with the first message (already received or still to come) that matches. */
  next(match: (m: Received) => boolean): Promise<Received>;
  /** Resolves once `count` messages match, with them in arrival order. */
  collect(match: (m: Received) => boolean, count: number): Promise<Received[]>;
  close(): Promise<void>;
}

export async function subscribe(
  t: Teardown,
  url: string,
  filter: string,
  opts: IClientOptions = {},
): Promise<Subscriber> {
  const client = connect(url, { reconnectPeriod: 100, ...opts });
  const messages: Received[] = [];
  const waiters = new Set<() => void>();
  client.on('message', (topic, payload, packet) => {
    messages.push({ topic, payload: payload.toString('utf8'), retain: packet.retain, qos: packet.qos });
    for (const w of [...waiters]) w();
  });
  client.on('error', () => {
    // Connection errors during broker restarts are expected; mqtt.js reconnects.
  });
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('error', reject);
  });
  await client.subscribeAsync(filter, { qos: 1 });
  let closed = false;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await client.endAsync(true);
  };
  t.teardown(close);

  const collect = (match: (m: Received) => boolean, count: number): Promise<Received[]> => {
    let check = (): void => {};
    const found = new Promise<Received[]>((resolve) => {
      check = (): void => {
        const hits = messages.filter(match);
        if (hits.length >= count) {
          waiters.delete(check);
          resolve(hits.slice(0, count));
        }
      };
      waiters.add(check);
      check();
    });
    const seen = (): string =>
      `${messages.length} received on ${filter}: ${messages.map((m) => `${m.topic} ${m.payload.slice(0, 40)}`).join(' | ')}`;
    return within(found, `${count} matching message(s)`, seen).finally(() => waiters.delete(check));
  };

  return {
    client,
    messages,
    next: async (match) => (await collect(match, 1))[0],
    collect,
    close,
  };
}

/** The retained message on a topic, as a fresh subscriber sees it. */
export async function retainedOn(
  t: Teardown,
  url: string,
  topic: string,
  opts: IClientOptions = {},
): Promise<Received> {
  const sub = await subscribe(t, url, topic, opts);
  const m = await sub.next((r) => r.topic === topic && r.retain);
  await sub.close();
  return m;
}
