// Exports of a sink's result as a stream of byte chunks: CSV, Arrow IPC or Parquet, chosen by
// name or by a file name's extension. Framework-free: the editor wraps `exportResult` in a
// ReadableStream for a download (`toReadableStream`), the headless runner writes it to a file.
import { exportArrowIpc, type ArrowExportOptions } from './export-arrow';
import { exportCsv, type CsvExportOptions } from './export-csv';
import { exportInputOf } from './export-input';
import { exportParquet, type ParquetExportOptions } from './export-parquet';

export type ExportFormat = 'csv' | 'arrow' | 'parquet';
export const EXPORT_FORMATS: readonly ExportFormat[] = ['csv', 'arrow', 'parquet'];

export type ExportOptions = CsvExportOptions & ArrowExportOptions & ParquetExportOptions;

/** MIME type of each format, for downloads. */
export const EXPORT_MIME: Readonly<Record<ExportFormat, string>> = {
	csv: 'text/csv',
	arrow: 'application/vnd.apache.arrow.file',
	parquet: 'application/vnd.apache.parquet'
};

/** The format a file name's extension names (.csv, .arrow/.arrows/.feather/.ipc, .parquet). */
export function formatOfFile(name: string): ExportFormat | undefined {
	const ext = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase();
	if (ext === 'csv') return 'csv';
	if (ext === 'arrow' || ext === 'arrows' || ext === 'feather' || ext === 'ipc') return 'arrow';
	if (ext === 'parquet' || ext === 'pq') return 'parquet';
	return undefined;
}

/** `result` (a table or collect sink's result, or an ExportInput) as `format`, chunk by chunk. */
export function exportResult(
	format: ExportFormat,
	result: unknown,
	options: ExportOptions = {}
): AsyncGenerator<Uint8Array> {
	const input = exportInputOf(result);
	switch (format) {
		case 'csv':
			return exportCsv(input, options);
		case 'arrow':
			return exportArrowIpc(input, options);
		case 'parquet':
			return exportParquet(input, options);
	}
}

/** The chunks as a ReadableStream (pulled one chunk at a time, so a slow sink paces them). */
export function toReadableStream(chunks: AsyncGenerator<Uint8Array>): ReadableStream<Uint8Array> {
	return new ReadableStream<Uint8Array>({
		async pull(controller) {
			const next = await chunks.next();
			if (next.done) controller.close();
			else controller.enqueue(next.value);
		},
		async cancel() {
			await chunks.return(undefined);
		}
	});
}
