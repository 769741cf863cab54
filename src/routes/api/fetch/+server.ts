// GET/HEAD /api/fetch?url=<http(s) URL>: streams a remote dataset to the page through the
// SSRF-safe proxy in $lib/server/fetch (which holds all the logic and its tests). Settings come
// from the environment at request time: SLUICE_FETCH_ALLOW, SLUICE_FETCH_MAX_BYTES,
// SLUICE_FETCH_TIMEOUT_MS, SLUICE_FETCH_HEADERS_TIMEOUT_MS.

import { env } from '$env/dynamic/private';
import { loadFetchConfig, type FetchConfig } from '$lib/server/fetch/config';
import { proxyErrors } from '$lib/server/fetch/errors';
import { errorResponse, proxyFetch } from '$lib/server/fetch/proxy';
import type { RequestHandler } from './$types';

function handle(method: 'GET' | 'HEAD'): RequestHandler {
	return ({ url, request }) => {
		let config: FetchConfig;
		try {
			config = loadFetchConfig(env);
		} catch (error) {
			console.error(`[sluice /api/fetch] ${(error as Error).message}`);
			return errorResponse(proxyErrors.badConfig('The fetch proxy', (error as Error).message));
		}
		return proxyFetch(
			{ target: url.searchParams.get('url'), method, headers: request.headers },
			{ config }
		);
	};
}

export const GET = handle('GET');
export const HEAD = handle('HEAD');
