// The expression language of filter and derive nodes: `amount > 100 && region == "EU"`,
// `if(qty is null, 0, qty * price)`. Text is parsed into a syntax tree, type-checked against
// the input fields (errors carry the character range to underline), compiled into operator
// nodes and evaluated a column at a time over typed arrays. Nothing here evaluates user text as
// JavaScript (no eval, no Function): the only interpreter is the node tree.
//
// Syntax. Literals: 12 (int), 1.5 / 1e3 / .5 (float), "text" or 'text' with \n \t \r \0 \\ \"
// \' \uXXXX escapes, true, false, null. Columns: bare names (amount) or backquoted (`unit price`).
// Precedence, tightest first: unary - and !; * / %; + -; == != < <= > >= in, not in, is [not]
// null (comparisons don't chain); the keyword not; and &&; or ||. `not` sits below comparisons as
// in SQL (`not a > 1` is `not (a > 1)`), `!` binds tightly as in JavaScript. `=` is an error that
// suggests `==`. Keywords and function names are case-insensitive; column names are not.
//
// Types. int8..int64 and uint8..uint64 are 'int', float32/64 'float', utf8 'string', date32
// 'date' (days), timestamp 'timestamp' (ms, UTC). Numbers are carried as float64 while
// evaluating; int op int is int, except `/` which is float; mixing int and float gives float.
//
// Integer overflow (one rule everywhere): an int result is exact or an error, never wrapped or
// rounded. Group-by sums of int64/uint64 fail past their type; CSV and JSON reads refuse a literal
// outside the column's type (naming the line); a cast refuses it (null or an error, by its own
// onError setting). In expressions, ints are computed as doubles, which
// are exact below 2^53; a batch where an int operand or result reaches 2^53 is recomputed with
// BigInt (./int64.ts), so `big + 0` is big and `big - (big - 1)` is 1 for big = 2^63 - 1. A
// result outside int64 (-2^63 .. 2^63 - 1) — `+ - * %`, unary minus, abs, min/max/round,
// if/coalesce of a uint64 above 2^63 - 1 — fails the run: "integer overflow: 9223372036854775807
// + 1 is outside int64 (...), in the row where big = 9223372036854775807 (in big + 1)", with the
// derive's column and the node's name added by the caller. An int literal beyond int64 is a
// check error at its position. Comparisons of ints of 2^53 or more compare the nearest doubles.
// Bounds carried per batch (from the column type or the batch's largest value) let most batches
// skip the 2^53 scan entirely.
//
// `+` does not join strings (use concat). Comparisons need numbers with numbers, strings with strings (by
// Unicode code point, not locale), bools with bools (== and != only), dates with dates or
// timestamps (a date is midnight UTC); a string literal compared with a date or timestamp is read
// as one at compile time ("2024-01-31", "2024-01-31T10:00:00Z"). Results are written as int64,
// float64, bool, utf8, date32 or timestamp; a bare column reference keeps its column type and
// returns the input column itself; an always-null expression is an all-null bool column.
//
// Nulls (SQL-like). Arithmetic, comparisons and functions with a null argument give null, except:
// `a and b` / `a or b` use three-valued logic (false and null = false, true or null = true,
// otherwise null stays null); `not null` is null; `is null` / `is not null` are never null;
// `if(c, a, b)` takes b when c is null; coalesce returns its first non-null argument;
// `x in (a, b)` is true if x equals one of them, null if x is null, false otherwise (a null
// literal in the list is refused; a list of constants is one set lookup per row, of any length).
// A filter keeps rows whose predicate is true: false and null drop the row. Division or modulo
// by zero, sqrt of a negative number, log of zero or less and a pow that is not a number are
// null. Other float results (Infinity, NaN from NaN input) are values; NaN compares unequal to
// everything.
//
// Functions: see FUNCTIONS (./functions.ts) for signatures. length counts code points;
// substring(s, start, len) counts code points from 1 and clips to the string (start 0, len 3
// gives the first two); round halves away from zero; date parts are UTC; concat writes numbers
// as JavaScript prints them, bools as true/false, dates as YYYY-MM-DD and timestamps as ISO 8601.
//
// Threads: a CompiledExpr is used by one thread (it keeps scratch buffers between batches); the
// module has no DOM or Node dependencies and runs in browser workers and worker_threads alike.

export type { Expr } from './ast';
export type { ExprError, ExprField, ExprFields, ExprType } from './types';
export { parseExpression } from './parser';
export {
	checkExpression,
	evaluate,
	evaluateFilter,
	CompiledExpr,
	ExprOverflowError,
	type CheckResult
} from './evaluate';
export { completions, type Completion } from './completions';
export { FUNCTIONS, type FunctionInfo } from './functions';
export { exprMessages } from './messages';
