import { useEffect, useState } from 'react'
import { useClinic } from '../shared/clinic-context'
import type { PatientRecord } from './patient-record'

/** The patients of the chosen facility in the current mode, as kept on the device, kept current. */
export function useFacilityPatients(): PatientRecord[] | undefined {
    const { patients, facility } = useClinic()
    const [list, setList] = useState<PatientRecord[]>()

    useEffect(() => {
        let current = true
        const read = () => {
            if (facility) void patients.ofFacility(facility.uid).then((found) => current && setList(found))
        }
        setList(undefined)
        read()
        const unsubscribe = patients.subscribe(read)
        return () => {
            current = false
            unsubscribe()
        }
    }, [patients, facility])

    return list
}
