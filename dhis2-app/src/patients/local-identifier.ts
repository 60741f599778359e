import { randomBase32 } from '../shared/random-id'
import { LOCAL_IDENTIFIER_SYSTEM } from './patient-record'

/**
 * The identifier of a patient registered on this device: the facility's org unit code and 8 random base32
 * characters (40 bits: two devices of one facility collide once in about a million million registrations).
 */
export function newLocalIdentifier(facilityCode: string): { system: string; value: string } {
    return { system: LOCAL_IDENTIFIER_SYSTEM, value: `${facilityCode}-${randomBase32(8)}` }
}
