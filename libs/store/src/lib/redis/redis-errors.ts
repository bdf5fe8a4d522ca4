import { StoreError, StoreFailedError, StoreUnavailableError } from '../errors';

// Replies by which Redis says "not now" (loading, failover, cluster resharding), as opposed to
// "never" (wrong type, script error): only the former are an outage.
const UNAVAILABLE_REPLIES = /^(READONLY|LOADING|MASTERDOWN|CLUSTERDOWN|TRYAGAIN|NOREPLICAS|BUSY)\b/;

/**
 * Turns whatever ioredis rejected with into a store error: connection loss, refused connects,
 * command timeouts and failover replies become `store_unavailable`, other server replies
 * `store_failed`. The original error stays reachable as `cause`, never in the message.
 */
export function toStoreError(error: unknown): StoreError {
  if (error instanceof StoreError) return error;

  const isReply = error instanceof Error && error.name === 'ReplyError';
  if (isReply && !UNAVAILABLE_REPLIES.test(error.message)) {
    return new StoreFailedError('redis refused a store command', { cause: error });
  }

  return new StoreUnavailableError('redis unavailable', { cause: error });
}
