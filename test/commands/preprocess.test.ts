/**
 * `bindsight preprocess` in-process through commander (exitOverride): writes the tensor as a
 * float32 .npy with its shape and prints one summary line; bad input gives one line and a
 * non-zero exit code.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import t from 'tap';
import { preprocessCommand } from '../../src/commands/preprocess.js';
import { EXIT_CODES } from '../../src/errors.js';
import { readNpy } from '../../src/preprocess/npy.js';
import { diff, goldenPath, readGoldenNpy } from '../preprocess/goldens.js';

async function run(args: string[]): Promise<{ out: string; err: string; code: number | undefined }> {
  const out: string[] = [];
  const err: string[] = [];
  const program = new Command('bindsight')
    .exitOverride()
    .configureOutput({ writeOut: (s) => out.push(s), writeErr: (s) => err.push(s) });
  preprocessCommand(program);
  const before = process.exitCode;
  process.exitCode = undefined;
  try {
    await program.parseAsync(['preprocess', ...args], { from: 'user' });
    const code = process.exitCode === undefined ? undefined : Number(process.exitCode);
    return { out: out.join(''), err: err.join(''), code };
  } catch (e) {
    const code = (e as { exitCode?: number }).exitCode;
    return { out: out.join(''), err: err.join(''), code };
  } finally {
    process.exitCode = before;
  }
}

t.test('writes the tensor and one summary line', async (t) => {
  const dir = t.testdir({});
  const outFile = join(dir, 'depth.npy');
  const res = await run([
    '--modality',
    'depth',
    '--in',
    goldenPath('../../data/depth/tum_depth.png'),
    '--out',
    outFile,
    '--param',
    'depth_unit_m=0.0002',
    '--param',
    'baseline_m=0.075',
  ]);
  t.equal(res.code, undefined, 'exit 0');
  t.equal(res.err, '');
  t.match(
    res.out,
    /^.*depth\.npy: shape \[1,224,224\] float32, min -?[\d.]+ max -?[\d.]+ mean -?[\d.e-]+\n$/,
  );
  t.equal(res.out.split('\n').length, 2, 'one line');
  const arr = readNpy(new Uint8Array(readFileSync(outFile)));
  t.same([arr.dtype, arr.shape], ['float32', [1, 224, 224]]);
  t.ok(
    diff(arr.data, readGoldenNpy('depth/dep_tum_depth.expected.npy').data).meanAbs <= 1e-3,
    'the golden tensor',
  );

  const audio = join(dir, 'audio.npy');
  const a = await run([
    '--modality',
    'audio',
    '--in',
    goldenPath('inputs/synth_exact_2s_16k_mono.wav'),
    '--out',
    audio,
  ]);
  t.match(a.out, /shape \[3,1,128,204\]/);
  t.same(readNpy(new Uint8Array(readFileSync(audio))).shape, [3, 1, 128, 204]);
});

t.test('bad input: one line, non-zero exit', async (t) => {
  const dir = t.testdir({ 'junk.bin': 'not a file we know' });
  const out = join(dir, 'o.npy');
  const wav = goldenPath('inputs/synth_exact_2s_16k_mono.wav');
  const cases: Array<[string, string[], number, RegExp]> = [
    [
      'unknown modality',
      ['--modality', 'smell', '--in', wav, '--out', out],
      EXIT_CODES.USAGE,
      /unknown modality 'smell'; expected one of vision, audio, depth, thermal, imu/,
    ],
    [
      'unknown parameter',
      ['--modality', 'audio', '--in', wav, '--out', out, '--param', 'gain=2'],
      EXIT_CODES.USAGE,
      /--param gain: not a audio parameter/,
    ],
    [
      'missing file',
      ['--modality', 'audio', '--in', join(dir, 'nope.wav'), '--out', out],
      EXIT_CODES.FILE_INVALID,
      /cannot read .*nope\.wav \(ENOENT\)/,
    ],
    [
      'corrupt file',
      ['--modality', 'vision', '--in', join(dir, 'junk.bin'), '--out', out],
      EXIT_CODES.FILE_INVALID,
      /unknown file type/,
    ],
    [
      'too short',
      ['--modality', 'audio', '--in', goldenPath('inputs/synth_tiny_320samples_16k.wav'), '--out', out],
      EXIT_CODES.PREPROCESS_INVALID,
      /fewer than one 25 ms fbank frame/,
    ],
    [
      'unwritable output',
      ['--modality', 'audio', '--in', wav, '--out', join(dir, 'no', 'such', 'dir.npy')],
      EXIT_CODES.USAGE,
      /cannot write/,
    ],
  ];
  for (const [name, args, code, pattern] of cases) {
    const res = await run(args);
    t.equal(res.code, code, `${name}: exit ${code}`);
    t.match(res.err, pattern, name);
    t.equal(res.err.trim().split('\n').length, 1, `${name}: one line`);
    t.equal(res.out, '', `${name}: nothing on stdout`);
  }
  const missing = await run(['--modality', 'audio', '--in', wav]);
  t.not(missing.code ?? 0, 0, 'missing --out is a usage error');
  t.match(missing.err, /required option '--out <file>'/);
});

t.test('--help lists the parameters', async (t) => {
  const res = await run(['--help']);
  t.match(res.out, /--modality <m>/);
  t.match(res.out, /depth_unit_m\s+depth: metres per 16-bit depth step/);
  t.match(res.out, /thermal_unit\s+thermal: .*centikelvin/);
  t.match(res.out, /start_s\s+imu: window start/);
});
