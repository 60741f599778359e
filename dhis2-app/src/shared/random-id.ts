// Identifiers made on the device, offline, that must never collide with another device's.

/** Crockford's base32: no I, L, O or U, so a value read aloud or copied by hand is hard to get wrong. */
const BASE32 = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'

type RandomBytes = (bytes: Uint8Array) => Uint8Array

const cryptoRandom: RandomBytes = (bytes) => crypto.getRandomValues(bytes)

export function randomBase32(length: number, random: RandomBytes = cryptoRandom): string {
    const bytes = random(new Uint8Array(length))
    let text = ''
    for (const byte of bytes) {
        text += BASE32[byte % 32]
    }
    return text
}

/** A random (version 4) UUID: matches the contract's id pattern and is unique without a server. */
export function newEncounterId(random: RandomBytes = cryptoRandom): string {
    const bytes = random(new Uint8Array(16))
    bytes[6] = ((bytes[6] ?? 0) & 0x0f) | 0x40
    bytes[8] = ((bytes[8] ?? 0) & 0x3f) | 0x80
    const hex = Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

/** A short random token, e.g. to tell one send attempt from another. */
export function randomToken(): string {
    return randomBase32(12)
}
