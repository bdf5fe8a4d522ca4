import {
  DEFAULT_NONCE_RETENTION_SECONDS,
  DEFAULT_TOKEN_RETENTION_SECONDS,
  resolveRetention,
} from './retention';

describe('resolveRetention', () => {
  it('applies one day for tokens and five minutes for nonces by default', () => {
    const retention = resolveRetention({});

    expect(retention).toEqual({ tokenRetentionSeconds: 86_400, nonceRetentionSeconds: 300 });
    expect([DEFAULT_TOKEN_RETENTION_SECONDS, DEFAULT_NONCE_RETENTION_SECONDS]).toEqual([
      86_400, 300,
    ]);
  });

  it('keeps given values, zero included', () => {
    const retention = resolveRetention({ tokenRetentionSeconds: 0, nonceRetentionSeconds: 7 });

    expect(retention).toEqual({ tokenRetentionSeconds: 0, nonceRetentionSeconds: 7 });
  });

  it.each([
    ['a negative token retention', { tokenRetentionSeconds: -1 }],
    ['a fractional nonce retention', { nonceRetentionSeconds: 1.5 }],
    ['an infinite token retention', { tokenRetentionSeconds: Number.POSITIVE_INFINITY }],
  ])('refuses %s with a TypeError', (_name, options) => {
    expect(() => resolveRetention(options)).toThrow(TypeError);
  });
});
