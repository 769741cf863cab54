// What a worker receives to host its part of a fallback run, and what it sends back.
// Structured-cloneable; the MessagePorts in it are transferred (each exists in one thread).
import type { MetricsLayout, MetricsSnapshot } from '../metrics/counters';
import type { PeekPayload } from '../metrics/peek';
import type { RunState } from '../scheduler/control';
import type { HostOutcome } from '../scheduler/host';
import type { RunSpec, StageFailure, StageSpec } from '../scheduler/spec';
import type { LocalPoolOptions, LocalPoolStats } from './local-pool';
import type { LocalRingEnd } from './local-ring';
import type { PortRingEnd } from './port-ring';

export interface FallbackRunSpec {
	runId: number;
	/** Every stage of the run; the worker hosts those placed on it. */
	stages: StageSpec[];
	/** Ring index -> metrics edge slot. */
	ringEdge: number[];
	/** This worker's ends of rings that cross to another worker. */
	ports: PortRingEnd[];
	/** Rings whose producer and consumer both run on this worker. */
	local: LocalRingEnd[];
	/** Control from the page (`ControlToWorker`) and reports to it (`ControlToPage`). */
	control: MessagePort;
	/** This worker's share of the run's memory budget. */
	pool: LocalPoolOptions;
	metrics: MetricsLayout;
	batchRows: number;
	/** The run's whole budget, as kernels are told it. */
	budgetBytes: number;
	/** After a stop, how long the host waits for its buffers to come home before it returns. */
	teardownMs: number;
}

export type ControlToWorker =
	| { t: 'stop'; state: RunState }
	/** Sample the next batch popped from ring `edge` (metrics/peek.ts); answered once. */
	| { t: 'peek'; id: number; edge: number; maxRows: number };

export type ControlToPage =
	| { t: 'metrics'; worker: number; snapshot: MetricsSnapshot }
	| { t: 'peek'; id: number; payload: PeekPayload }
	| { t: 'failed'; worker: number; failure: StageFailure };

/** A host's outcome plus what the page cannot read from shared memory. */
export type FallbackHostOutcome = HostOutcome & {
	/** The worker's pool at the end: owned blocks still in use or away are leaks. */
	pool: LocalPoolStats;
	metrics: MetricsSnapshot;
};

/** What the fallback-host worker exposes over comlink: both transports, and a ping. */
export interface FallbackHostApi {
	run(spec: RunSpec, worker: number): Promise<HostOutcome>;
	runMessage(spec: FallbackRunSpec, worker: number): Promise<FallbackHostOutcome>;
	ping(): string;
	/** As HostApi.registerBlob (scheduler/worker-pool.ts). */
	registerBlob(key: string, blob: Blob | null): void;
}
