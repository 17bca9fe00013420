// The server's REST API, with the sign-in token kept in this browser only.
const TOKEN_KEY = 'kindred.token';

/** An API answer that is not a success, with the server's own words (ProblemDetails) when it gave any. */
export class ApiError extends Error {
  constructor(status, message, problem) {
    super(message);
    this.status = status;
    this.problem = problem;
  }
}

export const session = {
  get token() { return localStorage.getItem(TOKEN_KEY); },
  set token(value) {
    if (value) localStorage.setItem(TOKEN_KEY, value);
    else localStorage.removeItem(TOKEN_KEY);
  },
};

function describeProblem(status, problem) {
  if (problem?.errors) {
    return Object.values(problem.errors).flat().join(' ');
  }
  if (problem?.title) {
    return problem.detail ? `${problem.title} ${problem.detail}` : problem.title;
  }
  if (status === 429) return 'Too many requests; wait a moment and try again.';
  if (status === 401) return 'Please sign in again.';
  return `The server answered ${status}.`;
}

/**
 * Calls the API. Resolves with the parsed JSON (or null for 204); rejects with ApiError.
 * A 401 on a signed-in call signs the person out, as the token is no longer good.
 */
export async function api(method, path, body, { signal, raw = false } = {}) {
  const headers = { Accept: 'application/json' };
  if (session.token) headers.Authorization = `Bearer ${session.token}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal });
  } catch (error) {
    if (error.name === 'AbortError') throw error;
    throw new ApiError(0, 'The server cannot be reached. Is kindred serve running?');
  }
  if (response.ok) {
    if (raw) return response;
    if (response.status === 204) return null;
    const type = response.headers.get('content-type') ?? '';
    return type.includes('json') ? response.json() : response.text();
  }
  let problem = null;
  try { problem = await response.json(); } catch { /* not JSON */ }
  if (response.status === 401 && session.token) {
    session.token = null;
    window.dispatchEvent(new Event('kindred:signed-out'));
  }
  throw new ApiError(response.status, describeProblem(response.status, problem), problem);
}

/** Like api(), but a 404 (a route this server does not have yet, or a thing that is gone) resolves to null. */
export async function apiOptional(method, path, body) {
  try {
    return await api(method, path, body);
  } catch (error) {
    if (error instanceof ApiError && (error.status === 404 || error.status === 405)) return null;
    throw error;
  }
}

export const companionPath = (id, rest = '') => `/api/companions/${encodeURIComponent(id)}${rest}`;
