// The 'taxi' sample: a table of taxi trips, generated. Every value is a function of the row
// number alone (hashes from synth.ts with a fixed seed), so any batch size, worker count or
// instance split yields the same table; instance k of n makes batches k, k + n, k + 2n, ...
//
// Distributions (plausible, not real): pickups spread over 2024 with a rush-hour daily shape;
// distance log-normal with a median near 2.8 km; speed 10–35 km/h; fare = 3.00 + 1.75/km +
// 0.50/min; card trips tip 0 or 10–30 %; ~2 % of passenger counts missing.
import type { ColumnView } from '../../runtime/contracts';
import type { FrameSchema } from '../../runtime/batch/types';
import type { Kernel, KernelSetup } from '../../runtime/scheduler/kernel';
import { mix, unit } from './synth';

export const TAXI_SCHEMA: FrameSchema = {
	names: [
		'trip_id',
		'pickup',
		'dropoff',
		'passenger_count',
		'distance_km',
		'fare',
		'tip',
		'payment',
		'borough',
		'zone'
	],
	types: [
		'int32',
		'timestamp',
		'timestamp',
		'int32',
		'float64',
		'float64',
		'float64',
		'utf8',
		'utf8',
		'utf8'
	]
};

const SEED = 2024;
// Independent draws per row: one hash stream each.
const D_DAY = 0;
const D_HOUR = 1;
const D_SECOND = 2;
const D_DIST_A = 3;
const D_DIST_B = 4;
const D_SPEED = 5;
const D_PASSENGERS = 6;
const D_PAYMENT = 7;
const D_TIP_KIND = 8;
const D_TIP_SHARE = 9;
const D_BOROUGH = 10;
const D_ZONE = 11;

const EPOCH_2024_MS = Date.UTC(2024, 0, 1);
const DAY_MS = 86_400_000;
const DAYS = 366;

/** Relative pickups per hour of day: quiet nights, morning and evening peaks. */
const HOUR_WEIGHTS = [
	3, 2, 1.5, 1, 1, 1.5, 3, 5, 6.5, 6, 5.5, 5.5, 6, 6, 6, 6.5, 7, 8, 8.5, 8, 7, 6.5, 5.5, 4.5
];
const HOUR_CUMULATIVE = cumulative(HOUR_WEIGHTS);

const PAYMENTS = ['card', 'cash', 'dispute', 'no_charge'];
const PAYMENT_CUMULATIVE = cumulative([68, 28, 2, 2]);
const PASSENGER_CUMULATIVE = cumulative([2, 68, 15, 5, 3, 4, 3]); // null, 1..6

const BOROUGHS = ['Manhattan', 'Brooklyn', 'Queens', 'Bronx', 'Staten Island'];
const BOROUGH_CUMULATIVE = cumulative([58, 16, 17, 6, 3]);
const ZONES: readonly (readonly string[])[] = [
	[
		'Midtown',
		'Upper East Side',
		'Upper West Side',
		'Chelsea',
		'SoHo',
		'Tribeca',
		'Harlem',
		'East Village',
		'Financial District',
		'Greenwich Village',
		'Murray Hill',
		'Lower East Side'
	],
	[
		'Williamsburg',
		'Park Slope',
		'DUMBO',
		'Bushwick',
		'Bay Ridge',
		'Crown Heights',
		'Greenpoint',
		'Flatbush',
		'Brooklyn Heights',
		'Red Hook'
	],
	[
		'Astoria',
		'Long Island City',
		'Flushing',
		'Jamaica',
		'Forest Hills',
		'JFK Airport',
		'LaGuardia Airport',
		'Jackson Heights',
		'Sunnyside',
		'Ridgewood'
	],
	[
		'Fordham',
		'Riverdale',
		'Mott Haven',
		'Pelham Bay',
		'Morris Park',
		'Co-op City',
		'Hunts Point',
		'Kingsbridge'
	],
	[
		'St. George',
		'Tottenville',
		'Great Kills',
		'New Dorp',
		'Stapleton',
		'Port Richmond',
		'Annadale',
		'Todt Hill',
		'Westerleigh',
		'Arden Heights'
	]
];

function cumulative(weights: number[]): Float64Array {
	const total = weights.reduce((a, b) => a + b, 0);
	const out = new Float64Array(weights.length);
	let sum = 0;
	weights.forEach((w, i) => (out[i] = (sum += w) / total));
	out[out.length - 1] = 1;
	return out;
}

/** Index of the first cumulative share above `u` (u in [0, 1)). */
function pick(table: Float64Array, u: number): number {
	let i = 0;
	while (u >= table[i]) i++;
	return i;
}

