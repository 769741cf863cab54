// The compiler: a pipeline document becomes a physical plan the engine runs, or diagnostics.
import { hasErrors, type Diagnostic } from '../graph/diagnostics';
import type { PipelineDocument } from '../graph/document';
import type { InferContext } from '../nodes/types';
import { explain } from './explain';
import { buildLogicalPlan, NO_DATASETS, type LogicalPlan } from './logical';
import { buildPhysicalPlan, type CompiledPlan, type CompileOptions } from './physical';
import { pushProjection } from './projection';
import { pushConditions } from './conditions';

export { explain } from './explain';
export type { CompiledPlan, CompileOptions } from './physical';
export type { LogicalNode, LogicalPlan } from './logical';

export const DEFAULT_COMPILE_OPTIONS: CompileOptions = {
	workers: 1,
	budgetBytes: 256 << 20,
	batchRows: 16_384
};

export interface CompileResult {
	logical: LogicalPlan | null;
	plan: CompiledPlan | null;
	diagnostics: Diagnostic[];
	explain: string;
}

export function compile(
	doc: PipelineDocument,
	options: Partial<CompileOptions> = {},
	ctx: InferContext = NO_DATASETS
): CompileResult {
	const { plan: logical, diagnostics } = buildLogicalPlan(doc, ctx);
	if (!logical || hasErrors(diagnostics)) return { logical, plan: null, diagnostics, explain: '' };
	// Sources read only the columns used downstream, and skip what the filters below them would
	// drop where they can; `logical` keeps the declared schemas and params.
	const plan = buildPhysicalPlan(pushConditions(pushProjection(logical)), {
		...DEFAULT_COMPILE_OPTIONS,
		...options
	});
	return { logical, plan, diagnostics, explain: explain(plan) };
}
