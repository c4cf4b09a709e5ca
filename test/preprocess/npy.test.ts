import t from 'tap';
import { readNpy, writeNpyFloat32 } from '../../src/preprocess/npy.js';
import { readGoldenBytes } from './goldens.js';

/** A .npy v1.0 with the given descr, shape literal and raw data. */
function npy(descr: string, shape: string, data: Uint8Array, fortran = 'False'): Uint8Array {
  let header = `{'descr': '${descr}', 'fortran_order': ${fortran}, 'shape': ${shape}, }`;
  header += ' '.repeat((64 - ((11 + header.length) % 64)) % 64);
  header += '\n';
  const out = new Uint8Array(10 + header.length + data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  out.set(data, 10 + header.length);
  return out;
}

t.test('float32 round trip', async (t) => {
  const x = Float32Array.from([1.5, -2, 3.25, Number.NaN, 0, 7]);
  const bytes = writeNpyFloat32([2, 3], x);
  t.equal((10 + new DataView(bytes.buffer).getUint16(8, true)) % 64, 0, 'header padded to 64 bytes');
  const back = readNpy(bytes);
  t.same(back.shape, [2, 3]);
  t.equal(back.dtype, 'float32');
  t.same(Array.from(back.data).slice(0, 3), [1.5, -2, 3.25]);
  t.ok(Number.isNaN(back.data[3]));
  t.same(readNpy(writeNpyFloat32([4], new Float32Array(4))).shape, [4], '1-D shape (4,)');
  t.same(readNpy(writeNpyFloat32([], Float32Array.from([9]))).shape, [], 'scalar');
  t.throws(() => writeNpyFloat32([2, 2], new Float32Array(3)), { message: /needs 4 values, got 3/ });
});

t.test('dtypes and byte orders', async (t) => {
  const le = (f: (v: DataView) => void, n: number) => {
    const b = new Uint8Array(n);
    f(new DataView(b.buffer));
    return b;
  };
  t.same(
    Array.from(
      readNpy(
        npy(
          '<f8',
          '(2,)',
          le((v) => {
            v.setFloat64(0, 1.25, true);
            v.setFloat64(8, -3, true);
          }, 16),
        ),
      ).data,
    ),
    [1.25, -3],
  );
  t.same(Array.from(readNpy(npy('|u1', '(3,)', Uint8Array.from([1, 2, 255]))).data), [1, 2, 255]);
  t.same(
    Array.from(
      readNpy(
        npy(
          '<u2',
          '(2,)',
          le((v) => {
            v.setUint16(0, 65535, true);
            v.setUint16(2, 7, true);
          }, 4),
        ),
      ).data,
    ),
    [65535, 7],
  );
  t.same(
    Array.from(
      readNpy(
        npy(
          '<i2',
          '(1,)',
          le((v) => v.setInt16(0, -5, true), 2),
        ),
      ).data,
    ),
    [-5],
  );
  t.same(
    Array.from(
      readNpy(
        npy(
          '>f4',
          '(1,)',
          le((v) => v.setFloat32(0, 2.5, false), 4),
        ),
      ).data,
    ),
    [2.5],
    'big-endian',
  );
  const golden = readNpy(readGoldenBytes('vision/img_imagebind_bird_image.crop_u8.npy'));
  t.same([golden.dtype, golden.shape], ['uint8', [224, 224, 3]], 'a numpy-written file');
});

t.test('malformed files are refused with a clear error', async (t) => {
  t.throws(() => readNpy(new Uint8Array(20), 'x.npy'), {
    code: 'FILE_INVALID',
    message: /x\.npy: not a readable \.npy file \(missing/,
  });
  t.throws(() => readNpy(npy('<c8', '(1,)', new Uint8Array(8))), { message: /dtype '<c8' not supported/ });
  t.throws(() => readNpy(npy('<f4', '(2, 2)', new Uint8Array(16), 'True')), { message: /Fortran-order/ });
  t.throws(() => readNpy(npy('<f4', '(2, 2)', new Uint8Array(15))), { message: /truncated data/ });
  const full = writeNpyFloat32([2], new Float32Array(2));
  t.throws(() => readNpy(full.subarray(0, 30)), { message: /truncated header/ });
  t.throws(() => readNpy(npy('<f4', '(-1,)', new Uint8Array(0))), { message: /bad shape/ });
});