const cents = (x: number) => Math.round(x * 100) / 100;
const draw = (stream: number, row: number) => unit(SEED, stream, row);

/** Writes rows first..first+rows-1 of the taxi table into the columns `out`. */
export function fillTaxi(
	out: ColumnView[],
	first: number,
	rows: number,
	setNull: (column: number, row: number) => void,
	encoded: { payments: Uint8Array[]; boroughs: Uint8Array[]; zones: Uint8Array[][] }
): void {
	const tripId = out[0].values as Int32Array;
	const pickup = out[1].values as BigInt64Array;
	const dropoff = out[2].values as BigInt64Array;
	const passengers = out[3].values as Int32Array;
	const distance = out[4].values as Float64Array;
	const fare = out[5].values as Float64Array;
	const tip = out[6].values as Float64Array;
	const text = [out[7], out[8], out[9]];
	const at = [text[0].offsets![0], text[1].offsets![0], text[2].offsets![0]];
	const put = (k: number, i: number, bytes: Uint8Array) => {
		(text[k].values as Uint8Array).set(bytes, at[k]);
		at[k] += bytes.length;
		text[k].offsets![i + 1] = at[k];
	};
	for (let i = 0; i < rows; i++) {
		const row = first + i;
		tripId[i] = row + 1;
		const day = Math.floor(draw(D_DAY, row) * DAYS);
		const hour = pick(HOUR_CUMULATIVE, draw(D_HOUR, row));
		const second = Math.floor(draw(D_SECOND, row) * 3600);
		const start = EPOCH_2024_MS + day * DAY_MS + hour * 3_600_000 + second * 1000;
		// Box-Muller normal from two uniforms; log-normal distance, clamped.
		const z =
			Math.sqrt(-2 * Math.log(1 - draw(D_DIST_A, row))) *
			Math.cos(2 * Math.PI * draw(D_DIST_B, row));
		const km = cents(Math.min(80, Math.max(0.1, Math.exp(Math.log(2.8) + 0.75 * z))));
		const speed = 10 + 25 * draw(D_SPEED, row);
		const seconds = 60 + Math.round((km / speed) * 3600);
		pickup[i] = BigInt(start);
		dropoff[i] = BigInt(start + seconds * 1000);
		const pax = pick(PASSENGER_CUMULATIVE, draw(D_PASSENGERS, row));
		if (pax === 0) setNull(3, i);
		else passengers[i] = pax;
		distance[i] = km;
		const total = cents(3 + 1.75 * km + 0.5 * (seconds / 60));
		fare[i] = total;
		const payment = pick(PAYMENT_CUMULATIVE, draw(D_PAYMENT, row));
		tip[i] =
			payment === 0 && draw(D_TIP_KIND, row) >= 0.15
				? cents(total * (0.1 + 0.2 * draw(D_TIP_SHARE, row)))
				: 0;
		put(0, i, encoded.payments[payment]);
		const borough = pick(BOROUGH_CUMULATIVE, draw(D_BOROUGH, row));
		put(1, i, encoded.boroughs[borough]);
		const zones = encoded.zones[borough];
		put(2, i, zones[mix(SEED, D_ZONE, row) % zones.length]);
	}
}

/** The taxi source kernel: `rows` rows split across the instances by batch number. */
export function taxiKernel(setup: KernelSetup, totalRows: number): Kernel {
	const { instance, instances } = setup;
	const encoder = new TextEncoder();
	const encoded = {
		payments: PAYMENTS.map((s) => encoder.encode(s)),
		boroughs: BOROUGHS.map((s) => encoder.encode(s)),
		zones: ZONES.map((zs) => zs.map((s) => encoder.encode(s)))
	};
	const longest = (list: Uint8Array[]) => list.reduce((m, b) => Math.max(m, b.length), 0);
	const maxBytes = [
		longest(encoded.payments),
		longest(encoded.boroughs),
		longest(encoded.zones.flat())
	];
	const utf8 = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
	let next = 0;
	return {
		produce(ctx) {
			const batchRows = ctx.batchRows;
			const first = (next * instances + instance) * batchRows;
			if (first >= totalRows) return 'done';
			const rows = Math.min(batchRows, totalRows - first);
			for (let k = 0; k < 3; k++) utf8[7 + k] = maxBytes[k] * rows;
			const writer = ctx.allocate(0, rows, utf8);
			if (!writer) return 'blocked';
			const columns = TAXI_SCHEMA.names.map((_, c) => writer.column(c));
			fillTaxi(columns, first, rows, (c, r) => writer.setNull(c, r), encoded);
			ctx.emitWriter(0, writer, rows);
			next++;
			return first + rows >= totalRows ? 'done' : 'more';
		}
	};
}
