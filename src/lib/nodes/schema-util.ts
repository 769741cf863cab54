// Helpers shared by node kinds: schema lookups.
import type { ColumnType } from '../runtime/contracts';
import type { FrameSchema } from '../runtime/batch/types';

export function columnIndex(schema: FrameSchema, name: string): number {
	return schema.names.indexOf(name);
}

export function withColumn(schema: FrameSchema, name: string, type: ColumnType): FrameSchema {
	const i = schema.names.indexOf(name);
	if (i >= 0) {
		const types = [...schema.types];
		types[i] = type;
		return { names: [...schema.names], types };
	}
	return { names: [...schema.names, name], types: [...schema.types, type] };
}

export function isNumeric(type: ColumnType): boolean {
	return type !== 'utf8' && type !== 'bool' && type !== 'date32' && type !== 'timestamp';
}
