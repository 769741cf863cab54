// Adding data files to the pipeline: each dropped or picked file becomes a source node of the
// kind that reads it (data-files.ts), configured with a 'local:<id>/<name>' source whose File
// this page keeps (engine/datasets.svelte.ts), at the drop point; a pipeline .json is imported
// into the library instead. A file dropped on a source node that asks for its file (a shared or
// reopened pipeline: this page does not have it) fills that node instead of adding one. Nothing is read here but a pipeline check's first bytes: the
// dataset is probed from a Blob slice and streamed by the workers.
type Point = { x: number; y: number };
import { sourceDataset } from '../../nodes/datasets';
import { nodeKind } from '../../nodes/catalogue';
import { pageDatasets } from '../engine/datasets.svelte';
import { importPipeline } from '../library/library-actions';
import type { LibrarySession } from '../library/session.svelte';
import type { PipelineState } from '../state/pipeline.svelte';
import { isPipelineFile, sourceForFile, sourceParams } from './data-files';

export interface DropTarget {
	pipeline: PipelineState;
	session?: LibrarySession;
	/** Says why a file was not added. */
	notify: (text: string) => void;
	/** The node the files were dropped on, if any. */
	onto?: string;
}

/** True when node `id` reads a local file this page does not have (its card asks for it). */
export function asksForFile(pipeline: PipelineState, id: string): boolean {
	const node = pipeline.node(id);
	const dataset = node && sourceDataset(node);
	return dataset !== undefined && pageDatasets().statusOf(dataset.source)?.state === 'missing';
}

/** Node `id` reads `file` from now on (its other params stay). */
export function fillSource(pipeline: PipelineState, id: string, file: File): void {
	const node = pipeline.node(id);
	if (!node) return;
	const source = pageDatasets().addFile(file);
	pipeline.setParams(id, { ...(node.params as Record<string, unknown>), source });
}

/** True when the drag carries files from the desktop. */
export function hasFiles(event: DragEvent): boolean {
	return event.dataTransfer?.types.includes('Files') ?? false;
}

/** Adds one source node per data file at `at` (stacked), imports pipeline files; node ids. */
export async function addDroppedFiles(
	files: readonly File[],
	at: Point,
	target: DropTarget
): Promise<string[]> {
	const added: string[] = [];
	let onto =
		target.onto !== undefined && asksForFile(target.pipeline, target.onto) ? target.onto : null;
	for (const file of files) {
		if (target.session && (await isPipelineFile(file))) {
			await importPipeline(target.session, await file.text(), file.name);
			continue;
		}
		const reader = sourceForFile(file.name);
		if (!reader) {
			target.notify(
				`${file.name}: Sluice reads .csv, .tsv, .json, .ndjson, .jsonl, .arrow, .feather, .ipc and .parquet files`
			);
			continue;
		}
		const asking = onto === null ? undefined : target.pipeline.node(onto);
		if (onto !== null && asking) {
			// The first data file goes to the node it was dropped on, when that node reads its format.
			if (asking.kind !== reader.kind) {
				const wants = nodeKind(asking.kind)?.title ?? asking.kind;
				target.notify(`${file.name}: this node reads ${wants} files; ${file.name} is not one`);
				continue;
			}
			fillSource(target.pipeline, onto, file);
			target.pipeline.select({ nodes: [onto], edges: [] });
			onto = null;
			continue;
		}
		const source = pageDatasets().addFile(file);
		const position = { x: Math.round(at.x - 100), y: Math.round(at.y - 30 + added.length * 120) };
		const id = target.pipeline.addNode(reader.kind, position, { label: file.name });
		target.pipeline.setParams(id, sourceParams(reader.kind, source, reader.params));
		added.push(id);
	}
	if (added.length > 0) target.pipeline.select({ nodes: added, edges: [] });
	return added;
}
