import { inject, injectable } from 'tsyringe';

import { validateBody } from '@zen/transport';

import { AdminService } from '../lib/admin-service';
import { CaScheduler } from '../lib/ca-scheduler';
import { adminCaller, validateInput } from '../lib/route-spec';
import type { RouteSpec } from '../lib/route-spec';
import {
  auditKeySchema,
  auditPageSchema,
  auditQuerySchema,
  caRotateResultSchema,
  caStatusSchema,
  createTokenRequestSchema,
  createdTokenSchema,
  enrollmentListSchema,
  evictRequestSchema,
  evictionResultSchema,
} from '../lib/wire-schemas';

import { errorResponses } from './responses';

const ADMIN_ERRORS = errorResponses(400, 401, 403, 503);

/** The operator API (mTLS with an admin SVID, no request signature). */
@injectable()
export class AdminRoutes {
  constructor(
    @inject(AdminService) private readonly admin: AdminService,
    @inject(CaScheduler) private readonly scheduler: CaScheduler,
  ) {}

  routes(): RouteSpec[] {
    return [
      {
        method: 'post',
        path: '/v1/admin/tokens',
        summary: 'Create a join token for one component and name',
        tag: 'admin',
        auth: 'admin',
        request: { body: createTokenRequestSchema },
        responses: {
          201: { description: 'the token, shown once', schema: createdTokenSchema },
          ...ADMIN_ERRORS,
        },
        handle: async (req, res) => {
          const body = validateBody(createTokenRequestSchema, req);
          res.status(201).json(await this.admin.createToken(body, adminCaller(req)));
        },
      },
      {
        method: 'get',
        path: '/v1/admin/enrollments',
        summary: 'List enrollments and their state',
        tag: 'admin',
        auth: 'admin',
        responses: {
          200: { description: 'enrollments', schema: enrollmentListSchema },
          ...ADMIN_ERRORS,
        },
        handle: async (req, res) => {
          res.json(await this.admin.listEnrollments(adminCaller(req)));
        },
      },
      {
        method: 'post',
        path: '/v1/admin/evict',
        summary: 'Evict a SPIFFE ID',
        tag: 'admin',
        auth: 'admin',
        request: { body: evictRequestSchema },
        responses: {
          200: { description: 'the eviction', schema: evictionResultSchema },
          ...ADMIN_ERRORS,
        },
        handle: async (req, res) => {
          const body = validateBody(evictRequestSchema, req);
          res.json(await this.admin.evict(body.spiffe_id, adminCaller(req)));
        },
      },
      {
        method: 'get',
        path: '/v1/admin/ca',
        summary: 'CA generations and bundle sequence',
        tag: 'admin',
        auth: 'admin',
        responses: { 200: { description: 'CA status', schema: caStatusSchema }, ...ADMIN_ERRORS },
        handle: async (req, res) => {
          res.json(await this.admin.caStatus(adminCaller(req)));
        },
      },
      {
        method: 'post',
        path: '/v1/admin/ca/rotate',
        summary: 'Prepare (if needed) and activate a new CA generation now',
        tag: 'admin',
        auth: 'admin',
        responses: {
          200: { description: 'transitions', schema: caRotateResultSchema },
          ...ADMIN_ERRORS,
        },
        handle: async (req, res) => {
          const result = await this.admin.rotateCa(adminCaller(req));
          await this.scheduler.afterRotation();
          res.json(result);
        },
      },
      {
        method: 'get',
        path: '/v1/admin/audit',
        summary: 'One page of audit records',
        tag: 'admin',
        auth: 'admin',
        request: { query: auditQuerySchema },
        responses: { 200: { description: 'records', schema: auditPageSchema }, ...ADMIN_ERRORS },
        handle: async (req, res) => {
          const query = validateInput(auditQuerySchema, req.query);
          res.json(await this.admin.readAudit(query, adminCaller(req)));
        },
      },
      {
        method: 'get',
        path: '/v1/admin/audit/key',
        summary: 'Public key of the audit checkpoints',
        tag: 'admin',
        auth: 'admin',
        responses: { 200: { description: 'the key', schema: auditKeySchema }, ...ADMIN_ERRORS },
        handle: async (req, res) => {
          res.json(await this.admin.auditKey(adminCaller(req)));
        },
      },
    ];
  }
}
