// Which nodes the compiled plan runs fused (operator chaining), for the canvas: a stage whose
// origin lists several nodes is one fused group; stages with the same origin are that group's
// parallel instances. Each group gets a colour and a dash pattern, so it reads without hue too.

import type { CompiledPlan } from '../../compiler/physical';

export interface FusedGroup {
	/** The plan's first stage index for the group (as explain() numbers stages). */
	stage: number;
	/** The node ids fused into the stage, in chain order. */
	nodes: string[];
	/** Parallel instances: the number of stages running the same nodes. */
	instances: number;
	/** Outline colour (Okabe-Ito, colour-blind safe). */
	colour: string;
	/** SVG stroke-dasharray of the outline. */
	dash: string;
}

const COLOURS = ['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00', '#56b4e9'];
const DASHES = ['6 4', '2 3', '10 3 2 3', '4 4'];

/** Sentence for the legend and tooltips. */
export const FUSION_LEGEND = 'Nodes in a dashed outline run fused in one stage (operator chaining)';

const cache = new WeakMap<CompiledPlan, FusedGroup[]>();

/** The plan's fused groups (stages running more than one node), in stage order. */
export function fusedGroups(plan: CompiledPlan | null | undefined): FusedGroup[] {
	if (!plan) return [];
	const cached = cache.get(plan);
	if (cached) return cached;
	const byKey = new Map<string, FusedGroup>();
	plan.origins.forEach((origin, stage) => {
		if (origin.nodes.length < 2) return;
		const key = origin.nodes.join('\0');
		const group = byKey.get(key);
		if (group) {
			group.instances++;
			return;
		}
		const index = byKey.size;
		byKey.set(key, {
			stage,
			nodes: [...origin.nodes],
			instances: 1,
			colour: COLOURS[index % COLOURS.length],
			dash: DASHES[index % DASHES.length]
		});
	});
	const groups = [...byKey.values()];
	cache.set(plan, groups);
	return groups;
}

/** The fused group running node `id`, if any. */
export function fusedGroupOf(
	plan: CompiledPlan | null | undefined,
	id: string
): FusedGroup | undefined {
	return fusedGroups(plan).find((group) => group.nodes.includes(id));
}

/** The badge text: "stage 1 · fused ×2", with "· ×4 parallel" when it runs as instances. */
export function fusedBadge(group: FusedGroup): string {
	const parallel = group.instances > 1 ? ` · ×${group.instances} parallel` : '';
	return `stage ${group.stage} · fused ×${group.nodes.length}${parallel}`;
}
