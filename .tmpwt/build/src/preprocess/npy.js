/**
 * NumPy `.npy` read (float32, float64, uint8, uint16, int16, C order, either byte order) and
 * float32 write, per the format spec in numpy/lib/format.py (versions 1.0, 2.0, 3.0:
 * magic `\x93NUMPY`, version bytes, little-endian header length, a Python-literal dict header
 * with `descr`, `fortran_order` and `shape`, padded with spaces to a 64-byte boundary).
 */
import { BindsightError } from '../errors.js';
const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY
/** descr kind+size → dtype and element size (numpy dtype.str without the byte-order char). */
const DESCR = {
    f4: { dtype: 'float32', size: 4 },
    f8: { dtype: 'float64', size: 8 },
    u1: { dtype: 'uint8', size: 1 },
    u2: { dtype: 'uint16', size: 2 },
    i2: { dtype: 'int16', size: 2 },
};
function bad(label, what) {
    return new BindsightError('FILE_INVALID', `${label}: not a readable .npy file (${what})`, { label });
}
/** Parse a .npy file. Throws FILE_INVALID naming `label` on anything malformed or unsupported. */
export function readNpy(bytes, label = 'npy') {
    if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b))
        throw bad(label, 'missing \\x93NUMPY magic');
    const major = bytes[6];
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let headerLen;
    let offset;
    if (major === 1) {
        headerLen = view.getUint16(8, true);
        offset = 10;
    }
    else if (major === 2 || major === 3) {
        if (bytes.length < 12)
            throw bad(label, 'truncated header');
        headerLen = view.getUint32(8, true);
        offset = 12;
    }
    else {
        throw bad(label, `unsupported format version ${major}`);
    }
    if (offset + headerLen > bytes.length)
        throw bad(label, 'truncated header');
    const header = new TextDecoder(major === 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(offset, offset + headerLen));
    const descr = /'descr'\s*:\s*'([<>|=])([a-z]\d+)'/.exec(header);
    const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header);
    const shapeM = /'shape'\s*:\s*\(([^)]*)\)/.exec(header);
    if (!descr || !fortran || !shapeM)
        throw bad(label, `header not understood: ${header.trim()}`);
    const kind = DESCR[descr[2]];
    if (!kind) {
        throw bad(label, `dtype '${descr[1]}${descr[2]}' not supported; use float32, float64, uint8, uint16 or int16`);
    }
    if (fortran[1] === 'True')
        throw bad(label, 'Fortran-order arrays are not supported; save with C order');
    const shape = shapeM[1]
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s.length > 0)
        .map(Number);
    if (shape.some((d) => !Number.isInteger(d) || d < 0))
        throw bad(label, `bad shape (${shapeM[1]})`);
    const count = shape.reduce((a, b) => a * b, 1);
    const dataStart = offset + headerLen;
    if (bytes.length - dataStart < count * kind.size) {
        throw bad(label, `truncated data: ${count} x ${kind.size} bytes expected, ${bytes.length - dataStart} present`);
    }
    const little = descr[1] !== '>';
    return { shape, ...decodeElements(view, dataStart, count, kind.dtype, little) };
}
function decodeElements(view, start, count, dtype, little) {
    switch (dtype) {
        case 'float32': {
            const out = new Float32Array(count);
            for (let i = 0; i < count; i++)
                out[i] = view.getFloat32(start + i * 4, little);
            return { dtype, data: out };
        }
        case 'float64': {
            const out = new Float64Array(count);
            for (let i = 0; i < count; i++)
                out[i] = view.getFloat64(start + i * 8, little);
            return { dtype, data: out };
        }
        case 'uint8':
            return {
                dtype,
                data: new Uint8Array(view.buffer.slice(view.byteOffset + start, view.byteOffset + start + count)),
            };
        case 'uint16': {
            const out = new Uint16Array(count);
            for (let i = 0; i < count; i++)
                out[i] = view.getUint16(start + i * 2, little);
            return { dtype, data: out };
        }
        case 'int16': {
            const out = new Int16Array(count);
            for (let i = 0; i < count; i++)
                out[i] = view.getInt16(start + i * 2, little);
            return { dtype, data: out };
        }
    }
}
/** Serialise a float32 C-order array as .npy version 1.0, little-endian ('<f4'). */
export function writeNpyFloat32(shape, data) {
    const count = shape.reduce((a, b) => a * b, 1);
    if (count !== data.length) {
        throw new BindsightError('PREPROCESS_INVALID', `npy write: shape [${shape.join(',')}] needs ${count} values, got ${data.length}`);
    }
    const shapeStr = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
    let header = `{'descr': '<f4', 'fortran_order': False, 'shape': ${shapeStr}, }`;
    const total = 10 + header.length + 1;
    header += ' '.repeat((64 - (total % 64)) % 64);
    header += '\n';
    const out = new Uint8Array(10 + header.length + data.length * 4);
    out.set(MAGIC, 0);
    out[6] = 1;
    out[7] = 0;
    const view = new DataView(out.buffer);
    view.setUint16(8, header.length, true);
    for (let i = 0; i < header.length; i++)
        out[10 + i] = header.charCodeAt(i);
    const start = 10 + header.length;
    for (let i = 0; i < data.length; i++)
        view.setFloat32(start + i * 4, data[i], true);
    return out;
}
