// Readable ids for new nodes and edges: 'filter-2', 'filter-2:out->table-1:in'. Unique within the
// document they are made for (and among ids already handed out in the same edit).

import type { PipelineEdge } from '../../graph/document';

/** Hands out ids that none of `taken` (and none handed out before) uses. */
export class IdAllocator {
	readonly #taken: Set<string>;

	constructor(taken: Iterable<string>) {
		this.#taken = new Set(taken);
	}

	/** `<kind>-<n>`, n one more than the highest n any `<kind>-<n>` id uses (from 1). */
	node(kind: string): string {
		const prefix = `${kind}-`;
		let highest = 0;
		for (const id of this.#taken) {
			if (!id.startsWith(prefix)) continue;
			const suffix = id.slice(prefix.length);
			if (/^[1-9]\d{0,8}$/.test(suffix)) highest = Math.max(highest, Number(suffix));
		}
		return this.#claim(`${prefix}${highest + 1}`);
	}

	/** `<node>:<port>-><node>:<port>`, with `#2`, `#3`… added when that id is taken. */
	edge(from: PipelineEdge['from'], to: PipelineEdge['to']): string {
		return this.#claim(`${from.node}:${from.port}->${to.node}:${to.port}`);
	}

	#claim(wanted: string): string {
		let id = wanted;
		for (let copy = 2; this.#taken.has(id); copy++) id = `${wanted}#${copy}`;
		this.#taken.add(id);
		return id;
	}
}
