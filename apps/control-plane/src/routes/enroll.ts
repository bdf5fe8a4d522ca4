import { inject, injectable } from 'tsyringe';

import { STORE } from '@zen/store';
import type { Store } from '@zen/store';
import { validateBody } from '@zen/transport';

import { CONFIG } from '../lib/config';
import type { ControlPlaneConfig } from '../lib/config';
import { ConfirmationService } from '../lib/confirmation-service';
import { enrollmentRateLimits } from '../lib/enrollment-rate-limits';
import { EnrollmentService } from '../lib/enrollment-service';
import { signedCaller, validateInput } from '../lib/route-spec';
import type { RouteSpec } from '../lib/route-spec';
import {
  bootstrapBundleSchema,
  bundleQuerySchema,
  challengeRequestSchema,
  challengeSchema,
  confirmRequestSchema,
  confirmResultSchema,
  enrollRequestSchema,
  enrollmentBundleSchema,
} from '../lib/wire-schemas';

import { errorResponses } from './responses';

/** Trust bootstrap, challenge, enroll and confirm (PROTOCOL.md, Enrollment). */
@injectable()
export class EnrollRoutes {
  constructor(
    @inject(EnrollmentService) private readonly enrollment: EnrollmentService,
    @inject(ConfirmationService) private readonly confirmation: ConfirmationService,
    @inject(STORE) private readonly store: Store,
    @inject(CONFIG) private readonly config: ControlPlaneConfig,
  ) {}

  routes(): RouteSpec[] {
    return [
      {
        method: 'get',
        path: '/v1/enroll/bundle',
        summary: 'Trust bundle with a MAC under the join token key (trust bootstrap)',
        tag: 'enrollment',
        auth: 'public',
        request: { query: bundleQuerySchema },
        responses: {
          200: { description: 'bundle and MAC', schema: bootstrapBundleSchema },
          ...errorResponses(400, 429, 503),
        },
        before: enrollmentRateLimits('enroll_bundle', this.store, this.config),
        handle: async (req, res) => {
          const query = validateInput(bundleQuerySchema, req.query);
          res.json(this.enrollment.bootstrapBundle(query.token_id));
        },
      },
      {
        method: 'post',
        path: '/v1/enroll/challenge',
        summary: 'Nonce bound to a token id',
        tag: 'enrollment',
        auth: 'public',
        request: { body: challengeRequestSchema },
        responses: {
          200: { description: 'a nonce', schema: challengeSchema },
          ...errorResponses(400, 413, 429, 503),
        },
        before: enrollmentRateLimits('enroll_challenge', this.store, this.config),
        handle: async (req, res) => {
          const body = validateBody(challengeRequestSchema, req);
          res.json(await this.enrollment.challenge(body.token_id));
        },
      },
      {
        method: 'post',
        path: '/v1/enroll',
        summary: 'Enroll with a join token: CSR in, enrollment bundle out',
        tag: 'enrollment',
        auth: 'public',
        request: { body: enrollRequestSchema },
        responses: {
          201: { description: 'the enrollment bundle', schema: enrollmentBundleSchema },
          ...errorResponses(400, 401, 413, 429, 503),
        },
        before: enrollmentRateLimits('enroll', this.store, this.config),
        handle: async (req, res) => {
          const body = validateBody(enrollRequestSchema, req);
          res.status(201).json(await this.enrollment.enroll(body, req.requestId));
        },
      },
      {
        method: 'post',
        path: '/v1/enroll/confirm',
        summary: 'Confirm an enrollment with the new SVID and HMAC key',
        tag: 'enrollment',
        auth: 'signed',
        request: { body: confirmRequestSchema },
        responses: {
          200: { description: 'enrollment active', schema: confirmResultSchema },
          ...errorResponses(400, 401, 403, 404, 413, 503),
        },
        handle: async (req, res) => {
          const body = validateBody(confirmRequestSchema, req);
          res.json(await this.confirmation.confirm(body.enrollment_id, signedCaller(req)));
        },
      },
    ];
  }
}
