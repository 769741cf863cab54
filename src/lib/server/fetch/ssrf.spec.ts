import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFetchConfig } from './config';
import { dialHttp, type DialRequest, type Dialer } from './dial';
import { proxyFetch } from './proxy';
import { startDataServer, type DataServer } from './testing/data-server';
import type { Resolver } from './vet';

// SSRF probes with the allowlist OFF: each is refused with a clear `{ error, code }` and no
// connection is made — the dialer is a spy that must never be called, and where a probe can name
// a port, a real loopback server on that port counts connections.

const PUBLIC_IP = '93.184.215.14';
const TEST_DNS: Record<string, string[]> = {
	'public.test': [PUBLIC_IP],
	'intranet.test': ['10.1.2.3'],
	'mixed.test': [PUBLIC_IP, '192.168.0.7'],
	'v6-private.test': ['fd12:3456::1'],
	'rebind.test': ['::ffff:169.254.169.254'],
	'two.test': ['2606:4700::1111', PUBLIC_IP]
};

function probeDeps(dial?: Dialer) {
	const dialed: DialRequest[] = [];
	const resolved: string[] = [];
	const resolve: Resolver = async (host) => {
		resolved.push(host);
		const addresses = TEST_DNS[host];
		if (!addresses) throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
		return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));
	};
	const spy: Dialer = (req) => {
		dialed.push(req);
		if (dial) return dial(req);
		throw new Error(`dialed ${req.address} for ${req.url.href}`);
	};
	const config = loadFetchConfig({});
	return { dialed, resolved, deps: { config, resolve, dial: spy, log: () => {} } };
}

async function probe(target: string, dial?: Dialer) {
	const p = probeDeps(dial);
	const res = await proxyFetch({ target, method: 'GET', headers: new Headers() }, p.deps);
	const json = res.headers.get('content-type')?.includes('json');
	const body = json ? await res.json() : await res.body?.cancel();
	return { ...p, status: res.status, body };
}

const REFUSED: [string, number, string, string][] = [
	// url, status, code, text the message must contain
	['http://127.0.0.1', 403, 'refused_address', 'loopback'],
	['http://localhost', 403, 'refused_host', 'loopback'],
	['http://LOCALHOST./x', 403, 'refused_host', 'loopback'],
	['http://app.localhost', 403, 'refused_host', 'loopback'],
	['http://[::1]', 403, 'refused_address', 'loopback'],
	['http://[::ffff:127.0.0.1]', 403, 'refused_address', 'IPv4-mapped'],
	['http://[::ffff:7f00:1]', 403, 'refused_address', 'loopback'],
	['http://[::127.0.0.1]', 403, 'refused_address', 'IPv4-compatible'],
	['http://[64:ff9b::10.0.0.1]', 403, 'refused_address', 'NAT64'],
	['http://[2002:c0a8:101::1]', 403, 'refused_address', '6to4'],
	['http://10.0.0.1', 403, 'refused_address', 'private'],
	['http://192.168.1.1', 403, 'refused_address', 'private'],
	['http://172.16.0.1', 403, 'refused_address', 'private'],
	['http://172.31.255.254', 403, 'refused_address', 'private'],
	['http://100.64.0.1', 403, 'refused_address', 'carrier-grade NAT'],
	['http://169.254.169.254/latest/meta-data', 403, 'refused_address', 'metadata'],
	['http://169.254.1.1', 403, 'refused_address', 'link-local'],
	['http://[fe80::1]', 403, 'refused_address', 'link-local'],
	['http://[fd00:ec2::254]/latest', 403, 'refused_address', 'metadata'],
	['http://[fc00::1]', 403, 'refused_address', 'unique-local'],
	['http://[ff02::1]', 403, 'refused_address', 'multicast'],
	['http://224.0.0.1', 403, 'refused_address', 'multicast'],
	['http://255.255.255.255', 403, 'refused_address', 'broadcast'],
	['http://240.0.0.1', 403, 'refused_address', 'reserved'],
	['http://0.0.0.0', 403, 'refused_address', 'unspecified'],
	['http://0', 403, 'refused_address', 'unspecified'],
	['http://[::]', 403, 'refused_address', 'unspecified'],
	['http://2130706433', 403, 'refused_address', '127.0.0.1'],
	['http://0x7f.1', 403, 'refused_address', '127.0.0.1'],
	['http://0177.0.0.1', 403, 'refused_address', '127.0.0.1'],
	['http://127.1', 403, 'refused_address', '127.0.0.1'],
	['http://metadata.google.internal/computeMetadata/v1/', 403, 'refused_host', 'metadata'],
	['http://metadata.google.internal./', 403, 'refused_host', 'metadata'],
	['http://metadata/', 403, 'refused_host', 'metadata'],
	['http://intranet.test/data.csv', 403, 'refused_address', 'intranet.test resolves to 10.1.2.3'],
	['http://mixed.test/', 403, 'refused_address', '192.168.0.7'],
	['http://v6-private.test/', 403, 'refused_address', 'unique-local'],
	['http://rebind.test/', 403, 'refused_address', 'metadata'],
	['file:///etc/passwd', 400, 'bad_scheme', 'only http and https'],
	['gopher://x', 400, 'bad_scheme', 'not gopher'],
	['ftp://x', 400, 'bad_scheme', 'not ftp'],
	['javascript:alert(1)', 400, 'bad_scheme', 'only http and https'],
	['http://user:pass@public.test/', 400, 'credentials_in_url', 'never forwards credentials'],
	['not a url', 400, 'bad_url', 'not a valid URL']
];

