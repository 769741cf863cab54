// The syntax tree parseExpression returns. Every node spans [start, end) of the source text.

export type BinaryOp =
	'+' | '-' | '*' | '/' | '%' | '==' | '!=' | '<' | '<=' | '>' | '>=' | 'and' | 'or';

interface Span {
	start: number;
	end: number;
}

export interface LiteralExpr extends Span {
	kind: 'literal';
	/** 'int' for digits only; 'float' when the literal has a '.' or an exponent. */
	type: 'int' | 'float' | 'string' | 'bool' | 'null';
	value: number | string | boolean | null;
	/** An int literal of 2^53 or more, exactly (`value` is its nearest double). */
	big?: bigint;
}

export interface ColumnExpr extends Span {
	kind: 'column';
	name: string;
}

export interface UnaryExpr extends Span {
	kind: 'unary';
	op: '-' | 'not';
	operand: Expr;
}

export interface BinaryExpr extends Span {
	kind: 'binary';
	op: BinaryOp;
	left: Expr;
	right: Expr;
	/** Where the operator itself is, for messages about it. */
	opStart: number;
	opEnd: number;
}

export interface InExpr extends Span {
	kind: 'in';
	value: Expr;
	items: Expr[];
	negated: boolean;
}

export interface IsNullExpr extends Span {
	kind: 'isNull';
	operand: Expr;
	negated: boolean;
}

export interface CallExpr extends Span {
	kind: 'call';
	/** As typed; function names are matched case-insensitively. */
	name: string;
	nameEnd: number;
	args: Expr[];
}

export type Expr =
	LiteralExpr | ColumnExpr | UnaryExpr | BinaryExpr | InExpr | IsNullExpr | CallExpr;
