// uPlot for the editor's components, loaded only after the page's language is one Intl accepts
// (locale.ts says why). Import uPlot from here, never from 'uplot' directly. Imported modules
// run in the order they are listed, before this module's own body, so the guard must be a
// module of its own listed first.
import './locale-guard';

export { default } from 'uplot';
