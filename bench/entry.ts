/** Runs a benchmark entry's main: its result is the exit code; an unexpected error prints and exits 1. */
export function runEntry(main: () => Promise<number>): void {
  main().then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
