// Installed apps: a built DHIS2 platform app (`build/app/` of `d2-app-scripts build`) served at
// `/api/apps/<key>/` as DHIS2 serves an installed app (dhis2-core 2.41 webapi/controller/AppController.java
// renderApp/serveResource, appmanager/App.java, DefaultAppManager.java, JCloudsAppStorageService.java):
// - `<key>` is App.getUrlFriendlyName: the manifest's short_name without characters other than letters,
//   digits, spaces and `-`, spaces as `-`. An app the user may not see (ALL, M_dhis-web-app-management or
//   App.getSeeAppAuthority = `M_` + short_name with only letters, digits and spaces, spaces as `_`) is 404
//   "App '<key>' not found.", as is an unknown one.
// - `/api/apps/<key>` redirects (302) to `<baseUrl>/`; a path ending in `/` serves its `index.html`; a
//   directory redirects to itself with `/`; a missing file is 404 (HttpServletResponse.sendError).
// - `index.html` and `plugin.html` are rewritten line by line, `__DHIS2_BASE_URL__` → the context path
//   (`http://host:port`, HttpServletRequestPaths.getContextPath) and `__DHIS2_APP_ROOT_URL__` → the app's
//   base URL, each line ended with `\n` (PrintWriter.println); every other file goes out byte for byte.
// - `manifest.webapp` is not the file: DefaultAppManager.handlingManifest writes the App object as JSON,
//   `activities.dhis.href` set to the context path, with no Content-Type.
// - Content-Type: ServletContext.getMimeType, i.e. Tomcat 9.0.111's conf/web.xml (the 2.41 image's base,
//   dhis-web-portal pom `jib.from.image`): `.js` text/javascript, fonts font/*, `.svg` image/svg+xml …; an
//   extension it does not map (`.webmanifest`, `.map`, `.webapp`) gets none.
// - Caching: `Last-Modified` from the file and 304 for a matching If-Modified-Since (checkNotModified);
//   2.42+ adds `Cache-Control: no-cache, no-store, max-age=0, must-revalidate` to `.html` and `/` paths
//   (AppHtmlNoCacheFilter). No other cache header.
// `GET /api/apps` lists the apps the user may see (App JSON); `/dhis-web-commons/menu/getModules.action`
// (GetModulesAction, Module.getModule, jsonModules.vm) and `/api/apps/menu` list them as header bar modules.
// Not modelled: installing (POST /api/apps), bundled/core apps, the 2.41 global shell (GlobalShellFilter),
// AppOverrideFilter.
import { readFileSync, statSync } from 'node:fs';
import { basename, extname, join, normalize, sep } from 'node:path';
import { headerValue, isSuperuser, type Dhis2User } from './auth.js';
import type { Dhis2Response } from './types.js';
import { errorMessage, jsonResponse } from './web-message.js';

export interface InstalledAppOptions {
  /** The built app's folder (`build/app/`): index.html, manifest.webapp, assets … */
  directory: string;
  /** Its short name (and so its key in `/api/apps/<key>/`); default: manifest.webapp's short_name, else the folder's name. */
  name?: string;
}

/** Tomcat 9.0.111 conf/web.xml mime-mappings for the files a built app holds. */
const MIME_TYPES: Record<string, string> = {
  '.css': 'text/css',
  '.csv': 'text/csv',
  '.eot': 'application/vnd.ms-fontobject',
  '.gif': 'image/gif',
  '.htm': 'text/html',
  '.html': 'text/html',
  '.ico': 'image/x-icon',
  '.jpeg': 'image/jpeg',
  '.jpg': 'image/jpeg',
  '.js': 'text/javascript',
  '.json': 'application/json',
  '.mjs': 'text/javascript',
  '.otf': 'font/otf',
  '.pdf': 'application/pdf',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain',
  '.wasm': 'application/wasm',
  '.webp': 'image/webp',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.xml': 'application/xml',
  '.zip': 'application/zip',
};

export function mimeTypeOf(filename: string): string | undefined {
  return MIME_TYPES[extname(filename).toLowerCase()];
}

/** App.getUrlFriendlyName. */
export function urlFriendlyName(shortName: string): string {
  return shortName.trim().replace(/[^A-Za-z0-9\s-]/g, '').replace(/\s+/g, '-');
}

/** App.getSeeAppAuthority for an installed (not bundled) app: `smc-clinic` → `M_smcclinic`. */
export function seeAppAuthority(shortName: string): string {
  return `M_${shortName.trim().replace(/[^a-zA-Z0-9\s]/g, '').replace(/\s+/g, '_')}`;
}

/** RFC 7231 date, second precision (what Last-Modified carries). */
function httpDate(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toUTCString();
}

