import sharp from 'sharp';
import t from 'tap';
import { readDepthPng, readImageHeader } from '../../../drivers/replay/images.js';
import { depthPngBytes, grey8PngBytes, rgbImage } from './fixtures.js';

t.test('JPEG and PNG headers give format and size', async (t) => {
  t.same(await readImageHeader(await rgbImage(64, 48, 'jpeg'), 'a.jpg'), {
    format: 'jpeg',
    width: 64,
    height: 48,
  });
  t.same(await readImageHeader(await rgbImage(5, 7, 'png'), 'a.png'), { format: 'png', width: 5, height: 7 });
});

t.test('a corrupt or non-JPEG/PNG image is FILE_INVALID naming the file', async (t) => {
  await t.rejects(readImageHeader(new TextEncoder().encode('not an image'), 'broken.png'), {
    code: 'FILE_INVALID',
    message: /broken\.png: not a readable image/,
  });
  const webp = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#000' } })
    .webp()
    .toBuffer();
  await t.rejects(readImageHeader(webp, 'x.png'), {
    code: 'FILE_INVALID',
    message: /"webp" cannot be replayed/,
  });
});

t.test('a 16-bit grey PNG decodes to exact millimetres', async (t) => {
  const mm = Uint16Array.from({ length: 12 }, (_, i) => (i === 5 ? 0 : 500 + i * 4001));
  const depth = await readDepthPng(await depthPngBytes(4, 3, mm), 'd.png');
  t.equal(depth.width, 4);
  t.equal(depth.height, 3);
  t.same(Array.from(depth.data), Array.from(mm));
});

t.test('an 8-bit or colour PNG is refused for depth with a clear message', async (t) => {
  await t.rejects(readDepthPng(await grey8PngBytes(4, 4), 'd8.png'), {
    code: 'FILE_INVALID',
    message:
      /d8\.png: depth replay needs a 16-bit single-channel \(grey\) PNG of millimetres; this is a png with 1 channel\(s\) of 8-bit samples/,
  });
  await t.rejects(readDepthPng(await rgbImage(4, 4, 'png'), 'rgb.png'), {
    message: /3 channel\(s\) of 8-bit/,
  });
  await t.rejects(readDepthPng(await rgbImage(4, 4, 'jpeg'), 'j.png'), { message: /this is a jpeg/ });
  await t.rejects(readDepthPng(new Uint8Array(10), 'z.png'), {
    code: 'FILE_INVALID',
    message: /not a readable image/,
  });
});
