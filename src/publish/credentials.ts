/**
 * Broker credentials from files, read once at start: the TLS CA, client certificate and key
 * (`mqtt.tls`), and the password (`mqtt.passwordFile`). Their contents are never logged and never
 * put in an error message or context; only the file paths are.
 */
import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import { BindsightError, errorMessage } from '../errors.js';

export interface TlsFiles {
  /** PEM CA certificate(s) that signed the broker's certificate (default: Node's bundled CAs). */
  ca?: string;
  /** PEM client certificate, for brokers that require one (mosquitto require_certificate). */
  cert?: string;
  /** PEM private key of the client certificate, unencrypted. */
  key?: string;
  rejectUnauthorized: boolean;
}

/** What the Link passes to tls.connect (through mqtt.js). */
export interface TlsOptions {
  ca?: Buffer;
  cert?: Buffer;
  key?: Buffer;
  rejectUnauthorized: boolean;
}

function readConfigFile(key: string, path: string, fix: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new BindsightError(
      'CONFIG_INVALID',
      `${key}: cannot read ${path} (${errorMessage(err)}); ${fix}`,
      { key, path },
      { cause: err },
    );
  }
}

export function loadTls(files: TlsFiles | undefined): TlsOptions | undefined {
  if (!files) return undefined;
  const fix = 'check the path (relative paths are relative to the config file) and its permissions';
  const read = (name: 'ca' | 'cert' | 'key'): Buffer | undefined => {
    const path = files[name];
    return path === undefined ? undefined : readConfigFile(`mqtt.tls.${name}`, path, fix);
  };
  const tls: TlsOptions = {
    ca: read('ca'),
    cert: read('cert'),
    key: read('key'),
    rejectUnauthorized: files.rejectUnauthorized,
  };
  for (const [name, buf] of [
    ['ca', tls.ca],
    ['cert', tls.cert],
    ['key', tls.key],
  ] as const) {
    if (buf && !buf.toString('latin1').includes('-----BEGIN ')) {
      throw new BindsightError(
        'CONFIG_INVALID',
        `mqtt.tls.${name}: ${files[name]} is not a PEM file (no "-----BEGIN" line); convert it with openssl`,
        { key: `mqtt.tls.${name}`, path: files[name] },
      );
    }
  }
  try {
    // What tls.connect would do at every attempt: fail once, at start, with the reason.
    createSecureContext({ ca: tls.ca, cert: tls.cert, key: tls.key });
  } catch (err) {
    throw new BindsightError(
      'CONFIG_INVALID',
      `mqtt.tls: the CA, certificate or key cannot be used (${errorMessage(err)}); check that mqtt.tls.key is the unencrypted key of mqtt.tls.cert`,
      { key: 'mqtt.tls', ca: files.ca, cert: files.cert, keyFile: files.key },
      { cause: err },
    );
  }
  return tls;
}

/** The password in `path`: its content without one trailing newline (as `echo secret > file` writes). */
export function readPasswordFile(path: string): string {
  const text = readConfigFile(
    'mqtt.passwordFile',
    path,
    'check the path (relative paths are relative to the config file) and that the agent may read it',
  ).toString('utf8');
  const password = text.replace(/\r?\n$/, '');
  if (password.length === 0) {
    throw new BindsightError(
      'CONFIG_INVALID',
      `mqtt.passwordFile: ${path} is empty; write the password into it`,
      {
        key: 'mqtt.passwordFile',
        path,
      },
    );
  }
  return password;
}
