// Builders of synthetic counter snapshots and topologies for the metrics tests.
import { emptyEdge, emptyStage, emptyWorker } from './counters';
import type { EdgeCounters, MetricsSnapshot, StageCounters, WorkerCounters } from './counters';
import type { Topology } from './rates';

export const SEC = 1e9;

export interface SnapshotParts {
	edges?: Partial<EdgeCounters>[];
	stages?: Partial<StageCounters>[];
	workers?: Partial<WorkerCounters>[];
}

/** A snapshot taken at `t` ns whose unspecified counters are 0. */
export function snapshotAt(t: number, parts: SnapshotParts = {}): MetricsSnapshot {
	return {
		t,
		edges: (parts.edges ?? []).map((e) => ({ ...emptyEdge(), ...e })),
		stages: (parts.stages ?? []).map((s) => ({ ...emptyStage(), ...s })),
		workers: (parts.workers ?? []).map((w) => ({ ...emptyWorker(), ...w }))
	};
}

/** Stages named `names` wired in a line: edge i runs from stage i to stage i + 1. */
export function chain(names: string[], capacity = 8): Topology {
	const edges = names.slice(1).map((_, i) => ({ from: i, to: i + 1, capacity }));
	return {
		edges,
		stageNames: names,
		edgeNames: edges.map((e) => `${names[e.from]} → ${names[e.to]}`)
	};
}
