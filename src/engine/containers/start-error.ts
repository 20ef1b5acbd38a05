/** Docker's exit codes for containers whose process could not be started (pure). */

/** 127 when the command was not found, 126 when it could not be executed, else 128. */
export function exitCodeForStartError(message: string): number {
  if (/executable file not found|no such file or directory|system cannot find the file/i.test(message)) return 127;
  if (/permission denied/i.test(message)) return 126;
  return 128;
}
