import { useEffect, useState } from 'react'
import { useClinic } from '../shared/clinic-context'
import type { OutboxRecord } from './outbox-record'

/** The outbox records of the current mode (practice records only in practice mode), kept current. */
export function useOutboxRecords(): OutboxRecord[] | undefined {
    const { outbox, practiceMode } = useClinic()
    const [records, setRecords] = useState<OutboxRecord[]>()

    useEffect(() => {
        let current = true
        const read = () =>
            void outbox.all().then((all) => {
                if (current) setRecords(all.filter((record) => (record.encounter.training === true) === practiceMode))
            })
        read()
        const unsubscribe = outbox.subscribe(read)
        return () => {
            current = false
            unsubscribe()
        }
    }, [outbox, practiceMode])

    return records
}