const NO_STORE = 'no-cache, no-store, max-age=0, must-revalidate';

export class InstalledApp {
  readonly shortName: string;
  readonly key: string;
  readonly manifest: Record<string, unknown>;

  constructor(readonly directory: string, name?: string) {
    let manifest: Record<string, unknown> = {};
    try {
      const parsed = JSON.parse(readFileSync(join(directory, 'manifest.webapp'), 'utf8')) as unknown;
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) manifest = parsed as Record<string, unknown>;
    } catch {
      manifest = {};
    }
    this.shortName = name ?? (typeof manifest['short_name'] === 'string' ? manifest['short_name'] : basename(normalize(directory)));
    this.key = urlFriendlyName(this.shortName);
    this.manifest = { appType: 'APP', launch_path: 'index.html', name: this.shortName, ...manifest, short_name: this.shortName };
  }

  get displayName(): string {
    return typeof this.manifest['name'] === 'string' ? this.manifest['name'] : this.shortName;
  }

  get launchPath(): string | undefined {
    return typeof this.manifest['launch_path'] === 'string' ? this.manifest['launch_path'] : undefined;
  }

  /** DefaultAppManager.isAccessible. */
  isAccessibleTo(user: Dhis2User): boolean {
    return isSuperuser(user) || user.authorities.includes('M_dhis-web-app-management') || user.authorities.includes(seeAppAuthority(this.shortName));
  }

  /** App.init: `<contextPath>/api/apps/<key>`. */
  baseUrl(contextPath: string): string {
    return `${contextPath}/api/apps/${this.key}`;
  }

  /** The App object as `/api/apps` and manifest.webapp show it (null fields left out). */
  appJson(contextPath: string): Record<string, unknown> {
    const m = this.manifest;
    const baseUrl = this.baseUrl(contextPath);
    const activities = (m['activities'] ?? {}) as Record<string, unknown>;
    const dhis = (activities['dhis'] ?? {}) as Record<string, unknown>;
    const launchPath = this.launchPath;
    const pluginLaunchPath = typeof m['plugin_launch_path'] === 'string' ? m['plugin_launch_path'] : undefined;
    return {
      version: m['version'],
      name: this.displayName,
      appType: m['appType'],
      launch_path: launchPath,
      plugin_launch_path: pluginLaunchPath,
      plugin_type: m['plugin_type'],
      installs_allowed_from: m['installs_allowed_from'],
      default_locale: m['default_locale'],
      short_name: this.shortName,
      description: m['description'],
      app_hub_id: m['app_hub_id'],
      icons: m['icons'],
      developer: m['developer'],
      activities: { ...activities, dhis: { ...dhis, href: contextPath } },
      folderName: `apps/${this.key}`,
      launchUrl: launchPath !== undefined ? `${baseUrl}/${launchPath.replace(/^\/+/, '')}` : undefined,
      pluginLaunchUrl: pluginLaunchPath !== undefined ? `${baseUrl}/${pluginLaunchPath.replace(/^\/+/, '')}` : undefined,
      baseUrl,
      appStorageSource: 'JCLOUDS',
      authorities: Array.isArray(m['authorities']) ? m['authorities'] : [],
      appState: 'OK',
      settings: m['settings'],
      key: this.key,
      bundled: false,
      core_app: m['core_app'] === true,
    };
  }

  /** Module.getModule, as jsonModules.vm writes it (an absent icon or description as DHIS2 fills them). */
  module(contextPath: string): Record<string, string> | undefined {
    if (this.manifest['appType'] !== 'APP' || this.launchPath === undefined) return undefined;
    const icons = (this.manifest['icons'] ?? {}) as Record<string, unknown>;
    const icon48 = typeof icons['48'] === 'string' ? icons['48'] : undefined;
    const description = typeof this.manifest['description'] === 'string' ? this.manifest['description'].slice(0, 80) : '';
    return {
      name: this.shortName,
      namespace: this.shortName,
      defaultAction: this.appJson(contextPath)['launchUrl'] as string,
      displayName: this.displayName,
      icon: icon48 !== undefined ? `${this.baseUrl(contextPath)}/${icon48}` : `../icons/${this.shortName}.png`,
      description,
    };
  }

  /** A file of the app: `resource` is what follows `/api/apps/<key>` ('' or '/…'), still URL-encoded. */
  serve(resource: string, request: { headers?: Record<string, string | undefined>; path: string }, contextPath: string, minorVersion: number): Dhis2Response {
    const baseUrl = this.baseUrl(contextPath);
    if (resource === '') return { status: 302, headers: { location: `${baseUrl}/` }, body: '' };
    if (resource.endsWith('manifest.webapp')) return { status: 200, headers: {}, body: JSON.stringify(this.appJson(contextPath)) };
    let relative: string;
    try {
      relative = decodeURIComponent(resource.replace(/^[a-z]+:\/+/i, ''));
    } catch {
      return notFoundPage();
    }
    const wanted = relative.endsWith('/') ? `${relative}index.html` : relative;
    const file = normalize(join(this.directory, wanted));
    if (file !== normalize(this.directory) && !file.startsWith(normalize(this.directory) + sep)) return notFoundPage();
    let stats;
    try {
      stats = statSync(file);
    } catch {
      return notFoundPage();
    }
    if (stats.isDirectory()) return { status: 302, headers: { location: `${baseUrl}${relative}/` }, body: '' };
    const headers: Record<string, string> = { 'last-modified': httpDate(stats.mtimeMs) };
    if (minorVersion >= 42 && /\/(dhis-web-|apps).*(\.html|\/)$/.test(request.path)) headers['cache-control'] = NO_STORE;
    const since = headerValue(request.headers, 'if-modified-since');
    if (since !== undefined && !Number.isNaN(Date.parse(since)) && Math.floor(stats.mtimeMs / 1000) * 1000 <= Date.parse(since)) {
      return { status: 304, headers, body: '' };
    }
    const type = mimeTypeOf(file);
    if (type) headers['content-type'] = type;
    const name = basename(file);
    if (name.endsWith('index.html') || name.endsWith('plugin.html')) {
      const text = readFileSync(file, 'utf8');
      const lines = text.split(/\r\n|\n|\r/);
      if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
      const body = lines.map((line) => `${line.replaceAll('__DHIS2_BASE_URL__', contextPath).replaceAll('__DHIS2_APP_ROOT_URL__', baseUrl)}\n`).join('');
      const bytes = Buffer.from(body, 'utf8');
      return { status: 200, headers: { ...headers, 'content-length': String(bytes.length) }, body, rawBody: bytes };
    }
    const bytes = readFileSync(file);
    return { status: 200, headers: { ...headers, 'content-length': String(bytes.length) }, body: '', rawBody: bytes };
  }
}

