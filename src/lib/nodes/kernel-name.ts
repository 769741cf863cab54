// The names of node kernels in a worker's kernel table, made here and nowhere else: the
// catalogue registers each kind's kernels under these names and the compiler writes the same
// names into its stages, both from the definition itself, so neither side spells a name.
import { kernelName, type KernelName } from '../runtime/scheduler/kernel';
import type { NodeDefinition } from './types';

/**
 * Which of a kind's kernels: `run` is its stage kernel; partitioned kinds also have `partial`
 * (each instance's share) and `merge` (combines the instances' partial results).
 */
export type KernelRole = 'run' | 'partial' | 'merge';

/** The kernel of a fused chain of stateless steps (nodes/kernels/chain.ts). */
export const CHAIN_KERNEL: KernelName = kernelName('chain', 'steps');

export function nodeKernelName(def: Pick<NodeDefinition, 'kind'>, role: KernelRole): KernelName {
	return kernelName('node', role === 'run' ? def.kind : `${def.kind}:${role}`);
}
