// What readiness knows beyond the database: whether this process's background workers run.
// main.ts marks them started once they are, and stopped when a shutdown begins, so a load
// balancer stops sending traffic to an instance that can no longer carry its events out.
export function createReadiness() {
  let workers = false;
  return {
    workersStarted: () => {
      workers = true;
    },
    workersStopped: () => {
      workers = false;
    },
    workersRunning: () => workers,
  };
}

export type Readiness = ReturnType<typeof createReadiness>;
