/**
 * Input checks shared by the preprocessors. Every refusal is a BindsightError
 * 'PREPROCESS_INVALID' that names the input and what was wrong, so the agent can count
 * and drop the sample (DESIGN.md "Data flow": a preprocessor is a pure function of a Sample).
 */
import { BindsightError } from '../errors.js';
export function invalid(message, context = {}) {
    return new BindsightError('PREPROCESS_INVALID', message, context);
}
/** Throws unless every value is finite; names the first offending index and value. */
export function assertFinite(values, what) {
    for (let i = 0; i < values.length; i++) {
        const v = values[i];
        if (!Number.isFinite(v)) {
            throw invalid(`${what}: sample ${i} is ${v}; NaN and Inf are not accepted`, { index: i, value: v });
        }
    }
}
/** Throws unless width and height are positive integers. */
export function assertDims(width, height, what) {
    if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
        throw invalid(`${what}: width and height must be positive integers, got ${width}x${height}`, {
            width,
            height,
        });
    }
}
/** Throws unless data.length equals the expected element count. */
export function assertLength(actual, expected, what) {
    if (actual !== expected) {
        throw invalid(`${what}: expected ${expected} values, got ${actual}`, { expected, actual });
    }
}
