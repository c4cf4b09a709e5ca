/**
 * WAV → audio Window, scaled like `torchaudio.load(path)` (normalize=True; conventions §2 "load"):
 * uint8 (v − 128) / 128, int16 / 32768, int24 / 2^23, int32 / 2^31, float32/float64 as they are;
 * channel-major float32. Parsing is wavefile's (RIFF/RIFX/RF64, WAVE_FORMAT_EXTENSIBLE).
 */
import wavefile from 'wavefile';
import { BindsightError } from '../errors.js';
/** wavefile bitDepth code → divisor and offset giving torchaudio's [−1, 1] values. */
const SCALING = {
    '8': { offset: -128, divisor: 128 },
    '16': { offset: 0, divisor: 32768 },
    '24': { offset: 0, divisor: 2 ** 23 },
    '32': { offset: 0, divisor: 2 ** 31 },
    '32f': { offset: 0, divisor: 1 },
    '64': { offset: 0, divisor: 1 },
};
function bad(label, what, cause) {
    return new BindsightError('FILE_INVALID', `${label}: ${what}`, { label }, cause === undefined ? undefined : { cause });
}
/** Decode WAV bytes. Throws FILE_INVALID naming `label` on corrupt, truncated or unsupported files. */
export function decodeWav(bytes, label = 'wav') {
    const wav = new wavefile.WaveFile();
    try {
        wav.fromBuffer(bytes);
    }
    catch (e) {
        throw bad(label, `not a readable WAV file (${e instanceof Error ? e.message : String(e)})`, e);
    }
    const fmt = wav.fmt;
    const chunk = wav.data;
    const scaling = SCALING[wav.bitDepth];
    if (!scaling) {
        throw bad(label, `unsupported WAV encoding (format ${fmt.audioFormat}, ${fmt.bitsPerSample} bit); use PCM 8/16/24/32 or float`);
    }
    if (!(fmt.numChannels >= 1) || !(fmt.sampleRate >= 1)) {
        throw bad(label, `bad WAV header (${fmt.numChannels} channels, ${fmt.sampleRate} Hz)`);
    }
    // wavefile reads what is there; a data chunk shorter than its declared size is a truncated file.
    const streaming = chunk.chunkSize === 0 || chunk.chunkSize >= 0xfffffff0;
    if (!streaming && chunk.samples.length < chunk.chunkSize) {
        throw bad(label, `truncated WAV data: ${chunk.samples.length} of ${chunk.chunkSize} bytes present`);
    }
    const raw = wav.getSamples(false, Float64Array);
    const planes = Array.isArray(raw) ? raw : [raw];
    const n = planes[0]?.length ?? 0;
    const data = new Float32Array(n * planes.length);
    planes.forEach((plane, c) => {
        for (let i = 0; i < n; i++)
            data[c * n + i] = (plane[i] + scaling.offset) / scaling.divisor;
    });
    return { sampleRate: fmt.sampleRate, channels: planes.length, bitDepth: wav.bitDepth, data };
}
/** WAV bytes → an audio Window (t = 0; `sensor` names the source). */
export function wavToWindow(bytes, sensor) {
    const d = decodeWav(bytes, sensor);
    return {
        kind: 'window',
        sensor,
        modality: 'audio',
        t: 0n,
        rate: d.sampleRate,
        channels: d.channels,
        data: d.data,
    };
}
