// Streaming CSV → Arrow-layout column batches. Only this table of exports is public.
export { CsvParser, inferCsvSchema } from './csv-parser';
export { CsvError, DEFAULT_NULL_VALUES, type CsvOptions, type CsvProblem } from './csv-options';
export { LineCounter, recordStartAfter, shiftLines } from './csv-split';
