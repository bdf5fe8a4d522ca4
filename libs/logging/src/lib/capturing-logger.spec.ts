import { createCapturingLogger } from '../testing';

describe('createCapturingLogger', () => {
  it('collects the parsed lines and raw text of a real logger', () => {
    const { logger, lines, text } = createCapturingLogger('ingester');

    logger.debug('cache hit', { token: 'zen1.0123456789abcdef.' + 'f'.repeat(64) });

    expect(lines()).toEqual([
      expect.objectContaining({
        level: 'debug',
        message: 'cache hit',
        component: 'ingester',
        instance: 'test-instance',
        token: '[redacted]',
      }),
    ]);
    expect(text().endsWith('\n')).toBe(true);
  });
});
