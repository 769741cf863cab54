// Which IP addresses the fetch proxy may connect to. Addresses are parsed into bytes (validated
// with node:net isIP first), so every spelling of one address — `::ffff:7f00:1`,
// `::ffff:127.0.0.1`, `0:0:0:0:0:ffff:7f00:0001` — is judged the same. IPv6 forms that carry an
// IPv4 address (mapped, compatible, NAT64 64:ff9b::/96, 6to4 2002::/16) are judged by the IPv4
// address inside. Only global unicast space is allowed; the table below names every refused
// range so a refusal says why. "Hard" ranges (unspecified, cloud metadata) are refused even when
// SLUICE_FETCH_ALLOW covers them.

import { isIP } from 'node:net';

/** A network: its address bytes (4 or 16) and prefix length. */
export interface Cidr {
	readonly bytes: Uint8Array;
	readonly prefix: number;
	readonly text: string;
}

/** Why an address is refused: a description and the range it falls in. */
export interface Refusal {
	/** e.g. "a private address" */
	readonly label: string;
	/** The refused range, e.g. "10.0.0.0/8". */
	readonly cidr: string;
	/** Refused even when the allowlist covers it. */
	readonly hard: boolean;
}

/** Parses an IPv4 or IPv6 address (brackets and an IPv6 zone id allowed) into 4 or 16 bytes. */
export function parseIp(text: string): Uint8Array | undefined {
	let t = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
	const version = isIP(t);
	if (version === 4) return Uint8Array.from(t.split('.').map(Number));
	if (version !== 6) return undefined;
	t = t.replace(/%.*$/, '');
	const bytes = new Uint8Array(16);
	let tail: number[] = [];
	const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(t);
	if (v4) {
		tail = v4[1].split('.').map(Number);
		t = t.slice(0, -v4[1].length) + '0:0';
	}
	const [head, rest] = t.includes('::') ? t.split('::') : [t, undefined];
	const groups = (s: string) => (s === '' ? [] : s.split(':').map((g) => parseInt(g, 16)));
	const left = groups(head);
	const right = rest === undefined ? [] : groups(rest);
	const words = [...left, ...new Array(8 - left.length - right.length).fill(0), ...right];
	words.forEach((w, i) => {
		bytes[i * 2] = w >> 8;
		bytes[i * 2 + 1] = w & 0xff;
	});
	if (tail.length) bytes.set(tail, 12);
	return bytes;
}

/** Formats 4 bytes as dotted quad; 16 bytes as a (non-compressed) IPv6 text. */
export function formatIp(bytes: Uint8Array): string {
	if (bytes.length === 4) return bytes.join('.');
	const words: string[] = [];
	for (let i = 0; i < 16; i += 2) words.push(((bytes[i] << 8) | bytes[i + 1]).toString(16));
	return words.join(':');
}

/** Parses "a.b.c.d/n", "v6/n" or a bare address (a /32 or /128 network). */
export function parseCidr(text: string): Cidr | undefined {
	const [addr, len, extra] = text.trim().split('/');
	if (extra !== undefined) return undefined;
	const bytes = parseIp(addr);
	if (!bytes) return undefined;
	const max = bytes.length * 8;
	const prefix = len === undefined ? max : /^\d+$/.test(len) ? Number(len) : NaN;
	if (!(prefix >= 0 && prefix <= max)) return undefined;
	return { bytes, prefix, text: text.trim() };
}

/** True when `bytes` lies inside `cidr` (same family only). */
export function inCidr(bytes: Uint8Array, cidr: Cidr): boolean {
	if (bytes.length !== cidr.bytes.length) return false;
	let bits = cidr.prefix;
	for (let i = 0; bits > 0; i++, bits -= 8) {
		const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
		if ((bytes[i] & mask) !== (cidr.bytes[i] & mask)) return false;
	}
	return true;
}

interface Rule {
	readonly cidr: Cidr;
	readonly label: string;
	readonly hard?: boolean;
}

const rule = (text: string, label: string, hard = false): Rule => ({
	cidr: parseCidr(text)!,
	label,
	hard
});

