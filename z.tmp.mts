import { z } from 'zod';
const a = z.strictObject({ driver: z.literal('replay'), x: z.number() });
const b = z.strictObject({ driver: z.enum(['mpu6050','mpu9250']), y: z.number().default(3) });
const u = z.discriminatedUnion('driver', [a, b]);
console.log(u.safeParse({driver:'mpu9250'}));
console.log(JSON.stringify(u.safeParse({driver:'foo'}).error?.issues));
console.log(JSON.stringify(z.toJSONSchema(u, {io:'input'})).slice(0,300));
