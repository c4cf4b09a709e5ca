import { BindsightError, EXIT_CODES } from '../errors.js';
export function toWire(err) {
    if (err instanceof BindsightError) {
        // Context values are plain data by convention; anything uncloneable is dropped, not fatal.
        let context;
        try {
            context = structuredClone({ ...err.context });
        }
        catch {
            context = undefined;
        }
        return { message: err.message, code: err.code, context };
    }
    return { message: err instanceof Error ? err.message : String(err) };
}
function isErrorCode(code) {
    return Object.hasOwn(EXIT_CODES, code);
}
export function fromWire(w) {
    if (w.code !== undefined && isErrorCode(w.code))
        return new BindsightError(w.code, w.message, w.context ?? {});
    return new Error(w.message);
}
/** A tensor that owns its whole buffer, so transferring the buffer moves exactly the tensor. */
export function ownedTensor(x) {
    const buf = x.buffer;
    if (buf instanceof ArrayBuffer && x.byteOffset === 0 && x.byteLength === buf.byteLength) {
        return new Float32Array(buf);
    }
    return x.slice();
}
