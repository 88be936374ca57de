import { describe, expect, it } from 'vitest';
import { PRESETS, PRESET_NAMES, getPreset } from './presets.js';

// Smallest class of each dataset the presets must fit (MNIST: class 5 has 5421 training and 892 test
// images; Fashion-MNIST 6000/1000; CIFAR-10 5000/1000 per class).
const SMALLEST_CLASS = { mnist: { train: 5421, test: 892 }, 'fashion-mnist': { train: 6000, test: 1000 }, cifar10: { train: 5000, test: 1000 } };

describe('presets', () => {
  for (const name of PRESET_NAMES) {
    it(`${name}: student, teacher and test samples fit every dataset's smallest class`, () => {
      const p = PRESETS[name];
      for (const [dataset, counts] of Object.entries(SMALLEST_CLASS)) {
        expect(p.trainPerClass + p.teacherPerClass, `${dataset} train`).toBeLessThanOrEqual(counts.train);
        expect(p.testPerClass, `${dataset} test`).toBeLessThanOrEqual(counts.test);
      }
    });
  }
  it('getPreset returns a copy and names the allowed presets on a typo', () => {
    const a = getPreset('quick');
    a.widths.push(1);
    expect(PRESETS.quick.widths).toEqual([512, 2048, 8192]);
    expect(() => getPreset('ful')).toThrow('Invalid option "preset": got "ful". Expected one of tiny, quick, full.');
  });
});
