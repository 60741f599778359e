import { useEffect, useState } from 'react'
import { useClinic } from '../shared/clinic-context'
import type { PatientRecord } from './patient-record'

/** One patient of the current mode; null once it is known there is none with this key. */
export function usePatient(key: string | undefined): PatientRecord | null | undefined {
    const { patients } = useClinic()
    const [patient, setPatient] = useState<PatientRecord | null>()

    useEffect(() => {
        let current = true
        const read = () => {
            if (key) void patients.get(key).then((found) => current && setPatient(found ?? null))
        }
        read()
        const unsubscribe = patients.subscribe(read)
        return () => {
            current = false
            unsubscribe()
        }
    }, [patients, key])

    return key ? patient : null
}
