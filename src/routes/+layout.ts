// Every page runs in the browser only (workers, shared memory, the canvas), and so does the error
// page of an unknown path: with server rendering left on here, SvelteKit builds the root layout
// without a server component (no page under it renders on the server) and then fails to render a
// 404 with it, answering 500.
export const ssr = false;
