// What the inspector shows for one node: each field's value (params, else the kind's default)
// and the diagnostics that concern it, the node's other problems, and its input columns.

import type { Diagnostic } from '../../graph/diagnostics';
import type { PipelineNode } from '../../graph/document';
import type { FrameSchema } from '../../runtime/batch/types';
import type { NodeDefinition, ParamField } from '../../nodes/types';
import type { ExprField } from '../../nodes/expr';

export interface FieldView {
	field: ParamField;
	value: unknown;
	/** Diagnostics whose param path starts with this field's name. */
	problems: Diagnostic[];
}

/** The first segment of a dotted param path ('aggregates.0.column' → 'aggregates'). */
export function paramRoot(path: string | undefined): string | undefined {
	return path?.split('.')[0];
}

export function fieldViews(
	def: NodeDefinition,
	node: PipelineNode,
	diagnostics: readonly Diagnostic[]
): FieldView[] {
	const defaults = (def.defaults ?? {}) as Record<string, unknown>;
	return def.fields.map((field) => ({
		field,
		value: field.name in node.params ? node.params[field.name] : defaults[field.name],
		problems: diagnostics.filter((d) => paramRoot(d.param) === field.name)
	}));
}

/** Diagnostics of the node that no field shows. */
export function otherProblems(def: NodeDefinition, diagnostics: readonly Diagnostic[]) {
	const names = new Set(def.fields.map((f) => f.name));
	return diagnostics.filter((d) => !names.has(paramRoot(d.param) ?? ''));
}

/** Columns an expression or column picker may use: those of the node's first input. */
export function inputFields(inputs: readonly (FrameSchema | undefined)[]): ExprField[] {
	const schema = inputs[0];
	return schema ? schema.names.map((name, i) => ({ name, type: schema.types[i] })) : [];
}

/** `params` with `name` set to `value`, or without it when `value` is undefined. */
export function withParam(
	params: Record<string, unknown>,
	name: string,
	value: unknown
): Record<string, unknown> {
	const next = { ...params };
	if (value === undefined) delete next[name];
	else next[name] = value;
	return next;
}

/** The text in [start, end) split for underlining; an empty range marks one character. */
export function splitAt(text: string, start: number, end: number) {
	const from = Math.max(0, Math.min(start, text.length));
	const to = Math.max(from, Math.min(end, text.length));
	return { before: text.slice(0, from), marked: text.slice(from, to), after: text.slice(to) };
}
