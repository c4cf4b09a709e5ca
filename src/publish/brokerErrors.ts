/**
 * Turns what mqtt.js reports about a failed connection into one-line BindsightErrors:
 * BROKER_UNREACHABLE (refused, DNS, timeout, TLS) or BROKER_REFUSED (CONNACK said no).
 * URLs are shown without their password; the password itself is never printed.
 */
import { BindsightError } from '../errors.js';

export interface BrokerContext {
  url: string;
  username?: string;
  connectTimeoutMs: number;
}

const NETWORK_REASONS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connection refused (nothing listens on that port)',
  ENOTFOUND: 'host name not found (DNS)',
  EAI_AGAIN: 'host name lookup failed temporarily (DNS)',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  ECONNRESET: 'connection reset by the broker',
  EPIPE: 'connection closed by the broker',
};

/** CONNACK return codes (MQTT 3.1.1 §3.2.2.3) and MQTT 5 reason codes that mean "no, not you". */
const REFUSALS: Readonly<Record<number, string>> = {
  1: 'unacceptable protocol version',
  2: 'client id rejected',
  4: 'bad username or password',
  5: 'not authorized (bad username or password, or not allowed to connect)',
  132: 'unsupported protocol version',
  133: 'client id not valid',
  134: 'bad username or password',
  135: 'not authorized (bad username or password, or not allowed to connect)',
  138: 'banned',
  140: 'bad authentication method',
};

/** `mqtt://user:secret@host:1883` → `mqtt://user@host:1883`. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (!u.password) return url;
    u.password = '';
    return u.toString().replace(/\/$/, '');
  } catch {
    return url.replace(/\/\/([^:/@]*):[^@/]*@/, '//$1@');
  }
}

/** The username a connection uses: the option, or the one in the URL. */
export function effectiveUsername(url: string, username?: string): string | undefined {
  if (username) return username;
  try {
    return decodeURIComponent(new URL(url).username) || undefined;
  } catch {
    return undefined;
  }
}

export function brokerError(cause: Error | undefined, ctx: BrokerContext): BindsightError {
  const url = redactUrl(ctx.url);
  const user = effectiveUsername(ctx.url, ctx.username);
  const context = { url, ...(user ? { username: user } : {}) };
  const code: unknown = (cause as { code?: unknown } | undefined)?.code;

  if (typeof code === 'number') {
    const refusal = REFUSALS[code];
    if (refusal) {
      const who = user ? `user "${user}"` : 'the connection (no username given)';
      const fix =
        code === 2 || code === 133 ? 'check mqtt.clientId' : 'check mqtt.username and mqtt.password';
      return new BindsightError(
        'BROKER_REFUSED',
        `MQTT broker at ${url} refused ${who}: ${refusal} (CONNACK ${code}); ${fix}`,
        { ...context, returnCode: code },
        { cause },
      );
    }
    return new BindsightError(
      'BROKER_UNREACHABLE',
      `MQTT broker at ${url} is unavailable (CONNACK ${code}: ${cause?.message ?? 'no reason'}); try again later`,
      { ...context, returnCode: code },
      { cause },
    );
  }

  if (cause && /connack timeout/i.test(cause.message)) {
    return new BindsightError(
      'BROKER_UNREACHABLE',
      `no answer from MQTT broker at ${url} within ${ctx.connectTimeoutMs} ms; check mqtt.url and the network`,
      { ...context, timeoutMs: ctx.connectTimeoutMs },
      { cause },
    );
  }

  const reason =
    (typeof code === 'string' && NETWORK_REASONS[code] ? `${NETWORK_REASONS[code]}, ${code}` : undefined) ??
    (cause
      ? `${cause.message}${typeof code === 'string' ? `, ${code}` : ''}`
      : 'connection closed before CONNACK');
  return new BindsightError(
    'BROKER_UNREACHABLE',
    `cannot reach MQTT broker at ${url}: ${reason}; is it running? check mqtt.url`,
    { ...context, ...(typeof code === 'string' ? { errno: code } : {}) },
    { cause },
  );
}
