/**
 * Core sample types shared by drivers and the pipeline (see DESIGN.md "Core types").
 * A Sample never carries a driver or bus object: it is plain data, safe to queue,
 * record and send to a worker thread.
 */
/** The six ImageBind modalities; `text` is never produced by a sensor. */
export const MODALITIES = ['vision', 'text', 'audio', 'depth', 'thermal', 'imu'];
export const SENSOR_MODALITIES = ['vision', 'audio', 'depth', 'thermal', 'imu'];
export function nowNs() {
    return BigInt(Date.now()) * 1000000n;
}
