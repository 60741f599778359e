// The patients kept on the device: a patient registered here keeps being found by the key it was opened
// under once the middleware's record (keyed otherwise) replaces it.
import { openClinicDatabase } from '../shared/clinic-database'
import { patientRecord, USER_ID } from '../test-utils/fixtures'
import { PatientDirectory } from './patient-directory'

test("a patient registered here is found by its first key after the middleware's record replaced it", async () => {
    const database = await openClinicDatabase(USER_ID)
    const directory = new PatientDirectory(database, 'patients')
    const registered = patientRecord()
    await directory.put(registered)
    const facilityUid = registered.facility.uid as string
    await directory.mergeFromServer(facilityUid, [
        {
            key: 'ad9ab12f0c',
            facility: registered.facility,
            identifiers: [...registered.identifiers, { system: 'http://mutuelle.example/members', value: 'M-17' }],
            name: registered.name,
            sex: 'female',
            birthDate: '1999-04-11',
            encounters: [],
        },
    ])
    expect(await database.get('patients', registered.key)).toBeUndefined()
    expect(await directory.get(registered.key)).toMatchObject({ key: 'ad9ab12f0c', name: registered.name })
    expect(await directory.get('smc-clinic|CM_NW_BAM_CSI001-NOTKNOWN')).toBeUndefined()
    expect(await directory.get('no-bar-key')).toBeUndefined()
    database.close()
})
