/**
 * Times of the demo inventory, always counted back from the scan's `now`: a volume detached "140
 * days ago" stays 140 days old whatever the date, so the demo's findings never drift.
 */

const MS_PER_HOUR = 3_600_000;
const MS_PER_DAY = 24 * MS_PER_HOUR;

/** An age before now, in days and hours. */
export interface Age {
  days?: number;
  hours?: number;
}

/** The instant `age` before `now`. */
export function before(now: Date, age: Age): Date {
  return new Date(now.getTime() - (age.days ?? 0) * MS_PER_DAY - (age.hours ?? 0) * MS_PER_HOUR);
}

/** `age` before `now` as RFC 3339 with milliseconds (AWS, Azure and Kubernetes style). */
export function isoAgo(now: Date, age: Age): string {
  return before(now, age).toISOString();
}

/** `age` before `now` to the second, as Kubernetes prints `creationTimestamp`. */
export function kubeTime(now: Date, age: Age): string {
  return `${isoAgo(now, age).slice(0, 19)}Z`;
}

/** `age` before `now` to the minute, as the Alibaba Cloud APIs print times (`2024-05-01T08:30Z`). */
export function alibabaTime(now: Date, age: Age): string {
  return `${isoAgo(now, age).slice(0, 16)}Z`;
}

/** EC2's `StateTransitionReason` for an instance a user stopped `age` before `now`. */
export function userStoppedReason(now: Date, age: Age): string {
  const at = isoAgo(now, age);
  return `User initiated (${at.slice(0, 10)} ${at.slice(11, 19)} GMT)`;
}
