import { StoreUnavailableError } from '../errors';
import { toStoreError } from './redis-errors';

function reply(message: string): Error {
  const error = new Error(message);
  error.name = 'ReplyError';

  return error;
}

describe('toStoreError', () => {
  it.each([
    ['a refused connection', new Error('connect ECONNREFUSED 127.0.0.1:6379')],
    ['a closed connection', new Error('Connection is closed.')],
    ['a command timeout', new Error('Command timed out')],
    ['a read-only replica after failover', reply("READONLY You can't write against a replica.")],
    ['a loading server', reply('LOADING Redis is loading the dataset in memory')],
    ['a cluster that is down', reply('CLUSTERDOWN The cluster is down')],
  ])('maps %s to store_unavailable', (_name, error) => {
    expect(toStoreError(error).code).toBe('store_unavailable');
  });

  it('maps other server replies to store_failed', () => {
    const error = toStoreError(reply('WRONGTYPE Operation against a key holding the wrong kind'));

    expect(error.code).toBe('store_failed');
    expect(error.message).toBe('redis refused a store command');
  });

  it('keeps a store error as it is', () => {
    const original = new StoreUnavailableError();

    expect(toStoreError(original)).toBe(original);
  });
});
