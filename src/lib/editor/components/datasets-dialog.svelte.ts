// Whether the "Datasets" dialog (cached downloads) is open: set by the palette, read by the dialog.
export const datasetsDialog = $state({ open: false });
