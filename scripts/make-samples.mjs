// Writes the built-in samples static/samples/trips.parquet and static/samples/events.ndjson:
// reproducible (a fixed-seed generator), a few thousand rows each. Run: node scripts/make-samples.mjs
// Their schemas are TRIPS_SCHEMA and EVENTS_SCHEMA in src/lib/nodes/datasets.ts (a test checks).
import { writeFileSync } from 'node:fs';
import { parquetWriteBuffer } from 'hyparquet-writer';

const OUT = new URL('../static/samples/', import.meta.url);

/** mulberry32, as src/lib/runtime/testing/prng.ts. */
function prng(seed) {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const BOROUGHS = ['Manhattan', 'Brooklyn', 'Queens', 'Bronx', 'Staten Island'];
const DAY_MS = 86_400_000;
const START = Date.UTC(2024, 0, 1);

function trips(rows) {
	const next = prng(20240101);
	const cols = {
		trip_id: [],
		pickup: [],
		pickup_date: [],
		borough: [],
		passengers: [],
		distance_km: [],
		fare: [],
		card: []
	};
	for (let i = 0; i < rows; i++) {
		const at = START + Math.floor((next() * 366 * DAY_MS) / 1000) * 1000;
		const km = Math.round((0.3 + -Math.log(1 - next()) * 3) * 100) / 100;
		cols.trip_id.push(i + 1);
		cols.pickup.push(BigInt(at));
		cols.pickup_date.push(Math.floor(at / DAY_MS));
		cols.borough.push(BOROUGHS[Math.min(4, Math.floor(next() ** 1.6 * 5))]);
		cols.passengers.push(next() < 0.03 ? null : 1 + Math.floor(next() ** 2 * 5));
		cols.distance_km.push(Math.fround(km));
		cols.fare.push(Math.round((3 + km * 1.75 + next() * 4) * 100) / 100);
		cols.card.push(next() < 0.7);
	}
	return parquetWriteBuffer({
		rowGroupSize: 2000,
		schema: [
			{ name: 'root', num_children: 8 },
			{ name: 'trip_id', type: 'INT32', repetition_type: 'REQUIRED' },
			{
				name: 'pickup',
				type: 'INT64',
				converted_type: 'TIMESTAMP_MILLIS',
				repetition_type: 'OPTIONAL'
			},
			{ name: 'pickup_date', type: 'INT32', converted_type: 'DATE', repetition_type: 'OPTIONAL' },
			{ name: 'borough', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
			{ name: 'passengers', type: 'INT32', converted_type: 'INT_8', repetition_type: 'OPTIONAL' },
			{ name: 'distance_km', type: 'FLOAT', repetition_type: 'OPTIONAL' },
			{ name: 'fare', type: 'DOUBLE', repetition_type: 'OPTIONAL' },
			{ name: 'card', type: 'BOOLEAN', repetition_type: 'OPTIONAL' }
		],
		columnData: Object.entries(cols).map(([name, data]) => ({ name, data }))
	});
}

const NAMES = ['ada', 'grace', 'edsger', 'barbara', 'ken', 'margaret', 'linus', 'frances'];
const COUNTRIES = ['NL', 'DE', 'FR', 'US', 'JP', 'BR'];
const KINDS = ['view', 'click', 'purchase', 'refund'];

function events(rows) {
	const next = prng(7);
	const pick = (list) => list[Math.floor(next() * list.length)];
	const lines = [];
	for (let i = 0; i < rows; i++) {
		const kind = pick(KINDS);
		const record = {
			id: i + 1,
			at: new Date(START + Math.floor(next() * 30 * DAY_MS)).toISOString(),
			user: { name: pick(NAMES), country: next() < 0.05 ? null : pick(COUNTRIES) },
			kind,
			amount:
				kind === 'purchase' || kind === 'refund' ? Math.round(next() * 20000) / 100 + 0.01 : null,
			tags: next() < 0.4 ? [pick(['mobile', 'web', 'app']), pick(['new', 'returning'])] : []
		};
		lines.push(JSON.stringify(record));
	}
	return lines.join('\n') + '\n';
}

writeFileSync(new URL('trips.parquet', OUT), new Uint8Array(trips(5000)));
writeFileSync(new URL('events.ndjson', OUT), events(3000));
console.log('wrote static/samples/trips.parquet and static/samples/events.ndjson');
