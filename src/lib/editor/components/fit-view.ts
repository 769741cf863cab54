// Where "fit view" (the toolbar's, the zoom controls', after Auto layout or opening a pipeline)
// may put nodes: clear of the canvas's own overlays. The mini map (bottom right) and the zoom
// controls (bottom left) share the bottom band, so a fitted graph keeps that band free, as tall
// as the mini map and its margins; the legends along the top get a smaller band.
import type { FitViewOptions } from '@xyflow/svelte';

/** The mini map's size in screen pixels. */
export const MINIMAP_SIZE = { width: 160, height: 100 } as const;
/** The margin xyflow's panels (mini map, controls) keep from the canvas edge. */
const PANEL_MARGIN = 15;

export const FIT_VIEW = {
	maxZoom: 1,
	padding: {
		top: '40px',
		left: '24px',
		right: '24px',
		bottom: `${MINIMAP_SIZE.height + 2 * PANEL_MARGIN}px` as const
	}
} satisfies FitViewOptions;
