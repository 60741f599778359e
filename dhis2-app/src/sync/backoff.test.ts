import { backoffSeconds } from './backoff'

test('doubles from the interval after each failure, up to the cap, with downward jitter', () => {
    const top = () => 1 // no jitter: the ceiling itself
    expect([0, 1, 2, 3, 4, 5, 9].map((failures) => backoffSeconds(failures, 30, 300, top))).toEqual([30, 30, 60, 120, 240, 300, 300])
    expect(backoffSeconds(3, 30, 300, () => 0)).toBe(60)
})
