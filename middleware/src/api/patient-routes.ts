// GET /api/v1/app/patients?orgUnit=<uid>[&training=true]: the patients of one facility, for the DHIS2 app
// (its Route key only). The DHIS2 user the Route names (X-Forwarded-User) must be assigned to that org unit
// or to one above it, as DHIS2 says (dhis2/user-facilities.ts); any other org unit answers 403, whether it
// exists or not. Practice patients only with training=true, and then only them.
import { Router, type Request, type Response } from 'express';
import type { UserFacilities } from '../dhis2/user-facilities.js';
import { requireScope } from '../http/auth.js';
import { HttpProblem, problem } from '../http/problem.js';
import type { PatientIndex } from '../patients/patient-index.js';
import { forwardedUserOf } from './forwarded-user.js';

export function patientRouter(options: { index: PatientIndex; facilities?: UserFacilities }): Router {
  const router = Router();
  router.get('/app/patients', requireScope('app'), async (req: Request, res: Response) => {
    const user = forwardedUserOf(req);
    if (user === undefined) throw new HttpProblem(problem('invalid-request', 'X-Forwarded-User is required: the DHIS2 Route adds it', { errors: [{ path: 'X-Forwarded-User', message: 'is required' }] }));
    const uid = typeof req.query['orgUnit'] === 'string' ? req.query['orgUnit'] : '';
    if (uid === '') throw new HttpProblem(problem('invalid-request', 'orgUnit is required: the uid of one of your facilities', { errors: [{ path: '?orgUnit', message: 'is required' }] }));
    if (options.facilities === undefined) {
      throw new HttpProblem(problem('service-unavailable', 'the middleware has no DHIS2 (DHIS2_URL) to learn which facilities the user may see'), { 'Retry-After': '60' });
    }
    const orgUnit = await options.facilities.readableBy(user, uid);
    if (orgUnit === undefined) throw new HttpProblem(problem('forbidden', `the DHIS2 user is not assigned to org unit ${uid} or to one above it`));
    const practice = req.query['training'] === 'true';
    const patients = [
      ...(orgUnit.code ? await options.index.patientsOf(orgUnit.code, practice) : []),
      ...(await options.index.patientsOf(orgUnit.id, practice)),
    ];
    res.set('Cache-Control', 'private, no-store').json({ orgUnit: { id: orgUnit.id, ...(orgUnit.code ? { code: orgUnit.code } : {}) }, training: practice, patients });
  });
  return router;
}