describe('SSRF probes with the allowlist off', () => {
	for (const [url, status, code, text] of REFUSED) {
		it(`refuses ${url} with ${status} ${code} and never connects`, async () => {
			const r = await probe(url);
			expect(r.status).toBe(status);
			expect(r.body.code).toBe(code);
			expect(r.body.error).toContain(text);
			expect(r.dialed).toEqual([]);
		});
	}

	it('does not ask DNS about localhost or metadata names at all', async () => {
		for (const url of ['http://localhost', 'http://metadata.google.internal']) {
			expect((await probe(url)).resolved).toEqual([]);
		}
	});

	it('answers 400 with a hint when the url parameter is missing', async () => {
		const { deps } = probeDeps();
		const res = await proxyFetch({ target: null, method: 'GET', headers: new Headers() }, deps);
		expect(res.status).toBe(400);
		expect(await res.json()).toMatchObject({ code: 'missing_url' });
	});

	it('reports a name that does not resolve as 502 dns_failed', async () => {
		const r = await probe('http://nowhere.test/');
		expect(r.status).toBe(502);
		expect(r.body).toMatchObject({ code: 'dns_failed' });
		expect(r.body.error).toContain(
			'could not resolve the host nowhere.test (the host name does not exist (DNS) (ENOTFOUND))'
		);
	});
});

describe('SSRF probes against a listening loopback server', () => {
	let v4: DataServer;
	beforeAll(async () => {
		v4 = await startDataServer('127.0.0.1');
	});
	afterAll(() => v4.close());

	it('makes no connection for any spelling of the loopback address with the real dialer', async () => {
		const p = v4.port;
		const urls = [
			`http://127.0.0.1:${p}/data`,
			`http://localhost:${p}/data`,
			`http://[::ffff:127.0.0.1]:${p}/data`,
			`http://2130706433:${p}/data`,
			`http://0x7f.1:${p}/data`,
			`http://0.0.0.0:${p}/data`,
			`http://127.000.000.001:${p}/data`
		];
		for (const url of urls) {
			const r = await probe(url, dialHttp);
			expect(r.status, url).toBe(403);
			expect(r.dialed, url).toEqual([]);
		}
		expect(v4.connections).toBe(0);
	});

	it('makes no connection to an IPv6 loopback server for [::1] or its long spelling', async () => {
		let v6: DataServer;
		try {
			v6 = await startDataServer('::1');
		} catch (error) {
			// A host without IPv6 loopback cannot run this probe; the spy-dialer probes above still do.
			console.warn(`no ::1 here (${String(error)}); IPv6 connection count not checked`);
			return;
		}
		try {
			for (const host of ['[::1]', '[0:0:0:0:0:0:0:1]', '[::ffff:127.0.0.1]']) {
				const r = await probe(`http://${host}:${v6.port}/data`, dialHttp);
				expect(r.status, host).toBe(403);
			}
			expect(v6.connections).toBe(0);
		} finally {
			await v6.close();
		}
	});

	it('tries the next vetted address of a host when the first refuses the connection', async () => {
		const dial: Dialer = (req) =>
			req.address === PUBLIC_IP
				? dialHttp({ ...req, address: '127.0.0.1', family: 4 })
				: Promise.reject(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' }));
		const r = await probe(`http://two.test:${v4.port}/data?bytes=10`, dial);
		expect(r.status).toBe(200);
		expect(r.dialed.map((d) => d.address)).toEqual(['2606:4700::1111', PUBLIC_IP]);
	});

	it('refuses a public-looking URL that redirects to a private one, without following it', async () => {
		// public.test resolves (for the checker) to a public address; the dialer routes that
		// address to the loopback server, which redirects to loopback itself.
		const routeToLoopback: Dialer = (req) => dialHttp({ ...req, address: '127.0.0.1', family: 4 });
		for (const location of [
			`http://127.0.0.1:${v4.port}/data`,
			`http://intranet.test:${v4.port}/data`,
			'http://[::ffff:10.0.0.1]/'
		]) {
			v4.paths.length = 0;
			const target = `http://public.test:${v4.port}/to?location=${encodeURIComponent(location)}`;
			const r = await probe(target, routeToLoopback);
			expect(r.status, location).toBe(403);
			expect(r.body.code, location).toBe('refused_address');
			expect(r.dialed.map((d) => d.address)).toEqual([PUBLIC_IP]);
			expect(v4.paths.filter((path) => path.startsWith('/data'))).toEqual([]);
		}
	});
});
