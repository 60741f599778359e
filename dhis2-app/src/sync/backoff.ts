/**
 * Seconds to wait after `failures` failed passes in a row: doubling from the normal interval up to a cap,
 * with jitter (50–100 %) so that devices reconnecting together after an outage do not send in step.
 */
export function backoffSeconds(failures: number, intervalSeconds: number, capSeconds: number, random: () => number = Math.random): number {
    if (failures <= 0) {
        return intervalSeconds
    }
    const ceiling = Math.min(capSeconds, intervalSeconds * 2 ** (failures - 1))
    return ceiling * (0.5 + random() / 2)
}
