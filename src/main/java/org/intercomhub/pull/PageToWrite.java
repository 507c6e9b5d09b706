package org.intercomhub.pull;

/**
 * A page of a run, filled in and handed to the collection's writer (routes/intercom-pull.camel.yaml): what its
 * commit writes besides its records, taken when it was closed.
 *
 * @param run         the run it belongs to
 * @param checkpoint  the checkpoint after it, committed with its records (its runHighWater: the run's newest version
 *                    up to and including this page)
 * @param recordCount its records (as mapped)
 */
public record PageToWrite(PullRun run, Checkpoint checkpoint, int recordCount) {
}
