import { parseCaState, serializeCaState, type CaStateRecord } from './ca-state';

const PEM = '-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n';

function generation(id: string, state: 'prepared' | 'active' | 'old') {
  return {
    id,
    state,
    rootPem: PEM,
    intermediatePem: PEM,
    rootKey: `ca/${id}/root`,
    intermediateKey: `ca/${id}/intermediate`,
    notBefore: 100,
    notAfter: 200,
  };
}

const state = (generations: ReturnType<typeof generation>[]): CaStateRecord => ({
  format: 1,
  trustDomain: 'zen.mesh',
  sequence: 3,
  generations,
});

describe('CA state serialization', () => {
  it('round-trips a state through JSON', () => {
    const original = state([generation('g2-a', 'active'), generation('g1-b', 'old')]);

    expect(parseCaState(serializeCaState(original))).toEqual(original);
  });

  it.each([
    ['two active generations', state([generation('a', 'active'), generation('b', 'active')])],
    ['two prepared generations', state([generation('a', 'prepared'), generation('b', 'prepared')])],
    ['a repeated id', state([generation('a', 'active'), generation('a', 'old')])],
  ])('refuses %s', (_label, broken) => {
    expect(() => parseCaState(serializeCaState(broken))).toThrow(
      expect.objectContaining({ code: 'ca_state_invalid' }),
    );
  });

  it.each([
    ['text that is not JSON', 'nope'],
    ['an unknown format', JSON.stringify({ ...state([]), format: 2 })],
    ['a negative sequence', JSON.stringify({ ...state([]), sequence: -1 })],
    [
      'a generation without certificates',
      JSON.stringify(state([{ ...generation('a', 'active'), rootPem: 'x' }])),
    ],
  ])('refuses %s', (_label, value) => {
    expect(() => parseCaState(value)).toThrow(
      expect.objectContaining({ code: 'ca_state_invalid' }),
    );
  });
});
