import { sha256hex } from './digest';

describe('sha256hex', () => {
  it('hashes zero bytes to the well-known empty digest', () => {
    expect(sha256hex(Buffer.alloc(0))).toBe(
      'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    expect(sha256hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('hashes a string as its UTF-8 bytes', () => {
    expect(sha256hex('é')).toBe(sha256hex(Buffer.from([0xc3, 0xa9])));
  });
});
