// What a stage is held by, the ring and metrics slices it uses, and how a host charges each
// loop turn's wall time to its stages (busy, idle, backpressured), split out of stage.ts.
//
// Thread: the worker hosting the stages; accountTurn runs once per host loop turn and
// allocates nothing.
import type { RingChannel } from '../channel/ring';
import type { MetricsBlock } from '../metrics/block';
import type { FrameSchema } from '../batch/types';
import type { InputBatch } from './kernel';

/** What accountTurn reads of a stage (StageRunner). */
export interface AccountedStage {
	busyThisTurn: number;
	readonly done: boolean;
	readonly held: Held;
	readonly heldEdge: number;
	readonly spec: { index: number };
}

/** Where a stage hands a sample of a popped batch when the page peeks at its edge. */
export interface PeekTap {
	/** Whether a peek at `edge` is requested now (cheap: called on every pop). */
	wanted(edge: number): boolean;
	/** Copies up to the requested rows of `batch` (read during the call, never retained). */
	take(edge: number, batch: InputBatch, schema: FrameSchema): void;
}

/** What held a stage back in its last step, for time accounting. */
export const HELD = {
	/** Ran or could run. */
	NONE: 0,
	/** Waiting for input on an empty ring. */
	INPUT: 1,
	/** Waiting for room on a full output ring. */
	OUTPUT: 2,
	/** Waiting for pool memory. */
	MEMORY: 3
} as const;
export type Held = (typeof HELD)[keyof typeof HELD];

/** What a stage uses of a ring: the shared RingChannel and the fallback's PortRing both fit. */
export type StageRing = Pick<
	RingChannel,
	| 'name'
	| 'capacity'
	| 'tryPush'
	| 'tryPop'
	| 'status'
	| 'error'
	| 'close'
	| 'size'
	| 'abandon'
	| 'abandoned'
	| 'drainOne'
>;

/** What a stage writes of metrics: MetricsBlock and the fallback's LocalMetrics both fit. */
export type StageMetrics = Pick<
	MetricsBlock,
	'edgeBatch' | 'edgeOccupancy' | 'stageRows' | 'stageBytes'
>;

/** What a host charges each turn's wall time to (shared memory or the fallback's counters). */
export type TimeMetrics = Pick<
	MetricsBlock,
	'stageTime' | 'edgeProducerBlocked' | 'edgeConsumerWaiting'
>;

/**
 * Charges the wall time of one host loop turn (`from`..`to`, ms) to each stage: its kernel time
 * is busy; the rest is backpressured when the stage was held on a full output or on memory
 * (and charged to that edge's producer-blocked time), idle otherwise (charged to the awaited
 * input edge's consumer-waiting time). So busy + idle + backpressured covers the whole run.
 */
export function accountTurn(
	stages: readonly AccountedStage[],
	metrics: TimeMetrics,
	from: number,
	to: number
): void {
	const turnNs = (to - from) * 1e6;
	for (const stage of stages) {
		const busy = Math.min(stage.busyThisTurn, turnNs);
		const rest = turnNs - busy;
		stage.busyThisTurn = 0;
		if (stage.done) {
			metrics.stageTime(stage.spec.index, busy, 0, 0);
			continue;
		}
		const blocked = stage.held === HELD.OUTPUT || stage.held === HELD.MEMORY;
		metrics.stageTime(stage.spec.index, busy, blocked ? 0 : rest, blocked ? rest : 0);
		if (stage.heldEdge >= 0) {
			if (stage.held === HELD.OUTPUT) metrics.edgeProducerBlocked(stage.heldEdge, rest);
			else if (stage.held === HELD.INPUT) metrics.edgeConsumerWaiting(stage.heldEdge, rest);
		}
	}
}
