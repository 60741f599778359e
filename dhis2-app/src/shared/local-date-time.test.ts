import { daysBetween, offsetDateTime, wallClockDateTime } from './local-date-time'

test('a typed date and time keep their wall clock and carry the device’s offset then', () => {
    const written = wallClockDateTime('2026-10-02', '09:30') as string
    expect(written).toMatch(/^2026-10-02T09:30:00[+-]\d\d:\d\d$/)
    const offsetMinutes = -new Date(2026, 9, 2, 9, 30).getTimezoneOffset()
    expect(Date.parse(written)).toBe(Date.UTC(2026, 9, 2, 9, 30) - offsetMinutes * 60_000)
})

test('dates and times that do not exist are not written', () => {
    expect(wallClockDateTime('2026-02-30', '09:30')).toBeUndefined()
    expect(wallClockDateTime('2026-10-02', '25:00')).toBeUndefined()
    expect(wallClockDateTime('', '09:30')).toBeUndefined()
})

test('an instant is written to the second with an offset', () => {
    const at = new Date(Date.UTC(2026, 0, 5, 23, 59, 7))
    expect(Date.parse(offsetDateTime(at))).toBe(at.getTime())
    expect(daysBetween('2026-02-27', '2026-03-01')).toBe(2)
})
