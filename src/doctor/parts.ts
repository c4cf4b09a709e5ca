/**
 * Which parts answer at a 7-bit I2C address: bindsight's IMU chips (from drivers/imu/chips.ts), its
 * thermal chips, and the common parts that share their addresses (so "0x68" is not taken for an
 * IMU when it is a real-time clock). Addresses from each part's datasheet (the DATASHEETS.md of each driver family).
 */
import { imuChipsAt } from '../../drivers/imu/chips.js';

interface Part {
  title: string;
  /** The config `driver` that reads it, if bindsight has one. */
  driver?: string;
  addresses: readonly number[];
}

const OTHER_PARTS: readonly Part[] = [
  { title: 'Melexis MLX90640 thermal camera', driver: 'mlx90640', addresses: [0x33] },
  { title: 'Panasonic AMG8833 Grid-EYE thermal sensor', driver: 'amg8833', addresses: [0x68, 0x69] },
  { title: 'AK8963/AK09916 magnetometer (inside an MPU-9250/ICM-20948 in bypass mode)', addresses: [0x0c] },
  { title: 'ST VL53L0X/VL53L5CX time-of-flight sensor', addresses: [0x29] },
  { title: 'DS3231/DS1307 real-time clock', addresses: [0x68] },
  { title: 'Bosch BME280/BMP280 environment sensor', addresses: [0x76, 0x77] },
];

/** "InvenSense MPU-6050 (driver: mpu6050)", … for everything that can answer at `address`. */
export function partsAt(address: number): string[] {
  const imus: Part[] = imuChipsAt(address).map((c) => ({
    title: c.title,
    driver: c.name,
    addresses: c.addresses,
  }));
  return [...imus, ...OTHER_PARTS.filter((p) => p.addresses.includes(address))].map((p) =>
    p.driver ? `${p.title} (driver: ${p.driver})` : p.title,
  );
}