// Order matters: the first match names the refusal, so specific ranges come first.
const V4_RULES: readonly Rule[] = [
	rule('169.254.169.254/32', 'a cloud metadata address', true),
	rule('168.63.129.16/32', 'a cloud metadata address (Azure)', true),
	rule('100.100.100.200/32', 'a cloud metadata address (Alibaba)', true),
	rule('0.0.0.0/8', 'the unspecified "this network" range', true),
	rule('127.0.0.0/8', 'a loopback address'),
	rule('10.0.0.0/8', 'a private address'),
	rule('172.16.0.0/12', 'a private address'),
	rule('192.168.0.0/16', 'a private address'),
	rule('100.64.0.0/10', 'a carrier-grade NAT (shared) address'),
	rule('169.254.0.0/16', 'a link-local address'),
	rule('192.0.0.0/24', 'an IETF protocol address'),
	rule('192.0.2.0/24', 'a documentation address'),
	rule('198.51.100.0/24', 'a documentation address'),
	rule('203.0.113.0/24', 'a documentation address'),
	rule('192.88.99.0/24', 'a 6to4 relay anycast address'),
	rule('198.18.0.0/15', 'a benchmarking address'),
	rule('224.0.0.0/4', 'a multicast address'),
	rule('255.255.255.255/32', 'the broadcast address'),
	rule('240.0.0.0/4', 'a reserved address')
];

const V6_RULES: readonly Rule[] = [
	rule('::/128', 'the unspecified address', true),
	rule('fd00:ec2::254/128', 'a cloud metadata address', true),
	rule('::1/128', 'a loopback address'),
	rule('64:ff9b:1::/48', 'a local-use NAT64 address'),
	rule('100::/64', 'a discard-only address'),
	rule('2001::/32', 'a Teredo tunnel address'),
	rule('2001:db8::/32', 'a documentation address'),
	rule('2001:2::/48', 'a benchmarking address'),
	rule('fc00::/7', 'a unique-local (private) address'),
	rule('fe80::/10', 'a link-local address'),
	rule('fec0::/10', 'a site-local address'),
	rule('ff00::/8', 'a multicast address')
];

const GLOBAL_UNICAST = parseCidr('2000::/3')!;
const EMBEDDED_V4: readonly { cidr: Cidr; offset: number; name: string; always: boolean }[] = [
	{ cidr: parseCidr('::ffff:0:0/96')!, offset: 12, name: 'IPv4-mapped', always: false },
	{ cidr: parseCidr('64:ff9b::/96')!, offset: 12, name: 'NAT64', always: false },
	{ cidr: parseCidr('2002::/16')!, offset: 2, name: '6to4', always: false },
	// Deprecated IPv4-compatible addresses (::a.b.c.d) are refused whatever they carry.
	{ cidr: parseCidr('::/96')!, offset: 12, name: 'IPv4-compatible', always: true }
];

/** The IPv4 address an IPv6 address carries (mapped, NAT64, 6to4, compatible), if any. */
export function embeddedIpv4(bytes: Uint8Array): Uint8Array | undefined {
	if (bytes.length !== 16) return undefined;
	for (const e of EMBEDDED_V4)
		if (inCidr(bytes, e.cidr)) return bytes.slice(e.offset, e.offset + 4);
	return undefined;
}

/** Why the fetch proxy must not connect to `bytes`, or undefined for a public address. */
export function classifyBytes(bytes: Uint8Array): Refusal | undefined {
	const rules = bytes.length === 4 ? V4_RULES : V6_RULES;
	for (const r of rules)
		if (inCidr(bytes, r.cidr)) return { label: r.label, cidr: r.cidr.text, hard: !!r.hard };
	if (bytes.length === 4) return undefined;
	for (const e of EMBEDDED_V4) {
		if (!inCidr(bytes, e.cidr)) continue;
		const v4 = bytes.slice(e.offset, e.offset + 4);
		const inner = classifyBytes(v4);
		if (inner)
			return {
				label: `an ${e.name} IPv6 form of ${formatIp(v4)}, ${inner.label}`,
				cidr: inner.cidr,
				hard: inner.hard
			};
		if (e.always) return { label: `a deprecated ${e.name} address`, cidr: '::/96', hard: false };
		return undefined;
	}
	if (!inCidr(bytes, GLOBAL_UNICAST))
		return { label: 'a reserved address (outside global unicast)', cidr: '2000::/3', hard: false };
	return undefined;
}

/** Why the fetch proxy must not connect to `address` (text), or undefined if it may. */
export function classifyAddress(address: string): Refusal | undefined {
	const bytes = parseIp(address);
	if (!bytes) return { label: 'not an IP address', cidr: address, hard: true };
	return classifyBytes(bytes);
}