function notFoundPage(): Dhis2Response {
  return { status: 404, headers: { 'content-type': 'text/html;charset=utf-8' }, body: '<!doctype html><html><head><title>HTTP Status 404 – Not Found</title></head><body><h1>HTTP Status 404 – Not Found</h1></body></html>' };
}

export class InstalledApps {
  readonly apps: InstalledApp[];

  constructor(options: readonly InstalledAppOptions[] = []) {
    this.apps = options.map((option) => new InstalledApp(option.directory, option.name));
  }

  /** DefaultAppManager.getApp: by key, then by short name, among those the user may see. */
  find(name: string, user: Dhis2User): InstalledApp | undefined {
    const visible = this.apps.filter((app) => app.isAccessibleTo(user));
    return visible.find((app) => app.key === name) ?? visible.find((app) => app.shortName === name);
  }

  /** `GET /api/apps[?key=…][&filter=…]`. */
  list(user: Dhis2User, contextPath: string, query: { key?: string; filters: string[] }): Dhis2Response {
    let apps = this.apps.filter((app) => app.isAccessibleTo(user));
    if (query.key !== undefined) {
      const found = this.find(query.key, user);
      if (!found) return { status: 404, headers: {}, body: '' };
      apps = [found];
    }
    for (const filter of query.filters) {
      const [field = '', operator = '', ...rest] = filter.split(':');
      const value = rest.join(':');
      if (rest.length === 0) return errorMessage(409, `Invalid filter: ${filter}`);
      const test = (text: string | undefined) =>
        operator === 'ilike' ? (text ?? '').toLowerCase().includes(value.toLowerCase()) : operator === 'like' ? (text ?? '').includes(value) : text === value;
      if (field === 'appType') apps = apps.filter((app) => String(app.manifest['appType']).toUpperCase() === value.toUpperCase());
      else if (field === 'name') apps = apps.filter((app) => test(app.displayName));
      else if (field === 'shortName') apps = apps.filter((app) => test(app.shortName));
      else if (field === 'bundled') apps = value.toLowerCase() === 'true' ? [] : apps;
    }
    return jsonResponse(200, apps.map((app) => app.appJson(contextPath)));
  }

  /** The header bar modules of the apps the user may see (getAccessibleMenuModulesAndApps, without DHIS2's own). */
  modules(user: Dhis2User, contextPath: string): Record<string, string>[] {
    return this.apps
      .filter((app) => app.isAccessibleTo(user))
      .map((app) => app.module(contextPath))
      .filter((module): module is Record<string, string> => module !== undefined);
  }
}
