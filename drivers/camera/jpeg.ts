/**
 * Where a JPEG begins and ends, and its size, from its markers (ITU-T T.81 Annex B): SOI FFD8
 * first, EOI FFD9 last, and the frame header (SOFn: FFC0–FFCF except C4 DHT, C8 JPG, CC DAC)
 * giving height and width as big-endian 16-bit numbers at offsets 3 and 5 of the segment body
 * (B.2.2). A snapshot that lacks either end marker is a partial picture and is dropped.
 */

export type JpegCheck = { ok: true; width: number; height: number } | { ok: false; problem: string };

const SOI = 0xd8;
const EOI = 0xd9;
const SOS = 0xda;

function isSof(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
}

/** Markers with no length field (T.81 B.1.1.3): TEM, RSTn, SOI, EOI. */
function standalone(marker: number): boolean {
  return marker === 0x01 || (marker >= 0xd0 && marker <= 0xd9);
}

export function checkJpeg(bytes: Uint8Array): JpegCheck {
  const n = bytes.length;
  if (n < 4 || bytes[0] !== 0xff || bytes[1] !== SOI) {
    return { ok: false, problem: `does not start with the JPEG start marker FFD8 (${n} bytes)` };
  }
  if (bytes[n - 2] !== 0xff || bytes[n - 1] !== EOI) {
    return { ok: false, problem: `does not end with the JPEG end marker FFD9 (${n} bytes: cut short?)` };
  }
  let i = 2;
  while (i + 3 < n) {
    if (bytes[i] !== 0xff) return { ok: false, problem: `no marker at byte ${i}` };
    const marker = bytes[i + 1];
    if (marker === 0xff) {
      i++; // fill byte (B.1.1.2)
      continue;
    }
    if (standalone(marker)) {
      i += 2;
      continue;
    }
    const length = (bytes[i + 2] << 8) | bytes[i + 3];
    if (isSof(marker)) {
      if (i + 8 >= n) break;
      const height = (bytes[i + 5] << 8) | bytes[i + 6];
      const width = (bytes[i + 7] << 8) | bytes[i + 8];
      return { ok: true, width, height };
    }
    if (marker === SOS) break;
    i += 2 + length;
  }
  return { ok: false, problem: 'has no frame header (SOF) before the scan' };
}
