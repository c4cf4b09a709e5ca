/**
 * Raw MLX90640 dump for `bindsight dump`: the EEPROM (1664 bytes, big-endian words as read) and
 * `frames` subpage frames of 1668 bytes each (RAM 0x0400..0x073F, control register, subpage:
 * the 834-word MLX90640_GetFrameData layout), exactly what `bindsight decode --driver mlx90640`
 * reads. The chip is configured first (Mlx90640Chip.init), so the frames have the configured
 * rate, resolution and pattern.
 */
import type { Clock } from '../../replay/clock.js';
import { FrameRejected } from '../chip.js';
import type { Mlx90640Chip } from './chip.js';
import {
  bytesFromWords,
  EEPROM_START,
  EEPROM_WORDS,
  RAM_START,
  RAM_WORDS,
  REG_CONTROL,
  REG_STATUS,
  STATUS_CLEAR,
  STATUS_NEW_DATA,
  STATUS_SUBPAGE,
} from './registers.js';

export interface RawDump {
  eeprom: Buffer;
  frames: Buffer[];
}

async function nextFrame(chip: Mlx90640Chip, clock: Clock, signal: AbortSignal): Promise<Buffer> {
  const giveUp = clock.now() + 3 * chip.periodMs + 2000;
  for (;;) {
    const [status = 0] = await chip.readWords(REG_STATUS, 1);
    if ((status & STATUS_NEW_DATA) !== 0) {
      await chip.writeWord(REG_STATUS, STATUS_CLEAR);
      const ram = await chip.readWords(RAM_START, RAM_WORDS);
      const [control = 0] = await chip.readWords(REG_CONTROL, 1);
      return bytesFromWords([...ram, control, status & STATUS_SUBPAGE]);
    }
    if (signal.aborted || clock.now() > giveUp) {
      throw new FrameRejected(
        `MLX90640 flagged no new data within ${Math.round(3 * chip.periodMs + 2000)} ms`,
      );
    }
    await clock.sleep(chip.periodMs / 16, signal);
  }
}

export async function dumpMlx90640(
  chip: Mlx90640Chip,
  frames: number,
  clock: Clock,
  signal: AbortSignal,
): Promise<RawDump> {
  await chip.init();
  const eeprom = bytesFromWords(await chip.readWords(EEPROM_START, EEPROM_WORDS));
  const out: Buffer[] = [];
  for (let i = 0; i < frames; i++) out.push(await nextFrame(chip, clock, signal));
  return { eeprom, frames: out };
}
