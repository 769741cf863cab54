// Adding data files to the pipeline: each dropped or picked file becomes a source node of the
// kind that reads it (data-files.ts), configured with a 'local:<id>/<name>' source whose File
// this page keeps (engine/datasets.svelte.ts), at the drop point; a pipeline .json is imported
// into the library instead. Nothing is read here but a pipeline check's first bytes: the
// dataset is probed from a Blob slice and streamed by the workers.
type Point = { x: number; y: number };
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
		const source = pageDatasets().addFile(file);
		const position = { x: Math.round(at.x - 100), y: Math.round(at.y - 30 + added.length * 120) };
		const id = target.pipeline.addNode(reader.kind, position, { label: file.name });
		target.pipeline.setParams(id, sourceParams(reader.kind, source, reader.params));
		added.push(id);
	}
	if (added.length > 0) target.pipeline.select({ nodes: added, edges: [] });
	return added;
}
