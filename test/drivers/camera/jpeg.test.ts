/** JPEG boundaries and size from markers (drivers/camera/jpeg.ts), on real encoder output and cut copies. */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import t from 'tap';
import { checkJpeg } from '../../../drivers/camera/jpeg.js';

const SHARED = join(dirname(fileURLToPath(import.meta.url)), '../../../../shared/data');

t.test('whole JPEGs: size from the frame header', async (t) => {
  const dog = new Uint8Array(readFileSync(join(SHARED, 'images/imagebind_dog_image.jpg')));
  t.same(checkJpeg(dog), { ok: true, width: 640, height: 848 }, 'shared image (MANIFEST: 640×848)');
  const progressive = await sharp({ create: { width: 33, height: 17, channels: 3, background: '#808080' } })
    .jpeg({ progressive: true })
    .toBuffer();
  t.same(checkJpeg(new Uint8Array(progressive)), { ok: true, width: 33, height: 17 }, 'progressive (SOF2)');
});

t.test('partial or foreign bytes are refused with the reason', async (t) => {
  const jpeg = new Uint8Array(readFileSync(join(SHARED, 'images/imagebind_car_image.jpg')));
  t.match(checkJpeg(jpeg.subarray(0, 1000)), {
    ok: false,
    problem: /end marker FFD9 \(1000 bytes: cut short\?\)/,
  });
  t.match(checkJpeg(jpeg.subarray(2)), { ok: false, problem: /start marker FFD8/ });
  t.match(checkJpeg(new Uint8Array([0xff, 0xd8, 0xff, 0xd9])), { ok: false, problem: /no frame header/ });
  t.match(checkJpeg(new Uint8Array(0)), { ok: false });
});
