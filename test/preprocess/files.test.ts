/**
 * preprocessFile: native files and plain .npy arrays for every modality give the golden tensors;
 * bad parameters and files are refused with a clear error.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import t from 'tap';
import { parseFileParams, preprocessFile } from '../../src/preprocess/files.js';
import { readImuCsv, readMlx90640 } from './datasets.js';
import { diff, goldenPath, readGoldenNpy } from './goldens.js';

/** A float64 or uint8 .npy (C order) for test inputs. */
function npy(descr: '<f8' | '|u1', shape: number[], values: ArrayLike<number>): Uint8Array {
  const size = descr === '<f8' ? 8 : 1;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  header += `${' '.repeat((64 - ((11 + header.length) % 64)) % 64)}\n`;
  const out = new Uint8Array(10 + header.length + values.length * size);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  const view = new DataView(out.buffer);
  view.setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  const start = 10 + header.length;
  for (let i = 0; i < values.length; i++) {
    if (size === 8) view.setFloat64(start + i * 8, values[i], true);
    else out[start + i] = values[i];
  }
  return out;
}

const expected = (rel: string) => readGoldenNpy(rel).data;

t.test('native files', async (t) => {
  const g = (rel: string) => goldenPath(rel);
  const vision = await preprocessFile('vision', g('../../data/images/imagebind_car_image.jpg'));
  t.equal(diff(vision, expected('vision/img_imagebind_car_image.expected.npy')).maxAbs, 0, 'vision JPEG');
  const lepton = await preprocessFile('thermal', g('inputs/synth_lepton_centikelvin_160x120.png'), {
    thermal_unit: 'centikelvin',
  });
  t.equal(
    diff(lepton, expected('thermal/thr_synth_lepton_centikelvin.expected.npy')).maxAbs,
    0,
    'thermal 16-bit centikelvin PNG',
  );
  const llvip = await preprocessFile('thermal', g('../../data/thermal/llvip_190001_ir.jpg'));
  t.equal(diff(llvip, expected('thermal/thr_llvip_190001_ir.expected.npy')).maxAbs, 0, 'thermal 8-bit JPEG');
  const tum = await preprocessFile('depth', g('../../data/depth/tum_depth.png'), { depth_unit_m: 0.0002 });
  t.ok(
    diff(tum, expected('depth/dep_tum_depth.expected.npy')).meanAbs <= 1e-3,
    'depth 16-bit PNG with depth_unit_m',
  );
  const dog = await preprocessFile('audio', g('../../data/audio/imagebind_dog_audio.wav'));
  t.ok(diff(dog, expected('audio/aud_imagebind_dog_audio.expected.npy')).meanAbs <= 1e-3, 'audio WAV');
});

