// The editor's PipelineState as Svelte context: the provider sets it once, every panel and node
// component below gets it, and a component used outside the provider fails with a clear message.

import { getContext, hasContext, setContext } from 'svelte';
import type { PipelineState } from './pipeline.svelte';

const KEY = Symbol('sluice.pipeline-state');

export const MISSING_PIPELINE_STATE =
	'PipelineState is missing: wrap the editor in <EditorProvider> ' +
	'(or call setPipelineContext(state) in a parent component)';

/** Makes `state` the PipelineState of this component and its children; returns it. */
export function setPipelineContext(state: PipelineState): PipelineState {
	return setContext(KEY, state);
}

/** `state`, or an Error saying how to provide one. Exported for tests. */
export function requirePipelineState(state: PipelineState | undefined): PipelineState {
	if (state === undefined) throw new Error(MISSING_PIPELINE_STATE);
	return state;
}

/** The PipelineState a parent set; throws MISSING_PIPELINE_STATE when none did. */
export function getPipelineContext(): PipelineState {
	return requirePipelineState(hasContext(KEY) ? getContext<PipelineState>(KEY) : undefined);
}
