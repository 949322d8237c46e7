import { constants, getPriority, setPriority } from 'node:os';

/**
 * Worker threads yield the CPU to the event loop. On Linux the nice value belongs to each thread
 * (setpriority(2) under NPTL), so a worker can lower its own priority, and only its own: when the
 * cores are busy the scheduler runs the event loop first, and the workers have what the loop leaves.
 * Without it, two verifier threads on two cores kept the loop off the CPU for over 50 ms at a time
 * under hostile inputs (bench/verify-event-loop.ts). Elsewhere the call would lower the whole
 * process, so it is not made.
 */
export function yieldToEventLoop(): void {
  if (process.platform !== 'linux') return;
  try {
    // 0 is the calling thread; lowering one's own priority needs no privilege.
    setPriority(0, Math.max(getPriority(0), constants.priority.PRIORITY_BELOW_NORMAL));
  } catch {
    // Refused (a sandbox): the worker runs at the process's priority.
  }
}
