import { assertFinite, invalid } from './checks.js';
/** The number of channels ImageBind's IMU encoder takes (imagebind-contract.md §1.7). */
export const IMU_CHANNELS = 6;
/** Drop all but the first sample of each run of equal timestamps; refuse decreasing or non-finite time. */
function dedupe(s, what) {
    const n = s.t.length;
    if (n === 0)
        throw invalid(`${what}: no samples`);
    if (s.v.length !== n)
        throw invalid(`${what}: ${n} timestamps but ${s.v.length} values`);
    assertFinite(s.t, `${what} timestamps`);
    assertFinite(s.v, `${what} values`);
    const t = new Float64Array(n);
    const v = new Float64Array(n);
    let m = 0;
    for (let i = 0; i < n; i++) {
        if (m > 0 && s.t[i] < t[m - 1]) {
            throw invalid(`${what}: timestamp ${i} (${s.t[i]} ms) is earlier than the one before (${t[m - 1]} ms)`, {
                index: i,
            });
        }
        if (m > 0 && s.t[i] === t[m - 1])
            continue;
        t[m] = s.t[i];
        v[m] = s.v[i];
        m++;
    }
    return { t: t.subarray(0, m), v: v.subarray(0, m) };
}
/** `numpy.interp(x, xp, fp)` for ascending grid x, strictly increasing xp (one pass, no search). */
function interpInto(out, offset, grid, xp, fp) {
    const n = xp.length;
    const last = n - 1;
    let j = 0;
    for (let k = 0; k < grid.length; k++) {
        const x = grid[k];
        let y;
        if (x < xp[0])
            y = fp[0];
        else if (x >= xp[last])
            y = fp[last];
        else {
            while (xp[j + 1] <= x)
                j++;
            if (xp[j] === x)
                y = fp[j];
            else {
                const slope = (fp[j + 1] - fp[j]) / (xp[j + 1] - xp[j]);
                y = slope * (x - xp[j]) + fp[j];
            }
        }
        out[offset + k] = y;
    }
}
/**
 * Resample 6 channels, each on its own timestamps (e.g. UMAFall's separate accelerometer and
 * gyroscope clocks), onto the window starting at `startMs` → [6, p.samples] float32.
 */
export function imuFromSeries(series, startMs, p, what = 'imu window') {
    if (series.length !== IMU_CHANNELS) {
        throw invalid(`${what}: expected ${IMU_CHANNELS} channels [ax, ay, az, gx, gy, gz], got ${series.length}`);
    }
    if (!Number.isFinite(startMs))
        throw invalid(`${what}: window start ${startMs} ms is not finite`);
    const step = 1000 / p.rate;
    const grid = new Float64Array(p.samples);
    for (let k = 0; k < p.samples; k++)
        grid[k] = startMs + k * step;
    const out = new Float32Array(IMU_CHANNELS * p.samples);
    series.forEach((s, c) => {
        const d = dedupe(s, `${what} channel ${c}`);
        interpInto(out, c * p.samples, grid, d.t, d.v);
    });
    return out;
}
/**
 * An IMU Window (channel-major [ax, ay, az, gx, gy, gz] at win.rate, or at opts.timestampsMs)
 * → [6, p.samples] float32.
 */
export function preprocessImu(win, p, opts = {}) {
    const what = `imu window from '${win.sensor}'`;
    if (win.channels !== IMU_CHANNELS) {
        throw invalid(`${what}: expected ${IMU_CHANNELS} channels [ax, ay, az, gx, gy, gz], got ${win.channels}`);
    }
    if (win.data.length === 0)
        throw invalid(`${what}: the window is empty`);
    if (win.data.length % IMU_CHANNELS !== 0) {
        throw invalid(`${what}: ${win.data.length} values is not a multiple of ${IMU_CHANNELS} channels`);
    }
    const n = win.data.length / IMU_CHANNELS;
    let t;
    if (opts.timestampsMs) {
        if (opts.timestampsMs.length !== n) {
            throw invalid(`${what}: ${opts.timestampsMs.length} timestamps for ${n} samples per channel`);
        }
        t = opts.timestampsMs;
    }
    else {
        if (!(win.rate > 0) || !Number.isFinite(win.rate))
            throw invalid(`${what}: rate ${win.rate} Hz is not positive`);
        t = new Float64Array(n);
        for (let i = 0; i < n; i++)
            t[i] = (i * 1000) / win.rate;
    }
    const series = [];
    for (let c = 0; c < IMU_CHANNELS; c++)
        series.push({ t, v: win.data.subarray(c * n, (c + 1) * n) });
    return imuFromSeries(series, opts.startMs ?? t[0], p, what);
}
