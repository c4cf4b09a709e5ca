/**
 * Turns what mqtt.js reports about a failed connection into one-line BindsightErrors:
 * BROKER_UNREACHABLE (refused, DNS, timeout: may fix itself), BROKER_REFUSED (CONNACK said no to
 * the credentials) or BROKER_TLS (the TLS handshake failed: an untrusted or mismatched broker
 * certificate, or the broker rejected ours; a configuration problem, like a refusal).
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
  if (cause && typeof code === 'string') {
    const tls = tlsError(cause, code, url, context);
    if (tls) return tls;
  }

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

  // A TLS-only listener answers a plain CONNECT by closing the connection.
  const tlsHint =
    ctx.url.startsWith('mqtt:') && (code === 'ECONNRESET' || code === 'EPIPE')
      ? ' (if the port expects TLS, use mqtts://)'
      : '';
  const reason =
    (typeof code === 'string' && NETWORK_REASONS[code]
      ? `${NETWORK_REASONS[code]}, ${code}${tlsHint}`
      : undefined) ??
    (cause
      ? `${cause.message}${typeof code === 'string' ? `, ${code}` : ''}`
      : `connection closed before CONNACK${ctx.url.startsWith('mqtt:') ? ' (if the port expects TLS, use mqtts://)' : ''}`);
  return new BindsightError(
    'BROKER_UNREACHABLE',
    `cannot reach MQTT broker at ${url}: ${reason}; is it running? check mqtt.url`,
    { ...context, ...(typeof code === 'string' ? { errno: code } : {}) },
    { cause },
  );
}

/** OpenSSL verification results as Node names them (X509_V_ERR_* without the prefix), plus Node's own. */
const VERIFY_CODES =
  /^(UNABLE_TO_|CERT_|DEPTH_ZERO_SELF_SIGNED_CERT$|SELF_SIGNED_CERT_IN_CHAIN$|INVALID_CA$|INVALID_PURPOSE$|PATH_LENGTH_EXCEEDED$|HOSTNAME_MISMATCH$|ERR_TLS_CERT_ALTNAME_INVALID$)/;

function verifyFix(code: string): string {
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID' || code === 'HOSTNAME_MISMATCH')
    return "use a host name in mqtt.url that the broker's certificate names (subjectAltName)";
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID')
    return "renew the broker's certificate (or check this machine's clock)";
  return "set mqtt.tls.ca to the CA certificate that signed the broker's certificate";
}

/** BROKER_TLS for a TLS handshake failure, or undefined if `code` is not one. */
function tlsError(
  cause: Error,
  code: string,
  url: string,
  context: Record<string, unknown>,
): BindsightError | undefined {
  const make = (message: string) =>
    new BindsightError('BROKER_TLS', message, { ...context, errno: code }, { cause });
  if (VERIFY_CODES.test(code)) {
    return make(
      `TLS: certificate verify failed for MQTT broker at ${url}: ${cause.message} (${code}); ${verifyFix(code)}`,
    );
  }
  if (code === 'ERR_SSL_TLSV13_ALERT_CERTIFICATE_REQUIRED') {
    return make(
      `TLS: MQTT broker at ${url} requires a client certificate (${code}); set mqtt.tls.cert and mqtt.tls.key`,
    );
  }
  if (/^ERR_SSL_.*ALERT/.test(code)) {
    return make(
      `TLS: MQTT broker at ${url} rejected the handshake: ${cause.message} (${code}); check that mqtt.tls.cert and mqtt.tls.key are signed by a CA the broker trusts`,
    );
  }
  if (code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'EPROTO' || /^ERR_(SSL|TLS)_/.test(code)) {
    return make(
      `TLS: handshake with MQTT broker at ${url} failed: ${cause.message} (${code}); is the port a TLS listener? (plain ports need mqtt://)`,
    );
  }
  return undefined;
}
