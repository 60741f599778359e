// The operators' queue board: bull-board (@bull-board/express) over every queue of the registry, at
// /admin/queues, behind the operator key. A browser cannot send a Bearer header, so /admin/login takes the
// operator key once in a form (never in a URL, which would reach the request log) and keeps it in an
// HttpOnly, SameSite=Strict cookie scoped to /admin; scripts may send the Bearer header instead.
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import express, { Router, type NextFunction, type Request, type Response } from 'express';
import type { ApiKeyEntry } from '../config/api-keys.js';
import { identify } from '../http/auth.js';
import { problem, sendProblem } from '../http/problem.js';
import { verifyUtf8 } from '../http/utf8.js';

export const QUEUE_BOARD_PATH = '/admin/queues';
const COOKIE = 'smc_operator';

/** The operator key the login cookie holds; a cookie that is not valid percent-encoding holds none. */
function cookieKey(req: Request): string | undefined {
  for (const part of (req.get('cookie') ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name !== COOKIE) continue;
    try {
      return decodeURIComponent(value.join('='));
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** Lets operators through, by Bearer header or login cookie; sends a browser without either to the login form. */
function requireOperator(entries: readonly ApiKeyEntry[]) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const fromCookie = cookieKey(req);
    const headers = req.headers.authorization === undefined && fromCookie !== undefined ? { ...req.headers, authorization: `Bearer ${fromCookie}` } : req.headers;
    const identification = identify(entries, headers);
    if ('caller' in identification && identification.caller.scope === 'operator') {
      next();
      return;
    }
    if ('caller' in identification) {
      sendProblem(res, problem('forbidden', 'the queue board needs an operator key'));
      return;
    }
    if (req.accepts(['html', 'json']) === 'html') res.redirect(303, '/admin/login');
    else sendProblem(res, identification.refusal, identification.headers);
  };
}

const LOGIN_PAGE = (message = '') => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>SMC bridge — operators</title></head>
<body><main><h1>SMC bridge queue board</h1>${message ? `<p role="alert">${message}</p>` : ''}
<form method="post" action="/admin/login"><label for="key">Operator key</label>
<input id="key" name="key" type="password" autocomplete="current-password" required>
<button type="submit">Open the queue board</button></form></main></body></html>`;

export function queueBoardRouter(options: { apiKeys: readonly ApiKeyEntry[]; queues: () => readonly Queue[] }): Router {
  const router = Router();
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(QUEUE_BOARD_PATH);
  createBullBoard({ queues: options.queues().map((queue) => new BullMQAdapter(queue)), serverAdapter, options: { uiConfig: { boardTitle: 'SMC bridge queues' } } });

  router.get('/admin/login', (_req, res) => {
    res.type('html').send(LOGIN_PAGE());
  });
  router.post('/admin/login', express.urlencoded({ extended: false, limit: '4kb', verify: verifyUtf8 }), (req: Request, res: Response) => {
    const key = typeof (req.body as { key?: unknown } | undefined)?.key === 'string' ? (req.body as { key: string }).key : '';
    const identification = identify(options.apiKeys, { authorization: `Bearer ${key}` });
    if (!('caller' in identification) || identification.caller.scope !== 'operator') {
      res.status(401).type('html').send(LOGIN_PAGE('That is not an operator key.'));
      return;
    }
    res.cookie(COOKIE, key, { httpOnly: true, sameSite: 'strict', path: '/admin', secure: req.secure });
    res.redirect(303, `${QUEUE_BOARD_PATH}/`);
  });
  router.use(QUEUE_BOARD_PATH, requireOperator(options.apiKeys), serverAdapter.getRouter() as express.Router);
  return router;
}
