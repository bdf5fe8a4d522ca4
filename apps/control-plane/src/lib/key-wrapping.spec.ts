import { KeyWrapper } from './key-wrapping';

describe('KeyWrapper', () => {
  const key = Buffer.alloc(32, 0xab);

  it('unwraps what it wrapped for the same key id', () => {
    const wrapper = new KeyWrapper(Buffer.alloc(32, 1));

    const wrapped = wrapper.wrap('key-1', key);

    expect(wrapper.unwrap('key-1', wrapped).equals(key)).toBe(true);
    expect(Buffer.from(wrapped, 'base64').includes(key)).toBe(false);
  });

  it('refuses a wrapped key moved to another key id', () => {
    const wrapper = new KeyWrapper(Buffer.alloc(32, 1));

    const wrapped = wrapper.wrap('key-1', key);

    expect(() => wrapper.unwrap('key-2', wrapped)).toThrow();
  });

  it('refuses a wrapped key made under another server key', () => {
    const wrapped = new KeyWrapper(Buffer.alloc(32, 1)).wrap('key-1', key);

    expect(() => new KeyWrapper(Buffer.alloc(32, 2)).unwrap('key-1', wrapped)).toThrow();
  });

  it('uses a fresh IV on every wrap', () => {
    const wrapper = new KeyWrapper(Buffer.alloc(32, 1));

    expect(wrapper.wrap('key-1', key)).not.toBe(wrapper.wrap('key-1', key));
  });
});
