// Typed tree -> evaluation nodes. Shared subtrees become one node (run once per batch), each
// input column one reader, and every operator whose operands are all constants is run once,
// here, on a one-row batch and replaced by its result (constant folding with the very kernels
// that evaluate rows, so folded and unfolded results cannot disagree).

import {
	ColumnBool,
	ColumnNum,
	ColumnStr,
	ConstBool,
	ConstNum,
	ConstStr,
	nextEpoch,
	type BoolNode,
	type Node,
	type NumNode,
	type StrNode
} from './exec-base';
import { BoolCompare, IsNull, Logic, Not } from './exec-bool';
import {
	Arith,
	NumCompare,
	NumFn,
	NumFn2,
	type ArithOp,
	type CompareOp,
	type NumFnOp
} from './exec-num';
import { NumInSet, StrInSet } from './exec-in';
import { SelectBool, SelectNum, SelectStr } from './exec-select';
import { Concat, StrMap, Substring, ToText } from './exec-str';
import { StrCompare, StrLength, StrPredicate } from './exec-str-match';
import type { ConstValue, TNode } from './typed';
import { isNumeric, type ExprType } from './types';
import { getBit, type Vec } from './vectors';

const FLIPPED: Record<CompareOp, CompareOp> = {
	eq: 'eq',
	ne: 'ne',
	lt: 'gt',
	le: 'ge',
	gt: 'lt',
	ge: 'le'
};
const decoder = new TextDecoder();

const family = (type: ExprType): 'num' | 'str' | 'bool' =>
	isNumeric(type) ? 'num' : type === 'string' ? 'str' : 'bool';

export function isConst(node: Node): node is ConstNum | ConstBool | ConstStr {
	return node instanceof ConstNum || node instanceof ConstBool || node instanceof ConstStr;
}

function constNode(type: ExprType, value: ConstValue, big: bigint | null = null): Node {
	const f = family(type);
	if (f === 'num') return new ConstNum(type, value as number | null, big);
	if (f === 'str') return new ConstStr(value as string | null);
	return new ConstBool(value as boolean | null, type);
}

/** The value of row 0 of a one-row vector. */
function firstValue(type: ExprType, v: Vec): ConstValue {
	if (v.valid !== null && !getBit(v.valid, 0)) return null;
	if ('values' in v) return v.values[0];
	if ('bits' in v) return type === 'null' ? null : getBit(v.bits, 0);
	return decoder.decode(v.bytes.slice(v.offsets[0], v.offsets[1]));
}

/** `join` over nodes as a balanced binary tree, in order: depth log2(n), not n. */
function balanced(nodes: Node[], join: (a: Node, b: Node) => Node): Node {
	let level = nodes;
	while (level.length > 1) {
		const next: Node[] = [];
		for (let i = 0; i + 1 < level.length; i += 2) next.push(join(level[i], level[i + 1]));
		if (level.length % 2 === 1) next.push(level[level.length - 1]);
		level = next;
	}
	return level[0];
}

export class Compiler {
	private readonly built = new Map<TNode, Node>();
	private readonly columns = new Map<number, Node>();

	build(t: TNode): Node {
		let node = this.built.get(t);
		if (!node) {
			node = this.make(t);
			this.built.set(t, node);
		}
		return node;
	}

	private make(t: TNode): Node {
		const type = t.type as ExprType;
		if (t.k === 'const') return constNode(type, t.value, t.big ?? null);
		if (t.k === 'col') {
			let col = this.columns.get(t.index);
			if (!col) {
				const f = family(type);
				col =
					f === 'num'
						? new ColumnNum(type, t.index)
						: f === 'str'
							? new ColumnStr(t.index)
							: new ColumnBool(t.index);
				this.columns.set(t.index, col);
			}
			return col;
		}
		if (t.op === 'in') return this.fold(type, ...this.inList(t.args));
		const args = t.args.map((a) => this.build(a));
		return this.fold(type, this.operator(t.op, type, args, t.args), args);
	}

	/** `node` itself, or its value as a constant when all its inputs are constants. */
	private fold(type: ExprType, node: Node, inputs: Node[]): Node {
		if (!inputs.every(isConst)) return node;
		const v = node.run({ epoch: nextEpoch(), n: 1, columns: [] });
		const value = firstValue(type, v);
		const exact = 'values' in v && v.exact && value !== null ? BigInt(v.exact[0]) : null;
		return constNode(type, value, exact);
	}

