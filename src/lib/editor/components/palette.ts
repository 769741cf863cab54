// The palette's catalogue view: every node kind, grouped by category, filtered by a search.

import { NODE_KINDS } from '../../nodes/catalogue';
import type { Category, NodeDefinition } from '../../nodes/types';

/** The drag-and-drop type that carries a kind name from the palette to the canvas. */
export const PALETTE_MIME = 'application/x-sluice-kind';

export const CATEGORY_TITLES: Record<Category, string> = {
	source: 'Sources',
	transform: 'Transforms',
	sink: 'Sinks'
};

export interface PaletteGroup {
	category: Category;
	title: string;
	kinds: NodeDefinition[];
}

/** Kinds whose title, kind name or description holds every word of `query`, grouped. */
export function paletteGroups(query: string, kinds: readonly NodeDefinition[] = NODE_KINDS) {
	const words = query.toLowerCase().split(/\s+/).filter(Boolean);
	const matches = (def: NodeDefinition) => {
		const text = `${def.title} ${def.kind} ${def.description}`.toLowerCase();
		return words.every((word) => text.includes(word));
	};
	const groups: PaletteGroup[] = [];
	for (const category of ['source', 'transform', 'sink'] as const) {
		const found = kinds.filter((def) => def.category === category && matches(def));
		if (found.length > 0) groups.push({ category, title: CATEGORY_TITLES[category], kinds: found });
	}
	return groups;
}
