import { describe, expect, it } from 'vitest';
import { ContextTuner, SATURATED_INTERVALS } from './context-tuner.js';

const saturated = { cpuPressure: 0.95, waited: true };
const spare = { cpuPressure: 0.5, waited: true };

describe('ContextTuner', () => {
  it('starts where it is told, within its range', () => {
    expect(new ContextTuner(2, 8, 4).capacity).toBe(4);
    expect(new ContextTuner(2, 8, 20).capacity).toBe(8);
    expect(new ContextTuner(2, 8, 1).capacity).toBe(2);
  });

  it('takes a context away only after the cores stay saturated, down to its floor', () => {
    const tuner = new ContextTuner(2, 8, 4);
    for (let i = 1; i < SATURATED_INTERVALS; i += 1) expect(tuner.observe(saturated)).toBe(4);
    expect(tuner.observe(saturated)).toBe(3);
    for (let i = 0; i < 10 * SATURATED_INTERVALS; i += 1) tuner.observe(saturated);
    expect(tuner.capacity).toBe(2);
  });

  it('forgets a saturated interval once one has room', () => {
    const tuner = new ContextTuner(2, 8, 4);
    for (let i = 0; i < 5; i += 1) {
      tuner.observe(saturated);
      tuner.observe({ cpuPressure: 0.85, waited: true });
    }
    expect(tuner.capacity).toBe(4);
  });

  it('adds a context while the cores have room and scrapes wait, up to its ceiling', () => {
    const tuner = new ContextTuner(2, 6, 4);
    expect(tuner.observe(spare)).toBe(5);
    expect(tuner.observe(spare)).toBe(6);
    expect(tuner.observe(spare)).toBe(6);
  });

  it('adds none when nothing waited (the work, not the cores, is the limit)', () => {
    const tuner = new ContextTuner(2, 8, 4);
    expect(tuner.observe({ cpuPressure: 0.1, waited: false })).toBe(4);
  });

  it('holds between the two thresholds', () => {
    const tuner = new ContextTuner(2, 8, 4);
    expect(tuner.observe({ cpuPressure: 0.85, waited: true })).toBe(4);
  });
});
