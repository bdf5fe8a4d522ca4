import { buildTestChain, TestChain } from '../testing';
import { SpiffeIdError, TrustBundleError } from './errors';
import { parseTrustBundle } from './parse-trust-bundle';
import { trustBundleToSpiffeJson } from './spiffe-bundle-json';
import { createTrustBundle, TrustBundle, trustBundleToDer, trustBundleToPem } from './trust-bundle';

type Format = 'pem' | 'der' | 'json';

function encode(bundle: TrustBundle, format: Format): Buffer | string {
  if (format === 'pem') {
    return trustBundleToPem(bundle);
  }
  if (format === 'der') {
    return trustBundleToDer(bundle);
  }

  return JSON.stringify(trustBundleToSpiffeJson(bundle));
}

function codeOf(action: () => unknown): string {
  try {
    action();
  } catch (err) {
    if (err instanceof TrustBundleError || err instanceof SpiffeIdError) {
      return err.code;
    }
    throw err;
  }
  return 'accepted';
}

describe('parseTrustBundle', () => {
  let first: TestChain;
  let second: TestChain;
  let bundle: TrustBundle;

  beforeAll(async () => {
    first = await buildTestChain({ intermediates: 0 });
    second = await buildTestChain({ intermediates: 0, root: { keyType: 'P-384' } });
    bundle = createTrustBundle({ trustDomain: 'zen.mesh', roots: [first.root, second.root] });
  });

  const formats: Format[] = ['pem', 'der', 'json'];
  const pairs = formats.flatMap((from) => formats.map((to) => [from, to] as const));

  it.each(pairs)('carries the same roots from %s to %s and back', (from, to) => {
    const parsed = parseTrustBundle(encode(bundle, from), 'zen.mesh');

    const again = parseTrustBundle(encode(parsed, to), 'zen.mesh');

    expect(again.roots).toEqual([first.root, second.root]);
    expect(again.trustDomain).toBe('zen.mesh');
  });

  it.each(formats)('detects %s given as a Buffer', (format) => {
    const data = Buffer.from(encode(bundle, format));

    expect(parseTrustBundle(data, 'zen.mesh').roots).toEqual([first.root, second.root]);
  });

  it('keeps the JSON sequence and refresh hint and gives PEM and DER sequence zero', () => {
    const withSequence = { ...bundle, sequence: 5, refreshHintSeconds: 30 };

    expect(parseTrustBundle(encode(withSequence, 'json'), 'zen.mesh')).toEqual(withSequence);
    expect(parseTrustBundle(encode(withSequence, 'pem'), 'zen.mesh').sequence).toBe(0);
    expect(parseTrustBundle(encode(withSequence, 'der'), 'zen.mesh').sequence).toBe(0);
  });

  it('reads JSON with leading whitespace and PEM with leading comments', () => {
    const json = `\n  ${encode(bundle, 'json') as string}`;
    const pem = `# zen.mesh roots\n${encode(bundle, 'pem') as string}`;

    expect(parseTrustBundle(json, 'zen.mesh').roots).toHaveLength(2);
    expect(parseTrustBundle(Buffer.from(pem), 'zen.mesh').roots).toHaveLength(2);
  });

  it.each<[string, () => Buffer | string, string]>([
    [
      'PEM without a certificate block',
      () => '-----BEGIN PRIVATE KEY-----\nAA==\n-----END PRIVATE KEY-----\n',
      'trust_bundle_empty',
    ],
    ['an empty buffer', () => Buffer.alloc(0), 'trust_bundle_empty'],
    ['text that is neither PEM nor JSON', () => 'hello', 'trust_bundle_malformed'],
    ['a buffer of text that is neither', () => Buffer.from('hello'), 'trust_bundle_malformed'],
    ['truncated DER', () => first.root.subarray(0, 50), 'trust_bundle_malformed'],
    [
      'DER that is not a certificate',
      () => Buffer.from('3003020101', 'hex'),
      'trust_bundle_malformed',
    ],
    [
      'PEM with bad base64',
      () => '-----BEGIN CERTIFICATE-----\n!!!!\n-----END CERTIFICATE-----\n',
      'trust_bundle_malformed',
    ],
    ['malformed JSON', () => '{"keys":', 'trust_bundle_malformed'],
  ])('refuses %s', (_name, makeData, code) => {
    expect(codeOf(() => parseTrustBundle(makeData(), 'zen.mesh'))).toBe(code);
  });

  it('refuses an invalid trust domain name', () => {
    expect(codeOf(() => parseTrustBundle(first.bundlePem, 'zen.mesh:443'))).toBe('spiffe_id_port');
  });
});
