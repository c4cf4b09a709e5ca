/**
 * Core sample types shared by drivers and the pipeline (see DESIGN.md "Core types").
 * A Sample never carries a driver or bus object: it is plain data, safe to queue,
 * record and send to a worker thread.
 */

/** The six ImageBind modalities; `text` is never produced by a sensor. */
export const MODALITIES = ['vision', 'text', 'audio', 'depth', 'thermal', 'imu'] as const;
export type Modality = (typeof MODALITIES)[number];
/** Modalities a sensor can produce. */
export type SensorModality = Exclude<Modality, 'text'>;
export const SENSOR_MODALITIES: readonly SensorModality[] = ['vision', 'audio', 'depth', 'thermal', 'imu'];

/**
 * Pixel formats of a Frame.
 * - rgb24: 3 bytes per pixel, row-major, R G B.
 * - gray8: 1 byte per pixel.
 * - gray16: raw 16-bit counts (non-radiometric Y16), Uint16Array.
 * - y16_ck: radiometric centikelvin (FLIR Lepton TLinear), Uint16Array; degC = v/100 - 273.15.
 * - z16_mm: depth in millimetres, 0 = invalid, Uint16Array.
 * - celsius_f32: temperatures in degrees Celsius, Float32Array.
 * - jpeg / png: encoded image bytes (width/height may be 0 when unknown until decoded).
 */
export type FrameFormat = 'rgb24' | 'gray8' | 'gray16' | 'y16_ck' | 'z16_mm' | 'celsius_f32' | 'jpeg' | 'png';

export interface Frame {
  kind: 'frame';
  sensor: string;
  modality: SensorModality;
  /** Capture time, nanoseconds since the Unix epoch. */
  t: bigint;
  width: number;
  height: number;
  format: FrameFormat;
  data: Uint8Array | Uint16Array | Float32Array;
  /** Optional per-sensor facts a preprocessor needs (e.g. depth baseline_m, focal_px). */
  meta?: Readonly<Record<string, number | string>>;
}

/**
 * A window of a multichannel time series: audio or IMU.
 * data is channel-major: channel c occupies data[c*n .. (c+1)*n) where n = data.length / channels.
 * Audio: float samples in [-1, 1]. IMU: channels [ax, ay, az, gx, gy, gz] in m/s^2 and rad/s.
 */
export interface Window {
  kind: 'window';
  sensor: string;
  modality: SensorModality;
  /** Capture time of the first sample, nanoseconds since the Unix epoch. */
  t: bigint;
  /** Sample rate in Hz. */
  rate: number;
  channels: number;
  data: Float32Array;
  meta?: Readonly<Record<string, number | string>>;
}

export type Sample = Frame | Window;

export type HealthState = 'ok' | 'degraded' | 'down';

export interface DriverHealth {
  state: HealthState;
  /** Monotonic counters: samples, drops, errors, reconnects, ... */
  counters: Record<string, number>;
  lastError?: string;
}

/**
 * A sensor driver. start() resolves once the device is open (or rejects with a
 * BindsightError naming the device); samples() yields until stop(). A driver that loses
 * its device reconnects with backoff and reports it in health(); it never throws into the agent.
 */
export interface Driver {
  readonly id: string;
  readonly modality: SensorModality;
  start(): Promise<void>;
  stop(): Promise<void>;
  samples(): AsyncIterable<Sample>;
  health(): DriverHealth;
}

export function nowNs(): bigint {
  return BigInt(Date.now()) * 1_000_000n;
}
