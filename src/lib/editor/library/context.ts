// The LibrarySession as Svelte context: the shell sets it, the toolbar buttons and the library
// dialogs get it; used outside the shell they fail with a clear message.
import { getContext, hasContext, setContext } from 'svelte';
import type { LibrarySession } from './session.svelte';

const KEY = Symbol('sluice.library-session');

export function setLibrarySession(session: LibrarySession): LibrarySession {
	return setContext(KEY, session);
}

export function getLibrarySession(): LibrarySession {
	if (!hasContext(KEY)) {
		throw new Error('LibrarySession is missing: render library panels inside <EditorShell>');
	}
	return getContext<LibrarySession>(KEY);
}
