import t from 'tap';
import { centerCropOffset, pythonRound, shortSideSize } from '../../src/preprocess/geometry.js';

t.test('pythonRound is half to even', async (t) => {
  t.same([0.5, 1.5, 2.5, 36.5, 37.5, -0.5, 2.4, 2.6].map(pythonRound), [0, 2, 2, 36, 38, -0, 2, 3]);
});

t.test('short side to size, long side truncated (torchvision _compute_resized_output_size)', async (t) => {
  t.same(shortSideSize(640, 855, 224), { width: 224, height: 299 }, 'bird: 299.25 → 299');
  t.same(shortSideSize(640, 360, 224), { width: 398, height: 224 }, 'car');
  t.same(shortSideSize(32, 24, 224), { width: 298, height: 224 }, 'MLX90640');
  t.same(shortSideSize(4, 4, 224), { width: 224, height: 224 }, 'square');
  t.same(shortSideSize(297, 224, 224), { width: 297, height: 224 }, 'already 224');
});

t.test('centre crop offsets', async (t) => {
  t.same(centerCropOffset(224, 299, 224), { top: 38, left: 0 }, 'round(37.5) = 38');
  t.same(centerCropOffset(297, 224, 224), { top: 0, left: 36 }, 'round(36.5) = 36, not Math.round 37');
  t.same(centerCropOffset(398, 224, 224), { top: 0, left: 87 });
});
