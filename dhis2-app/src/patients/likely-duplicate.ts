// Before a patient is registered, the one already on this device who is most likely the same person: the
// same name (accents, case and spacing aside) and the same birth date or phone. Registering them twice
// would split their history between two records.
import { foldForSearch } from './patient-search'
import { displayName, type PatientRecord } from './patient-record'

const nameOf = (patient: Pick<PatientRecord, 'name'>) => foldForSearch(displayName(patient)).replace(/[^\p{L}\p{N}]+/gu, ' ').trim()
const phoneOf = (patient: Pick<PatientRecord, 'phone'>) => (patient.phone ?? '').replace(/\D/g, '')

export function likelySamePatient(onDevice: readonly PatientRecord[], candidate: PatientRecord): PatientRecord | undefined {
    const name = nameOf(candidate)
    if (name === '') return undefined
    const phone = phoneOf(candidate)
    return onDevice.find(
        (patient) =>
            patient.key !== candidate.key &&
            nameOf(patient) === name &&
            ((candidate.birthDate !== undefined && patient.birthDate === candidate.birthDate) || (phone.length >= 6 && phoneOf(patient) === phone))
    )
}
