// What a decoding library's exception tells the user about a file. A library's own Error says
// what it found ("invalid snappy length header", "Expected to read 3200 bytes"): worth quoting.
// A TypeError or RangeError thrown from inside it ("Cannot read properties of undefined
// (reading 'map')", "Offset is outside the bounds of the DataView") only says that the decoder
// met bytes it did not expect and fell over: for the user that is damaged data, named by where
// it was (`damaged`), never the library's internals.

export function decoderReason(error: unknown, damaged: string): string {
	if (error instanceof TypeError || error instanceof RangeError || error instanceof ReferenceError)
		return damaged;
	return error instanceof Error ? error.message : String(error);
}
