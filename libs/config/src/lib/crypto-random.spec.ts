import { SeededRandom } from '../testing';

import { CryptoRandom } from './crypto-random';
import { RANDOM } from './random';

describe('CryptoRandom', () => {
  it('returns the number of bytes asked for, different each time', () => {
    const random = new CryptoRandom();

    const a = random.bytes(32);
    const b = random.bytes(32);

    expect([a.length, b.length]).toEqual([32, 32]);
    expect(a.equals(b)).toBe(false);
  });

  it('is injected through a symbol token that names its owner', () => {
    expect(RANDOM.toString()).toBe('Symbol(zen.config.Random)');
  });
});

describe('SeededRandom', () => {
  it('yields the same stream for the same seed however it is sliced', () => {
    const one = new SeededRandom('s');
    const two = new SeededRandom('s');

    const whole = one.bytes(50);
    const pieces = Buffer.concat([two.bytes(7), two.bytes(0), two.bytes(43)]);

    expect(pieces.equals(whole)).toBe(true);
  });

  it('yields different streams for different seeds', () => {
    expect(new SeededRandom(1).bytes(16).equals(new SeededRandom(2).bytes(16))).toBe(false);
  });

  it('does not repeat bytes across calls', () => {
    const random = new SeededRandom();

    expect(random.bytes(16).equals(random.bytes(16))).toBe(false);
  });
});
