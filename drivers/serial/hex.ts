/**
 * Reads a byte capture written as hex text: "55 61 0a 00 …" (any whitespace), or `hexdump -C`
 * output (8-digit offsets and the |ascii| column are ignored). Used for recorded serial streams
 * (shared/test-vectors/witmotion) and by `bindsight decode`.
 */
export function parseHexBytes(text: string): Uint8Array {
  const bytes: number[] = [];
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.replace(/\|.*\|\s*$/, '').replace(/#.*$/, '');
    for (const token of line.trim().split(/\s+/)) {
      if (/^[0-9a-fA-F]{2}$/.test(token)) bytes.push(Number.parseInt(token, 16));
    }
  }
  return Uint8Array.from(bytes);
}

/** "55 61 0A …": bytes as upper-case hex pairs. */
export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0').toUpperCase()).join(' ');
}
