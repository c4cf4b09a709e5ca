/**
 * One connection to the broker: one mqtt.js client, one network connection, never reused.
 * mqtt.js's own reconnect runs on a fixed interval (reconnectPeriod) and keeps its packets in
 * its own store; the publisher instead opens a fresh Link per attempt, with its own backoff,
 * and keeps the unacknowledged messages itself. A Link reports `up` once (first CONNACK) and
 * `down` once (the connection or the attempt ended), with the last error mqtt.js gave.
 */
import { connect, type IClientOptions, type MqttClient } from 'mqtt';
import type { TlsOptions } from './credentials.js';
import type { QoS } from './topics.js';

export interface LinkOptions {
  url: string;
  clientId: string;
  username?: string;
  password?: string;
  connectTimeoutMs: number;
  keepaliveS: number;
  will: { topic: string; payload: string; qos: QoS; retain: boolean };
  /** For mqtts:// URLs: CA, client certificate and key, whether to verify the broker. */
  tls?: TlsOptions;
}

export interface LinkEvents {
  up(link: Link): void;
  down(link: Link, lastError: Error | undefined): void;
  /** Errors while up (keepalive timeout, reset), for logging. */
  error(link: Link, err: Error): void;
  /** A message on a subscribed topic. */
  message?(link: Link, topic: string, payload: string, retained: boolean): void;
}

export class Link {
  readonly id: number;
  #client: MqttClient;
  #up = false;
  #down = false;
  #lastError: Error | undefined;

  constructor(id: number, opts: LinkOptions, events: LinkEvents) {
    this.id = id;
    const clientOptions: IClientOptions = {
      clientId: opts.clientId,
      username: opts.username,
      password: opts.password,
      protocolVersion: 4,
      clean: true,
      // Reconnects are the publisher's (capped exponential backoff with jitter); see the file comment.
      reconnectPeriod: 0,
      connectTimeout: opts.connectTimeoutMs,
      keepalive: opts.keepaliveS,
      queueQoSZero: false,
      resubscribe: false,
      will: {
        topic: opts.will.topic,
        payload: Buffer.from(opts.will.payload),
        qos: opts.will.qos,
        retain: opts.will.retain,
      },
      // mqtt.js hands these to tls.connect for mqtts:// (and ignores them for mqtt://); it reports
      // handshake errors only when rejectUnauthorized is on (MQTT.js lib/connect/tls.ts).
      ...(opts.tls ?? {}),
    };
    this.#client = connect(opts.url, clientOptions);
    this.#client.on('error', (err: Error) => {
      this.#lastError = err;
      if (this.#up && !this.#down) events.error(this, err);
    });
    this.#client.on('message', (topic, payload, packet) => {
      events.message?.(this, topic, payload.toString('utf8'), packet.retain);
    });
    this.#client.on('connect', () => {
      if (this.#up || this.#down) return;
      this.#up = true;
      events.up(this);
    });
    this.#client.on('close', () => {
      if (this.#down) return;
      this.#down = true;
      events.down(this, this.#lastError);
      // Forced end: with reconnectPeriod 0 and a clean session mqtt.js fails the callbacks of
      // unacknowledged publishes ("Connection closed"); the publisher has already requeued them.
      this.#client.end(true);
    });
  }

  get up(): boolean {
    return this.#up && !this.#down;
  }

  /** Whether this connection ever got its CONNACK (a lost connection vs a failed attempt). */
  get wasUp(): boolean {
    return this.#up;
  }

  get down(): boolean {
    return this.#down;
  }

  /** Writes one PUBLISH; cb runs on PUBACK (QoS 1), once written (QoS 0), or with the error. */
  publish(topic: string, payload: string, qos: QoS, retain: boolean, cb: (err?: Error) => void): void {
    this.#client.publish(topic, payload, { qos, retain }, (err) => cb(err));
  }

  /** Subscribes at QoS 1; cb runs on SUBACK or with the error. */
  subscribe(topic: string, cb: (err?: Error) => void): void {
    this.#client.subscribe(topic, { qos: 1 }, (err) => cb(err ?? undefined));
  }

  /**
   * Ends the connection. Graceful sends DISCONNECT (the broker then discards the last will);
   * forced just drops the socket (the broker publishes the will). Resolves once the socket is
   * closed, or after timeoutMs at most.
   */
  end(graceful: boolean, timeoutMs: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#client.stream?.destroy();
        resolve();
      }, timeoutMs);
      timer.unref();
      this.#client.end(!graceful, {}, () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}
