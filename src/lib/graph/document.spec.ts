import { describe, expect, it } from 'vitest';
import { DOCUMENT_VERSION, emptyDocument, UNTITLED } from './document';

describe('emptyDocument', () => {
	it('is a current-version pipeline with no nodes or edges', () => {
		const document = emptyDocument('Trips');
		expect(document).toEqual({
			version: DOCUMENT_VERSION,
			id: document.id,
			name: 'Trips',
			nodes: [],
			edges: []
		});
		expect(emptyDocument().name).toBe(UNTITLED);
	});

	it('gets a fresh random UUID each time', () => {
		const first = emptyDocument().id;
		expect(first).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
		expect(emptyDocument().id).not.toBe(first);
	});
});