t.test('.npy inputs', async (t) => {
  const dir = t.testdir({});
  const put = (name: string, bytes: Uint8Array) => {
    const f = join(dir, name);
    writeFileSync(f, bytes);
    return f;
  };
  const crop = readGoldenNpy('vision/img_imagebind_bird_image.crop_u8.npy');
  const v = await preprocessFile('vision', put('rgb.npy', npy('|u1', [224, 224, 3], crop.data)));
  t.equal(
    diff(v, expected('vision/img_imagebind_bird_image.expected.npy')).maxAbs,
    0,
    'vision uint8 [H,W,3]',
  );

  const mlx = readMlx90640('../../data/thermal/mlx90640_cat_1.csv');
  const th = await preprocessFile('thermal', put('c.npy', npy('<f8', [mlx.height, mlx.width], mlx.values)));
  t.equal(diff(th, expected('thermal/thr_mlx90640_cat_1.expected.npy')).maxAbs, 0, 'thermal float °C [H,W]');

  const dm = readGoldenNpy('depth/dep_nyu_depth.depth_m.npy');
  const withNan = Float64Array.from(dm.data, (x) => (x === 0 ? Number.NaN : x));
  const dp = await preprocessFile('depth', put('m.npy', npy('<f8', dm.shape, withNan)));
  t.ok(
    diff(dp, expected('depth/dep_nyu_depth.expected.npy')).meanAbs <= 1e-3,
    'depth float metres, NaN = invalid',
  );

  const w16 = readGoldenNpy('audio/aud_imagebind_dog_audio.waveform16k.npy');
  const au = await preprocessFile('audio', put('a.npy', npy('<f8', w16.shape, w16.data)), {
    sample_rate: 16000,
  });
  t.ok(
    diff(au, expected('audio/aud_imagebind_dog_audio.expected.npy')).meanAbs <= 1e-3,
    'audio float [C,N] + sample_rate',
  );

  const csv = readImuCsv('inputs/synth_imu_100hz_jitter_dups.csv');
  const rows = new Float64Array(csv.n * 7);
  for (let i = 0; i < csv.n; i++) {
    rows[i * 7] = csv.t[i];
    for (let c = 0; c < 6; c++) rows[i * 7 + c + 1] = csv.data[c * csv.n + i];
  }
  const imu = await preprocessFile('imu', put('imu.npy', npy('<f8', [csv.n, 7], rows)), { start_s: 2 });
  t.ok(
    diff(imu, expected('imu/imu_synth_100hz_jitter_dups_window_past_end.expected.npy')).meanAbs <= 1e-3,
    'imu [N,7] + start_s',
  );

  await t.rejects(preprocessFile('imu', put('bad.npy', npy('<f8', [2, 6], new Float64Array(12)))), {
    code: 'FILE_INVALID',
    message: /expected 7 columns/,
  });
  await t.rejects(preprocessFile('thermal', put('3d.npy', npy('<f8', [2, 2, 2], new Float64Array(8)))), {
    message: /got shape \[2,2,2\]/,
  });
  await t.rejects(preprocessFile('audio', put('a2.npy', npy('<f8', [1, 800], new Float64Array(800)))), {
    code: 'USAGE',
    message: /needs --param sample_rate/,
  });
  await t.rejects(preprocessFile('vision', put('f.npy', npy('<f8', [2, 2, 3], new Float64Array(12)))), {
    message: /must be uint8/,
  });
});

t.test('parameters', async (t) => {
  t.same(parseFileParams('depth', ['depth_unit_m=0.0002', 'focal_px=600']), {
    depth_unit_m: 0.0002,
    focal_px: 600,
  });
  t.same(parseFileParams('imu', ['start_s=0']), { start_s: 0 });
  t.throws(() => parseFileParams('vision', ['depth_unit_m=1']), {
    code: 'USAGE',
    message: /not a vision parameter; valid: none/,
  });
  t.throws(() => parseFileParams('depth', ['colour=red']), {
    message: /colour: not a depth parameter; valid: depth_unit_m, baseline_m, focal_px/,
  });
  t.throws(() => parseFileParams('depth', ['depth_unit_m=-1']), { message: /expected a positive number/ });
  t.throws(() => parseFileParams('thermal', ['thermal_unit=kelvin']), { message: /centikelvin or counts/ });
  t.throws(() => parseFileParams('imu', ['start_s']), { message: /expected key=value/ });
});

t.test('bad files are refused with a clear error', async (t) => {
  const dir = t.testdir({ 'notes.txt': 'hello, this is not an image at all', 'empty.wav': '' });
  await t.rejects(preprocessFile('vision', join(dir, 'missing.jpg')), {
    code: 'FILE_INVALID',
    message: /cannot read .*missing\.jpg \(ENOENT\)/,
  });
  await t.rejects(preprocessFile('vision', join(dir, 'notes.txt')), {
    message: /unknown file type; expected JPEG, PNG, WAV or \.npy/,
  });
  await t.rejects(preprocessFile('audio', join(dir, 'empty.wav')), { message: /unknown file type/ });
  await t.rejects(preprocessFile('depth', goldenPath('../../data/images/skimage_chelsea.png')), {
    message: /depth PNG must be 16-bit/,
  });
  await t.rejects(preprocessFile('imu', goldenPath('../../data/audio/imagebind_dog_audio.wav')), {
    message: /imu takes an \.npy/,
  });
  await t.rejects(
    preprocessFile('audio', goldenPath('../../data/audio/imagebind_dog_audio.wav'), { sample_rate: 8000 }),
    { code: 'USAGE' },
  );
});
