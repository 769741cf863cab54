// The expression language for filter and derive nodes: parse, type-check, evaluate.
// Semantics (null handling, types, functions) are described in ./README.md.

export type { Expr } from './ast';
export type { ExprError, ExprField, ExprType } from './types';
export { parseExpression } from './parser';
export {
	checkExpression,
	evaluate,
	evaluateFilter,
	CompiledExpr,
	type CheckResult
} from './evaluate';
export { completions, type Completion } from './completions';
export { FUNCTIONS, type FunctionInfo } from './functions';
export { exprMessages } from './messages';