	/**
	 * `x in (...)` from its `x == item` tests: one set lookup when every item is a non-null
	 * constant, else a balanced tree of `or`s (depth log2 of the list, so long lists cannot
	 * overflow the stack). Returns the node and the inputs that decide whether it folds.
	 */
	private inList(tests: TNode[]): [Node, Node[]] {
		const first = tests[0];
		const value = first.k === 'op' && first.op === 'eq' ? first.args[0] : undefined;
		const sameValue = tests.every((t) => t.k === 'op' && t.op === 'eq' && t.args[0] === value);
		const f = value && family(value.type as ExprType);
		if (value && sameValue && f !== 'bool') {
			const items = tests.map((t) => this.build((t as { args: TNode[] }).args[1]));
			const constants = items.every((i) => isConst(i) && i.value !== null);
			if (constants) {
				const x = this.build(value);
				const node =
					f === 'num'
						? new NumInSet(
								x as NumNode,
								items.map((i) => (i as ConstNum).value as number)
							)
						: new StrInSet(
								x as StrNode,
								items.map((i) => (i as ConstStr).utf8)
							);
				return [node, [x]];
			}
		}
		const built = tests.map((t) => this.build(t));
		return [balanced(built, (a, b) => new Logic('or', a as BoolNode, b as BoolNode)), built];
	}

	private operator(op: string, type: ExprType, args: Node[], typed: TNode[]): Node {
		const [a, b, c] = args;
		// An int literal of 2^53 or more stays a node: its exact value is in its vector.
		const scalar = (n: Node): number | undefined =>
			n instanceof ConstNum && n.value !== null && n.big === null ? n.value : undefined;
		const literal = (n: Node): Uint8Array | undefined =>
			n instanceof ConstStr && n.value !== null ? n.utf8 : undefined;
		switch (op) {
			case 'add':
			case 'sub':
			case 'mul':
			case 'div':
			case 'mod': {
				const [sa, sb] = [scalar(a), scalar(b)];
				const left = sa !== undefined && sb === undefined ? sa : (a as NumNode);
				const right = sb !== undefined && sa === undefined ? sb : (b as NumNode);
				return new Arith(type, op as ArithOp, left, right);
			}
			case 'eq':
			case 'ne':
			case 'lt':
			case 'le':
			case 'gt':
			case 'ge': {
				const cmp = op as CompareOp;
				const f = family(typed[0].type as ExprType);
				if (f === 'bool') return new BoolCompare(cmp as 'eq' | 'ne', a as BoolNode, b as BoolNode);
				if (f === 'str') {
					const [la, lb] = [literal(a), literal(b)];
					if (lb) return new StrCompare(cmp, a as StrNode, lb);
					if (la) return new StrCompare(FLIPPED[cmp], b as StrNode, la);
					return new StrCompare(cmp, a as StrNode, b as StrNode);
				}
				const [sa, sb] = [scalar(a), scalar(b)];
				if (sb !== undefined) return new NumCompare(cmp, a as NumNode, sb);
				if (sa !== undefined) return new NumCompare(FLIPPED[cmp], b as NumNode, sa);
				return new NumCompare(cmp, a as NumNode, b as NumNode);
			}
			case 'and':
			case 'or':
				return new Logic(op, a as BoolNode, b as BoolNode);
			case 'not':
				return new Not(a as BoolNode);
			case 'isnull':
			case 'isnotnull':
				return new IsNull(a, op === 'isnotnull');
			case 'if':
				return this.select(type, a as BoolNode, b, c);
			case 'coalesce':
				// coalesce(a, b, c, d) = coalesce(coalesce(a, b), coalesce(c, d)): shallow for any count.
				return balanced(args, (x, y) => this.select(type, null, x, y));
			case 'round':
			case 'pow':
			case 'min':
			case 'max':
				if (args.length === 2) return new NumFn2(type, op, a as NumNode, b as NumNode);
				return new NumFn(type, 'round', a as NumNode);
			case 'length':
				return new StrLength(a as StrNode);
			case 'lower':
			case 'upper':
			case 'trim':
				return new StrMap(op, a as StrNode);
			case 'contains':
			case 'starts_with':
			case 'ends_with':
				return new StrPredicate(op, a as StrNode, literal(b) ?? (b as StrNode));
			case 'substring':
				return new Substring(a as StrNode, b as NumNode, c as NumNode);
			case 'concat':
				return new Concat(args as StrNode[]);
			case 'to_text':
				return new ToText(a);
			default:
				return new NumFn(type, op as NumFnOp, a as NumNode);
		}
	}

	private select(type: ExprType, cond: BoolNode | null, a: Node, b: Node): Node {
		const f = family(type);
		if (f === 'num') return new SelectNum(type, cond, a as NumNode, b as NumNode);
		if (f === 'str') return new SelectStr(type, cond, a as StrNode, b as StrNode);
		return new SelectBool(type, cond, a as BoolNode, b as BoolNode);
	}
}
