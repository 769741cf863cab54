import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyAddress, embeddedIpv4, formatIp, parseCidr, parseIp } from './address-policy';
import {
	allowsAddress,
	allowsHost,
	loadFetchConfig,
	parseAllowlist,
	parseByteSize
} from './config';

describe('address policy', () => {
	it('allows public IPv4 and global IPv6 addresses', () => {
		for (const a of ['93.184.215.14', '8.8.8.8', '1.1.1.1', '2606:4700::1111', '2a00:1450::1'])
			expect(classifyAddress(a), a).toBeUndefined();
	});

	it('allows a public IPv4 address in its mapped and NAT64 IPv6 forms', () => {
		expect(classifyAddress('::ffff:8.8.8.8')).toBeUndefined();
		expect(classifyAddress('64:ff9b::808:808')).toBeUndefined();
	});

	it('judges every spelling of an IPv4-mapped address as its IPv4 address', () => {
		for (const a of [
			'::ffff:10.0.0.1',
			'::ffff:a00:1',
			'0:0:0:0:0:ffff:0a00:0001',
			'::FFFF:10.0.0.1',
			'[::ffff:10.0.0.1]'
		])
			expect(classifyAddress(a)?.cidr, a).toBe('10.0.0.0/8');
	});

	it('refuses IPv6 outside global unicast and strips a zone id before judging', () => {
		expect(classifyAddress('4000::1')?.cidr).toBe('2000::/3');
		expect(classifyAddress('fe80::1%eth0')?.label).toContain('link-local');
	});

	it('marks the unspecified and metadata addresses as hard refusals', () => {
		for (const a of ['0.0.0.0', '::', '169.254.169.254', 'fd00:ec2::254', '::ffff:169.254.169.254'])
			expect(classifyAddress(a)?.hard, a).toBe(true);
		expect(classifyAddress('10.0.0.1')?.hard).toBe(false);
	});

	it('round-trips any IPv4 or IPv6 byte string through text', () => {
		fc.assert(
			fc.property(
				fc.oneof(
					fc.uint8Array({ minLength: 4, maxLength: 4 }),
					fc.uint8Array({ minLength: 16, maxLength: 16 })
				),
				(bytes) => {
					expect(parseIp(formatIp(bytes))).toEqual(bytes);
				}
			),
			{ seed: 7 }
		);
	});

	it('refuses a private IPv4 address in every IPv6 form that embeds it', () => {
		fc.assert(
			fc.property(fc.integer({ min: 0, max: 0xffffff }), (n) => {
				const v4 = `10.${n >> 16}.${(n >> 8) & 0xff}.${n & 0xff}`;
				const hex = ((n & 0xffff) >>> 0).toString(16);
				const hi = (0x0a00 | (n >> 16)).toString(16);
				for (const form of [`::ffff:${v4}`, `64:ff9b::${v4}`, `2002:${hi}:${hex}::1`, `::${v4}`])
					expect(classifyAddress(form), form).toBeDefined();
				expect(embeddedIpv4(parseIp(`::ffff:${v4}`)!)).toEqual(parseIp(v4));
			}),
			{ seed: 11 }
		);
	});

	it('parses CIDRs and refuses malformed ones', () => {
		expect(parseCidr('10.0.0.0/8')?.prefix).toBe(8);
		expect(parseCidr('fd00::/8')?.bytes.length).toBe(16);
		expect(parseCidr('127.0.0.1')?.prefix).toBe(32);
		for (const bad of ['10.0.0.0/33', '10.0.0/8', 'fd00::/129', '1.2.3.4/8/1', 'x/8'])
			expect(parseCidr(bad), bad).toBeUndefined();
	});
});

describe('fetch proxy settings', () => {
	it('trusts the allowlisted networks, host names and *. suffixes only', () => {
		const allow = parseAllowlist('127.0.0.1/32, 10.0.0.0/8,data.internal,*.corp.example');
		expect(allowsAddress(allow, '127.0.0.1')).toBe(true);
		expect(allowsAddress(allow, '::ffff:127.0.0.1')).toBe(true);
		expect(allowsAddress(allow, '127.0.0.2')).toBe(false);
		expect(allowsAddress(allow, '10.200.0.1')).toBe(true);
		expect(allowsHost(allow, 'DATA.internal.')).toBe(true);
		expect(allowsHost(allow, 'x.data.internal')).toBe(false);
		expect(allowsHost(allow, 'files.corp.example')).toBe(true);
		expect(allowsHost(allow, 'corp.example.evil')).toBe(false);
	});

	it('names the variable and the entry when the allowlist is malformed', () => {
		expect(() => parseAllowlist('10.0.0.0/8,not a host')).toThrow(
			/SLUICE_FETCH_ALLOW: "not a host"/
		);
	});

	it('reads sizes with units and refuses nonsense naming the variable', () => {
		expect(parseByteSize('2GiB', 'X')).toBe(2 * 1024 ** 3);
		expect(parseByteSize('500MB', 'X')).toBe(500e6);
		expect(parseByteSize('1024', 'X')).toBe(1024);
		expect(() => loadFetchConfig({ SLUICE_FETCH_MAX_BYTES: 'lots' })).toThrow(
			/SLUICE_FETCH_MAX_BYTES/
		);
		expect(() => loadFetchConfig({ SLUICE_FETCH_TIMEOUT_MS: '-5' })).toThrow(
			/SLUICE_FETCH_TIMEOUT_MS/
		);
	});

	it('defaults to a 2 GiB size cap, a 120 s time cap and 5 redirects', () => {
		const c = loadFetchConfig({});
		expect([c.maxBytes, c.timeoutMs, c.maxRedirects]).toEqual([2 * 1024 ** 3, 120_000, 5]);
		expect(c.allow.cidrs).toEqual([]);
	});
});
