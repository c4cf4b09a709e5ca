/** Checks the broker URL the publisher is given, before any connection attempt. */
import { BindsightError } from '../errors.js';
import { redactUrl } from './brokerErrors.js';

const VALID = 'mqtt://host:1883 or mqtts://host:8883';

/** Returns `url` if it is an mqtt:// or mqtts:// URL; throws CONFIG_INVALID otherwise. */
export function checkUrl(url: string, tls: boolean): string {
  if (url === 'embedded') {
    throw new BindsightError(
      'CONFIG_INVALID',
      `mqtt.url "embedded" needs the embedded broker started first (startEmbeddedBroker) and its url passed here`,
      { url },
    );
  }
  let protocol: string;
  try {
    protocol = new URL(url).protocol;
  } catch {
    throw new BindsightError('CONFIG_INVALID', `mqtt.url "${redactUrl(url)}" is not a URL; use ${VALID}`, {
      url: redactUrl(url),
    });
  }
  if (protocol !== 'mqtt:' && protocol !== 'mqtts:') {
    throw new BindsightError(
      'CONFIG_INVALID',
      `mqtt.url "${redactUrl(url)}" has protocol ${protocol}; use ${VALID}`,
      { url: redactUrl(url) },
    );
  }
  if (tls && protocol !== 'mqtts:') {
    throw new BindsightError(
      'CONFIG_INVALID',
      `mqtt.tls is set but mqtt.url "${redactUrl(url)}" is plain ${protocol}//; use mqtts://host:8883`,
      { url: redactUrl(url) },
    );
  }
  return url;
}
