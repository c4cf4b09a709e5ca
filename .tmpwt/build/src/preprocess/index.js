import { preprocessAudio } from './audio.js';
import { invalid } from './checks.js';
import { preprocessDepth } from './depth.js';
import { IMU_CHANNELS, preprocessImu } from './imu.js';
import { preprocessThermal } from './thermal.js';
import { preprocessVision } from './vision.js';
const asFrame = (s) => s;
const asWindow = (s) => s;
const TABLE = {
    vision: {
        sample: 'frame',
        run: (s, p) => preprocessVision(asFrame(s), p),
        shape: (p) => [3, p.size, p.size],
    },
    thermal: {
        sample: 'frame',
        run: (s, p) => preprocessThermal(asFrame(s), p),
        shape: (p) => [1, p.size, p.size],
    },
    depth: {
        sample: 'frame',
        run: (s, p) => preprocessDepth(asFrame(s), p),
        shape: (p) => [1, p.size, p.size],
    },
    audio: {
        sample: 'window',
        run: (s, p) => preprocessAudio(asWindow(s), p),
        shape: (p) => [p.clips, 1, p.melBins, p.targetFrames],
    },
    imu: {
        sample: 'window',
        run: (s, p) => preprocessImu(asWindow(s), p),
        shape: (p) => [IMU_CHANNELS, p.samples],
    },
    text: {
        sample: 'none',
        run: () => {
            throw invalid('text is not a sensor modality: prompts go through the tokenizer, not preprocessSample');
        },
        shape: (p) => [p.contextLength],
    },
};
function entry(kind) {
    const e = TABLE[kind];
    if (!e)
        throw invalid(`unknown preprocess kind '${kind}'; expected one of ${Object.keys(TABLE).join(', ')}`);
    return e;
}
/** The tensor shape `preprocessSample` returns for these parameters (without the batch axis). */
export function preprocessedShape(p) {
    return entry(p.kind).shape(p);
}
/** Sample → encoder input tensor (flat float32, C order, shape `preprocessedShape(p)`). */
export async function preprocessSample(sample, p) {
    const e = entry(p.kind);
    if (e.sample !== 'none' && sample.kind !== e.sample) {
        throw invalid(`${p.kind} preprocessing needs a ${e.sample}, got a ${sample.kind} from '${sample.sensor}'`, {
            sensor: sample.sensor,
        });
    }
    return e.run(sample, p);
}
export { preprocessAudio } from './audio.js';
export { clipSampleRanges } from './clips.js';
export { depthFromMetres, preprocessDepth } from './depth.js';
export { fbank, fbankOptionsFromKaldi, KALDI_FBANK_DEFAULTS, } from './fbank.js';
export { imuFromSeries, preprocessImu } from './imu.js';
export { readNpy, writeNpyFloat32 } from './npy.js';
export { resampleSinc } from './resample.js';
export { preprocessThermal, thermalFromValues } from './thermal.js';
export { preprocessVision } from './vision.js';
export { decodeWav, wavToWindow } from './wav.js';
